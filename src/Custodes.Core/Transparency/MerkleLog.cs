using System.Numerics;
using Custodes.Attestation;

namespace Custodes.Transparency;

/// <summary>Outcome of checking an inclusion or consistency proof.</summary>
public enum ProofCheck
{
    Ok,
    /// <summary>The index or sizes cannot be proved at all (index ≥ size, old size > new size, size 0).</summary>
    OutOfRange,
    /// <summary>The proof has fewer hashes than the tree shape needs (cut short in transit or storage).</summary>
    TooShort,
    /// <summary>The proof has more hashes than the tree shape needs.</summary>
    TooLong,
    /// <summary>The proof is the right length but does not lead to the given root(s).</summary>
    Mismatch,
}

/// <summary>
/// RFC 6962 Merkle tree of a log, as pure functions over stored hashes laid out as in golang.org/x/mod/sumdb/tlog:
/// every hash has a dense "stored hash index", so a table keyed by that index (or a set of tiles) can serve proofs.
/// </summary>
/// <remarks>
/// Each operation comes in two halves so storage can be asynchronous without this code knowing:
/// <c>…Indexes</c> says which stored hashes are needed (in increasing order, one query),
/// and the function of the same name computes the result from them. The <c>…Async</c> overloads join the halves over an <see cref="IHashReader"/>.
/// </remarks>
public static class MerkleLog
{
    /// <summary>Maps tree coordinates (level, n) to the dense linear order of hash storage (Crosby and Wallach, §3.3).</summary>
    public static long StoredHashIndex(int level, long n)
    {
        if (level < 0 || level > 63 || n < 0) throw new ArgumentOutOfRangeException(nameof(level), $"no stored hash at level {level}, index {n}");
        // Level L's n'th hash is written right after level L+1's 2n+1'th hash: walk down to level 0 ordering.
        for (var l = level; l > 0; l--) n = 2 * n + 1;
        // Level 0's n'th hash is written at n + n/2 + n/4 + … .
        long i = 0;
        for (; n > 0; n >>= 1) i += n;
        return i + level;
    }

    /// <summary>The inverse of <see cref="StoredHashIndex"/>.</summary>
    public static (int Level, long N) SplitStoredHashIndex(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        // StoredHashIndex(0, n) < 2n, so the record n that wrote this hash lies in [index/2, index/2 + log₂ index].
        var n = index / 2;
        var indexN = StoredHashIndex(0, n);
        while (true)
        {
            // Each record n adds 1 + trailingZeros(n+1) hashes.
            var x = indexN + 1 + BitOperations.TrailingZeroCount((ulong)(n + 1));
            if (x > index) break;
            n++;
            indexN = x;
        }
        var level = (int)(index - indexN);
        return (level, n >> level);
    }

