using BenchmarkDotNet.Attributes;
using Custodes.Attestation;
using Custodes.Transparency;

namespace Custodes.Bench.Attestation;

/// <summary>Inclusion and consistency proofs in a 1,000,000-entry in-memory log, against checking an inclusion proof alone.</summary>
[MemoryDiagnoser]
public class MerkleProofBenchmarks
{
    private const long Size = 1_000_000;
    private MemoryLog _log = null!;
    private MerkleHash _root;
    private MerkleHash[] _proof = null!;
    private MerkleHash _leaf;
    private long _index;

    [GlobalSetup]
    public void Setup()
    {
        _log = new MemoryLog();
        Span<byte> entry = stackalloc byte[8];
        for (long i = 0; i < Size; i++)
        {
            BitConverter.TryWriteBytes(entry, i);
            _log.Append(entry);
        }
        _root = _log.TreeHash();
        _index = 765_432;
        _leaf = _log[MerkleLog.StoredHashIndex(0, _index)];
        _proof = _log.ProveInclusion(Size, _index);
    }

    [Benchmark(Baseline = true, Description = "check inclusion proof (baseline)")]
    public ProofCheck CheckInclusion() => MerkleLog.CheckInclusion(_proof, Size, _root, _index, _leaf);

    [Benchmark(Description = "prove inclusion")]
    public MerkleHash[] ProveInclusion() => _log.ProveInclusion(Size, _index);

    [Benchmark(Description = "prove + check inclusion")]
    public ProofCheck ProveAndCheckInclusion() => MerkleLog.CheckInclusion(_log.ProveInclusion(Size, _index), Size, _root, _index, _leaf);

    [Benchmark(Description = "prove consistency 500,000 → 1,000,000")]
    public MerkleHash[] ProveConsistency() => _log.ProveConsistency(Size, 500_001);

    [Benchmark(Description = "tree hash of 1,000,000")]
    public MerkleHash TreeHash() => _log.TreeHash(Size);
}
