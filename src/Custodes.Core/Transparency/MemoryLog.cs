using Custodes.Attestation;
namespace Custodes.Transparency;

/// <summary>An append-only log held in memory: stored hashes in <see cref="MerkleLog.StoredHashIndex"/> order, for tests, benchmarks and tools.</summary>
/// <remarks>Not thread-safe; the product's log lives in the database.</remarks>
public sealed class MemoryLog : IHashReader
{
    private readonly List<MerkleHash> _hashes = [];

    /// <summary>Number of entries appended.</summary>
    public long Size { get; private set; }

    /// <summary>Appends an entry and returns its index.</summary>
    public long Append(ReadOnlySpan<byte> entry) => AppendLeafHash(MerkleHash.OfLeaf(entry));

    /// <summary>Appends an entry given its RFC 6962 leaf hash and returns its index.</summary>
    public long AppendLeafHash(in MerkleHash leafHash)
    {
        var n = Size;
        var siblingIndexes = MerkleLog.StoredHashesIndexes(n);
        Span<MerkleHash> siblings = stackalloc MerkleHash[siblingIndexes.Length];
        for (var i = 0; i < siblingIndexes.Length; i++) siblings[i] = _hashes[checked((int)siblingIndexes[i])];
        _hashes.AddRange(MerkleLog.StoredHashes(n, leafHash, siblings));
        Size = n + 1;
        return n;
    }

    /// <summary>The stored hash at a stored hash index.</summary>
    public MerkleHash this[long storedIndex] => _hashes[checked((int)storedIndex)];

    public MerkleHash TreeHash() => TreeHash(Size);

    public MerkleHash TreeHash(long size) => MerkleLog.TreeHash(size, Read(MerkleLog.TreeHashIndexes(size)));

    public MerkleHash[] ProveInclusion(long size, long index) => MerkleLog.InclusionProof(size, index, Read(MerkleLog.InclusionProofIndexes(size, index)));

    public MerkleHash[] ProveConsistency(long size, long oldSize) => MerkleLog.ConsistencyProof(size, oldSize, Read(MerkleLog.ConsistencyProofIndexes(size, oldSize)));

    public ValueTask<MerkleHash[]> ReadHashesAsync(long[] indexes, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(indexes));

    private MerkleHash[] Read(long[] indexes)
    {
        var result = new MerkleHash[indexes.Length];
        for (var i = 0; i < indexes.Length; i++)
        {
            if (indexes[i] < 0 || indexes[i] >= _hashes.Count) throw new ArgumentOutOfRangeException(nameof(indexes), $"no stored hash at index {indexes[i]}");
            result[i] = _hashes[(int)indexes[i]];
        }
        return result;
    }
}