    /// <summary>How many hashes a log of <paramref name="size"/> entries has stored.</summary>
    public static long StoredHashCount(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size == 0) return 0;
        var count = StoredHashIndex(0, size - 1) + 1;
        for (var i = (ulong)(size - 1); (i & 1) != 0; i >>= 1) count++;
        return count;
    }

    // ---- Appending ------------------------------------------------------------------------------

    /// <summary>The stored hashes to read before appending record <paramref name="n"/>: the left siblings of the subtrees it completes.</summary>
    public static long[] StoredHashesIndexes(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var m = BitOperations.TrailingZeroCount((ulong)(n + 1));
        var indexes = new long[m];
        for (var i = 0; i < m; i++) indexes[m - 1 - i] = StoredHashIndex(i, (n >> i) - 1);
        return indexes;
    }

    /// <summary>
    /// The hashes to store, starting at <c>StoredHashIndex(0, n)</c>, when appending record <paramref name="n"/> whose leaf hash is
    /// <paramref name="leafHash"/>; <paramref name="siblings"/> are the hashes at <see cref="StoredHashesIndexes"/>.
    /// </summary>
    public static MerkleHash[] StoredHashes(long n, in MerkleHash leafHash, ReadOnlySpan<MerkleHash> siblings)
    {
        var m = BitOperations.TrailingZeroCount((ulong)(n + 1));
        ExpectCount(siblings.Length, m);
        var hashes = new MerkleHash[m + 1];
        hashes[0] = leafHash;
        for (var i = 0; i < m; i++) hashes[i + 1] = MerkleHash.OfNode(siblings[m - 1 - i], hashes[i]);
        return hashes;
    }

    public static async ValueTask<MerkleHash[]> StoredHashesAsync(long n, MerkleHash leafHash, IHashReader reader, CancellationToken cancellationToken = default)
    {
        var siblings = await Read(reader, StoredHashesIndexes(n), cancellationToken).ConfigureAwait(false);
        return StoredHashes(n, leafHash, siblings);
    }

    // ---- Tree hash ------------------------------------------------------------------------------

    /// <summary>The stored hashes needed for the root of a tree of <paramref name="size"/> entries (at most 1 + log₂ size).</summary>
    public static long[] TreeHashIndexes(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var need = new List<long>(64);
        SubTreeIndex(0, size, need);
        return [.. need];
    }

    /// <summary>RFC 6962 root of a tree of <paramref name="size"/> entries from the hashes at <see cref="TreeHashIndexes"/>; the empty tree's root is SHA-256 of nothing.</summary>
    public static MerkleHash TreeHash(long size, ReadOnlySpan<MerkleHash> hashes)
    {
        if (size == 0)
        {
            ExpectCount(hashes.Length, 0);
            return MerkleHash.EmptyTree;
        }
        var used = 0;
        var root = SubTreeHash(0, size, hashes, ref used);
        ExpectCount(hashes.Length, used);
        return root;
    }

    public static async ValueTask<MerkleHash> TreeHashAsync(long size, IHashReader reader, CancellationToken cancellationToken = default) =>
        TreeHash(size, await Read(reader, TreeHashIndexes(size), cancellationToken).ConfigureAwait(false));

    // ---- Inclusion ------------------------------------------------------------------------------

    /// <summary>The stored hashes needed to prove that entry <paramref name="index"/> is in the tree of <paramref name="size"/> entries.</summary>
    public static long[] InclusionProofIndexes(long size, long index)
    {
        RequireIndex(size, index);
        var need = new List<long>(64);
        LeafProofIndex(0, size, index, need);
        return [.. need];
    }

    /// <summary>RFC 6962 inclusion proof (audit path, leaf sibling first) from the hashes at <see cref="InclusionProofIndexes"/>.</summary>
    public static MerkleHash[] InclusionProof(long size, long index, ReadOnlySpan<MerkleHash> hashes)
    {
        RequireIndex(size, index);
        var proof = new MerkleHash[InclusionProofLength(size, index)];
        int used = 0, written = 0;
        LeafProof(0, size, index, hashes, ref used, proof, ref written);
        ExpectCount(hashes.Length, used);
        return proof;
    }

    public static async ValueTask<MerkleHash[]> ProveInclusionAsync(long size, long index, IHashReader reader, CancellationToken cancellationToken = default) =>
        InclusionProof(size, index, await Read(reader, InclusionProofIndexes(size, index), cancellationToken).ConfigureAwait(false));

    /// <summary>How many hashes an inclusion proof of entry <paramref name="index"/> in a tree of <paramref name="size"/> has.</summary>
    public static int InclusionProofLength(long size, long index)
    {
        RequireIndex(size, index);
        // The path splits where index and the last index differ; above that, one hash per left-complete subtree.
        var inner = 64 - BitOperations.LeadingZeroCount((ulong)(index ^ (size - 1)));
        var border = BitOperations.PopCount((ulong)index >> inner);
        return inner + border;
    }

    /// <summary>Checks an RFC 6962 inclusion proof (the RFC 9162 §2.1.3.2 algorithm; allocates nothing).</summary>
    public static ProofCheck CheckInclusion(ReadOnlySpan<MerkleHash> proof, long size, in MerkleHash root, long index, in MerkleHash leafHash)
    {
        if (size <= 0 || index < 0 || index >= size) return ProofCheck.OutOfRange;
        var expected = InclusionProofLength(size, index);
        if (proof.Length != expected) return proof.Length < expected ? ProofCheck.TooShort : ProofCheck.TooLong;

        long fn = index, sn = size - 1;
        var r = leafHash;
        foreach (ref readonly var p in proof)
        {
            if (sn == 0) return ProofCheck.Mismatch;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.OfNode(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.OfNode(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r == root ? ProofCheck.Ok : ProofCheck.Mismatch;
    }

    // ---- Consistency ----------------------------------------------------------------------------

    /// <summary>The stored hashes needed to prove that the tree of <paramref name="size"/> extends the tree of <paramref name="oldSize"/>.</summary>
    public static long[] ConsistencyProofIndexes(long size, long oldSize)
    {
        RequireSizes(size, oldSize);
        var need = new List<long>(64);
        TreeProofIndex(0, size, oldSize, need);
        return [.. need];
    }

    /// <summary>RFC 6962 consistency proof from the hashes at <see cref="ConsistencyProofIndexes"/>.</summary>
    public static MerkleHash[] ConsistencyProof(long size, long oldSize, ReadOnlySpan<MerkleHash> hashes)
    {
        RequireSizes(size, oldSize);
        var proof = new MerkleHash[ConsistencyProofLength(size, oldSize)];
        int used = 0, written = 0;
        TreeProof(0, size, oldSize, hashes, ref used, proof, ref written);
        ExpectCount(hashes.Length, used);
        return proof;
    }

    public static async ValueTask<MerkleHash[]> ProveConsistencyAsync(long size, long oldSize, IHashReader reader, CancellationToken cancellationToken = default) =>
        ConsistencyProof(size, oldSize, await Read(reader, ConsistencyProofIndexes(size, oldSize), cancellationToken).ConfigureAwait(false));

    /// <summary>How many hashes a consistency proof from <paramref name="oldSize"/> to <paramref name="size"/> has.</summary>
    public static int ConsistencyProofLength(long size, long oldSize)
    {
        RequireSizes(size, oldSize);
        return Length(0, size, oldSize);

        static int Length(long lo, long hi, long n)
        {
            var count = 0;
            while (n != hi)
            {
                var k = MaxPow2(hi - lo);
                if (n <= lo + k) hi = lo + k;
                else lo += k;
                count++;
            }
            return lo == 0 ? count : count + 1;
        }
    }

    /// <summary>Checks an RFC 6962 consistency proof (the RFC 9162 §2.1.4.2 algorithm; allocates nothing).</summary>
    public static ProofCheck CheckConsistency(ReadOnlySpan<MerkleHash> proof, long size, in MerkleHash root, long oldSize, in MerkleHash oldRoot)
    {
        if (oldSize < 1 || oldSize > size) return ProofCheck.OutOfRange;
        var expected = ConsistencyProofLength(size, oldSize);
        if (proof.Length != expected) return proof.Length < expected ? ProofCheck.TooShort : ProofCheck.TooLong;
        if (oldSize == size) return root == oldRoot ? ProofCheck.Ok : ProofCheck.Mismatch;

        // A power-of-two old tree is a complete subtree: its root starts the path and the proof omits it.
        var oldIsComplete = (oldSize & (oldSize - 1)) == 0;
        var path = oldIsComplete ? proof : proof[1..];
        MerkleHash fr = oldIsComplete ? oldRoot : proof[0], sr = fr;
        long fn = oldSize - 1, sn = size - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        foreach (ref readonly var c in path)
        {
            if (sn == 0) return ProofCheck.Mismatch;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.OfNode(c, fr);
                sr = MerkleHash.OfNode(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.OfNode(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr == oldRoot && sr == root ? ProofCheck.Ok : ProofCheck.Mismatch;
    }

    // ---- The recursions of RFC 6962 §2.1, over stored hash indexes (after Go's tlog) -------------

    /// <summary>Largest power of two strictly smaller than <paramref name="n"/> (n ≥ 2).</summary>
    internal static long MaxPow2(long n) => 1L << BitOperations.Log2((ulong)(n - 1));

    // The subtree [lo, hi) is a run of complete subtrees of decreasing size, each one stored hash.
    private static void SubTreeIndex(long lo, long hi, List<long> need)
    {
        while (lo < hi)
        {
            var level = BitOperations.Log2((ulong)(hi - lo));
            var k = 1L << level;
            need.Add(StoredHashIndex(level, lo >> level));
            lo += k;
        }
    }

    private static MerkleHash SubTreeHash(long lo, long hi, ReadOnlySpan<MerkleHash> hashes, ref int used)
    {
        var count = 0;
        for (var at = lo; at < hi; count++) at += 1L << BitOperations.Log2((ulong)(hi - at));
        ExpectAtLeast(hashes.Length, used + count);
        var h = hashes[used + count - 1];
        for (var i = count - 2; i >= 0; i--) h = MerkleHash.OfNode(hashes[used + i], h);
        used += count;
        return h;
    }

    private static void LeafProofIndex(long lo, long hi, long n, List<long> need)
    {
        if (lo + 1 == hi) return;
        var k = MaxPow2(hi - lo);
        if (n < lo + k)
        {
            LeafProofIndex(lo, lo + k, n, need);
            SubTreeIndex(lo + k, hi, need);
        }
        else
        {
            SubTreeIndex(lo, lo + k, need);
            LeafProofIndex(lo + k, hi, n, need);
        }
    }

    private static void LeafProof(long lo, long hi, long n, ReadOnlySpan<MerkleHash> hashes, ref int used, Span<MerkleHash> proof, ref int written)
    {
        if (lo + 1 == hi) return; // The verifier knows the leaf hash.
        var k = MaxPow2(hi - lo);
        MerkleHash sibling;
        if (n < lo + k)
        {
            LeafProof(lo, lo + k, n, hashes, ref used, proof, ref written);
            sibling = SubTreeHash(lo + k, hi, hashes, ref used);
        }
        else
        {
            sibling = SubTreeHash(lo, lo + k, hashes, ref used);
            LeafProof(lo + k, hi, n, hashes, ref used, proof, ref written);
        }
        proof[written++] = sibling;
    }

    private static void TreeProofIndex(long lo, long hi, long n, List<long> need)
    {
        if (n == hi)
        {
            if (lo != 0) SubTreeIndex(lo, hi, need);
            return;
        }
        var k = MaxPow2(hi - lo);
        if (n <= lo + k)
        {
            TreeProofIndex(lo, lo + k, n, need);
            SubTreeIndex(lo + k, hi, need);
        }
        else
        {
            SubTreeIndex(lo, lo + k, need);
            TreeProofIndex(lo + k, hi, n, need);
        }
    }

    private static void TreeProof(long lo, long hi, long n, ReadOnlySpan<MerkleHash> hashes, ref int used, Span<MerkleHash> proof, ref int written)
    {
        if (n == hi)
        {
            // The subtree is exactly the old tree when lo is 0: the verifier knows that hash.
            if (lo != 0) proof[written++] = SubTreeHash(lo, hi, hashes, ref used);
            return;
        }
        var k = MaxPow2(hi - lo);
        MerkleHash other;
        if (n <= lo + k)
        {
            TreeProof(lo, lo + k, n, hashes, ref used, proof, ref written);
            other = SubTreeHash(lo + k, hi, hashes, ref used);
        }
        else
        {
            other = SubTreeHash(lo, lo + k, hashes, ref used);
            TreeProof(lo + k, hi, n, hashes, ref used, proof, ref written);
        }
        proof[written++] = other;
    }

    private static void RequireIndex(long size, long index)
    {
        if (size <= 0 || index < 0 || index >= size)
            throw new ArgumentOutOfRangeException(nameof(index), $"entry {index} is not in a tree of {size} entries");
    }

    private static void RequireSizes(long size, long oldSize)
    {
        if (oldSize < 1 || oldSize > size)
            throw new ArgumentOutOfRangeException(nameof(oldSize), $"cannot prove a tree of {size} entries extends one of {oldSize}");
    }

    private static void ExpectCount(int have, int want)
    {
        if (have != want) throw new InvalidOperationException($"expected {want} stored hashes, got {have}");
    }

    private static void ExpectAtLeast(int have, int want)
    {
        if (have < want) throw new InvalidOperationException($"expected at least {want} stored hashes, got {have}");
    }

    private static async ValueTask<MerkleHash[]> Read(IHashReader reader, long[] indexes, CancellationToken cancellationToken)
    {
        if (indexes.Length == 0) return [];
        var hashes = await reader.ReadHashesAsync(indexes, cancellationToken).ConfigureAwait(false);
        if (hashes.Length != indexes.Length)
            throw new InvalidOperationException($"the hash reader returned {hashes.Length} hashes for {indexes.Length} indexes");
        return hashes;
    }
}
