using Custodes.Attestation;
using Custodes.Transparency;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodes.Core.Tests.Attestation;

public sealed class MerkleLogTests
{
    // The RFC 6962 test leaves and roots of certificate-transparency's reference tests (testonly/constants.go).
    private static readonly byte[][] CtLeaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        Convert.FromHexString("606162636465666768696a6b6c6d6e6f"),
    ];

    private static readonly string[] CtRoots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static MemoryLog CtLog(int size)
    {
        var log = new MemoryLog();
        foreach (var leaf in CtLeaves.Take(size)) log.Append(leaf);
        return log;
    }

    private static MerkleHash Hex(string hex) => new(Convert.FromHexString(hex));

    [Fact]
    public void Leaf_and_node_hashes_use_the_RFC_6962_domain_prefixes()
    {
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", MerkleHash.OfLeaf([]).ToHex());
        var l = MerkleHash.OfLeaf([0x00]);
        var r = MerkleHash.OfLeaf([0x10]);
        var expected = System.Security.Cryptography.SHA256.HashData([0x01, .. l.Bytes, .. r.Bytes]);
        Assert.Equal(expected, MerkleHash.OfNode(l, r).ToArray());
    }

    [Fact]
    public void Tree_hash_matches_the_RFC_6962_reference_roots_for_sizes_0_to_8()
    {
        var log = CtLog(8);
        for (var size = 0; size <= 8; size++) Assert.Equal(CtRoots[size], log.TreeHash(size).ToHex());
    }

    [Theory]
    [InlineData(0, 8, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" })]
    [InlineData(5, 8, new[] { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    [InlineData(0, 1, new string[0])]
    public void Inclusion_proof_matches_the_RFC_6962_reference_paths(long index, long size, string[] path)
    {
        var log = CtLog((int)size);
        var proof = log.ProveInclusion(size, index);
        Assert.Equal(path, proof.Select(h => h.ToHex()));
        Assert.Equal(ProofCheck.Ok, MerkleLog.CheckInclusion(proof, size, Hex(CtRoots[size]), index, MerkleHash.OfLeaf(CtLeaves[index])));
    }

    [Theory]
    [InlineData(1, 8, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" })]
    [InlineData(6, 8, new[] { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    [InlineData(2, 5, new[] { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" })]
    [InlineData(1, 1, new string[0])]
    public void Consistency_proof_matches_the_RFC_6962_reference_proofs(long oldSize, long size, string[] path)
    {
        var log = CtLog((int)size);
        var proof = log.ProveConsistency(size, oldSize);
        Assert.Equal(path, proof.Select(h => h.ToHex()));
        Assert.Equal(ProofCheck.Ok, MerkleLog.CheckConsistency(proof, size, Hex(CtRoots[size]), oldSize, Hex(CtRoots[oldSize])));
    }

    [Fact]
    public void Stored_hash_index_and_its_split_are_inverse_like_Go_tlog()
    {
        for (var level = 0; level < 10; level++)
        for (long n = 0; n < 100; n++)
        {
            var x = MerkleLog.StoredHashIndex(level, n);
            Assert.Equal((level, n), MerkleLog.SplitStoredHashIndex(x));
        }
    }

    [Fact]
    public void Stored_hash_count_counts_what_appending_stores()
    {
        var log = new MemoryLog();
        long stored = 0;
        for (var i = 0; i < 300; i++)
        {
            stored += MerkleLog.StoredHashes(i, MerkleHash.OfLeaf([(byte)i]), new MerkleHash[MerkleLog.StoredHashesIndexes(i).Length]).Length;
            log.Append([(byte)i]);
            Assert.Equal(stored, MerkleLog.StoredHashCount(i + 1));
        }
    }

    // Go's tlog TestTree, hash part: every proof for every tree up to 100 leaves, read in increasing index order,
    // verifies, and fails with any proof hash corrupted.
    [Fact]
    public async Task Every_proof_of_trees_up_to_100_leaves_verifies_and_every_corrupted_hash_fails()
    {
        var log = new MemoryLog();
        var reader = new IncreasingOrderReader(log);
        var roots = new List<MerkleHash>();
        var leaves = new List<MerkleHash>();
        for (long i = 0; i < 100; i++)
        {
            var data = System.Text.Encoding.UTF8.GetBytes($"leaf {i}");
            leaves.Add(MerkleHash.OfLeaf(data));
            Assert.Equal(MerkleLog.StoredHashes(i, leaves[^1], await reader.ReadHashesAsync(MerkleLog.StoredHashesIndexes(i))), await MerkleLog.StoredHashesAsync(i, leaves[^1], reader));
            log.Append(data);
            var size = i + 1;
            var root = await MerkleLog.TreeHashAsync(size, reader);
            roots.Add(root);

            for (long j = 0; j < size; j++)
            {
                var proof = await MerkleLog.ProveInclusionAsync(size, j, reader);
                Assert.Equal(ProofCheck.Ok, MerkleLog.CheckInclusion(proof, size, root, j, leaves[(int)j]));
                for (var k = 0; k < proof.Length; k++)
                {
                    var corrupt = (MerkleHash[])proof.Clone();
                    corrupt[k] = Flip(corrupt[k], 0);
                    Assert.Equal(ProofCheck.Mismatch, MerkleLog.CheckInclusion(corrupt, size, root, j, leaves[(int)j]));
                }
            }

            for (long j = 1; j <= size; j++)
            {
                var proof = await MerkleLog.ProveConsistencyAsync(size, j, reader);
                Assert.Equal(ProofCheck.Ok, MerkleLog.CheckConsistency(proof, size, root, j, roots[(int)j - 1]));
                for (var k = 0; k < proof.Length; k++)
                {
                    var corrupt = (MerkleHash[])proof.Clone();
                    corrupt[k] = Flip(corrupt[k], 0);
                    Assert.Equal(ProofCheck.Mismatch, MerkleLog.CheckConsistency(corrupt, size, root, j, roots[(int)j - 1]));
                }
            }
        }
    }

    [Fact]
    public void Proof_lengths_agree_with_the_proofs_the_recursion_builds()
    {
        var log = new MemoryLog();
        for (var i = 0; i < 70; i++) log.Append([(byte)i]);
        for (long size = 1; size <= 70; size++)
        {
            for (long j = 0; j < size; j++) Assert.Equal(log.ProveInclusion(size, j).Length, MerkleLog.InclusionProofLength(size, j));
            for (long old = 1; old <= size; old++) Assert.Equal(log.ProveConsistency(size, old).Length, MerkleLog.ConsistencyProofLength(size, old));
        }
    }

    [Fact]
    public void Checks_name_why_a_proof_fails()
    {
        var log = CtLog(8);
        var root = log.TreeHash(8);
        var leaf = MerkleHash.OfLeaf(CtLeaves[5]);
        var proof = log.ProveInclusion(8, 5);
        Assert.Equal(ProofCheck.TooShort, MerkleLog.CheckInclusion(proof[..^1], 8, root, 5, leaf));
        Assert.Equal(ProofCheck.TooLong, MerkleLog.CheckInclusion([.. proof, root], 8, root, 5, leaf));
        Assert.Equal(ProofCheck.OutOfRange, MerkleLog.CheckInclusion(proof, 8, root, 8, leaf));
        Assert.Equal(ProofCheck.OutOfRange, MerkleLog.CheckInclusion(proof, 0, root, 0, leaf));
        Assert.Equal(ProofCheck.Mismatch, MerkleLog.CheckInclusion(proof, 8, root, 4, leaf));
        Assert.Equal(ProofCheck.Mismatch, MerkleLog.CheckInclusion(proof, 8, log.TreeHash(7), 5, leaf));

        var consistency = log.ProveConsistency(8, 6);
        var oldRoot = log.TreeHash(6);
        Assert.Equal(ProofCheck.OutOfRange, MerkleLog.CheckConsistency(consistency, 6, root, 8, oldRoot));
        Assert.Equal(ProofCheck.OutOfRange, MerkleLog.CheckConsistency([], 8, root, 0, oldRoot));
        Assert.Equal(ProofCheck.TooShort, MerkleLog.CheckConsistency(consistency[1..], 8, root, 6, oldRoot));
        Assert.Equal(ProofCheck.Mismatch, MerkleLog.CheckConsistency(consistency, 8, root, 6, log.TreeHash(5)));
        Assert.Equal(ProofCheck.Mismatch, MerkleLog.CheckConsistency([], 8, root, 8, oldRoot));
    }

    [Fact]
    public void Proving_outside_the_tree_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleLog.InclusionProofIndexes(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleLog.ConsistencyProofIndexes(5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleLog.ConsistencyProofIndexes(5, 0));
    }

    // ---- Properties over random trees ------------------------------------------------------------

    /// <summary>A random tree (1–2000 leaves) with a random entry and a random older size in it.</summary>
    public sealed record TreeCase(int Size, int Index, int OldSize, int Seed)
    {
        public override string ToString() => $"size {Size}, index {Index}, old size {OldSize}, seed {Seed}";
    }

    public static class TreeCases
    {
        public static Arbitrary<TreeCase> Arbitrary() =>
            (from size in Gen.Choose(1, 2000)
             from index in Gen.Choose(0, size - 1)
             from oldSize in Gen.Choose(1, size)
             from seed in Gen.Choose(0, int.MaxValue)
             select new TreeCase(size, index, oldSize, seed)).ToArbitrary();
    }

    private static readonly Dictionary<int, MemoryLog> Logs = [];

    private static MemoryLog LogFor(TreeCase c)
    {
        lock (Logs)
        {
            if (Logs.TryGetValue(c.Seed % 4, out var log)) return log;
            var random = new Random(c.Seed % 4);
            log = new MemoryLog();
            for (var i = 0; i < 2000; i++)
            {
                var entry = new byte[random.Next(0, 64)];
                random.NextBytes(entry);
                log.Append(entry);
            }
            return Logs[c.Seed % 4] = log;
        }
    }

    [Property(Arbitrary = [typeof(TreeCases)], MaxTest = 300)]
    public void Every_inclusion_proof_of_a_random_tree_verifies(TreeCase c)
    {
        var log = LogFor(c);
        var proof = log.ProveInclusion(c.Size, c.Index);
        Assert.Equal(ProofCheck.Ok, MerkleLog.CheckInclusion(proof, c.Size, log.TreeHash(c.Size), c.Index, log[MerkleLog.StoredHashIndex(0, c.Index)]));
    }

    [Property(Arbitrary = [typeof(TreeCases)], MaxTest = 300)]
    public void Every_tampered_inclusion_proof_fails(TreeCase c)
    {
        var log = LogFor(c);
        var root = log.TreeHash(c.Size);
        var leaf = log[MerkleLog.StoredHashIndex(0, c.Index)];
        var proof = log.ProveInclusion(c.Size, c.Index);
        var random = new Random(c.Seed);
        if (proof.Length > 0)
        {
            var flipped = (MerkleHash[])proof.Clone();
            var k = random.Next(proof.Length);
            flipped[k] = Flip(flipped[k], random.Next(MerkleHash.Size));
            Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckInclusion(flipped, c.Size, root, c.Index, leaf));
            Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckInclusion(proof[..^1], c.Size, root, c.Index, leaf));
            Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckInclusion(proof[1..], c.Size, root, c.Index, leaf));
        }
        Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckInclusion([.. proof, root], c.Size, root, c.Index, leaf));
        Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckInclusion(proof, c.Size, root, c.Index, Flip(leaf, random.Next(MerkleHash.Size))));
        Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckInclusion(proof, c.Size, Flip(root, random.Next(MerkleHash.Size)), c.Index, leaf));
        if (c.Size > 1)
        {
            var otherIndex = (c.Index + 1 + random.Next(c.Size - 1)) % c.Size;
            Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckInclusion(proof, c.Size, root, otherIndex, leaf));
            // A wrong size fails against that size's own root. (Against this root it may pass: the size is bound to the
            // root by the signed checkpoint, not by the proof.)
            var otherSize = c.Index + 1 + random.Next(2000 - c.Index);
            if (otherSize != c.Size) Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckInclusion(proof, otherSize, log.TreeHash(otherSize), c.Index, leaf));
        }
    }

    [Property(Arbitrary = [typeof(TreeCases)], MaxTest = 300)]
    public void Every_consistency_proof_of_a_random_tree_verifies(TreeCase c)
    {
        var log = LogFor(c);
        var proof = log.ProveConsistency(c.Size, c.OldSize);
        Assert.Equal(ProofCheck.Ok, MerkleLog.CheckConsistency(proof, c.Size, log.TreeHash(c.Size), c.OldSize, log.TreeHash(c.OldSize)));
    }

    [Property(Arbitrary = [typeof(TreeCases)], MaxTest = 300)]
    public void Every_tampered_consistency_proof_fails(TreeCase c)
    {
        var log = LogFor(c);
        var root = log.TreeHash(c.Size);
        var oldRoot = log.TreeHash(c.OldSize);
        var proof = log.ProveConsistency(c.Size, c.OldSize);
        var random = new Random(c.Seed);
        if (proof.Length > 0)
        {
            var flipped = (MerkleHash[])proof.Clone();
            var k = random.Next(proof.Length);
            flipped[k] = Flip(flipped[k], random.Next(MerkleHash.Size));
            Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckConsistency(flipped, c.Size, root, c.OldSize, oldRoot));
            Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckConsistency(proof[..^1], c.Size, root, c.OldSize, oldRoot));
        }
        Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckConsistency([.. proof, root], c.Size, root, c.OldSize, oldRoot));
        Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckConsistency(proof, c.Size, Flip(root, random.Next(MerkleHash.Size)), c.OldSize, oldRoot));
        Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckConsistency(proof, c.Size, root, c.OldSize, Flip(oldRoot, random.Next(MerkleHash.Size))));
        // Wrong sizes fail against their own roots.
        var otherOld = 1 + random.Next(c.Size);
        if (otherOld != c.OldSize) Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckConsistency(proof, c.Size, root, otherOld, log.TreeHash(otherOld)));
        var otherNew = c.OldSize + random.Next(2001 - c.OldSize);
        if (otherNew != c.Size) Assert.NotEqual(ProofCheck.Ok, MerkleLog.CheckConsistency(proof, otherNew, log.TreeHash(otherNew), c.OldSize, oldRoot));
    }

    [Fact]
    public void Inclusion_proofs_in_a_million_entry_log_verify_against_its_root()
    {
        var log = new MemoryLog();
        Span<byte> entry = stackalloc byte[8];
        for (long i = 0; i < 1_000_000; i++)
        {
            BitConverter.TryWriteBytes(entry, i);
            log.AppendLeafHash(MerkleHash.OfLeaf(entry));
        }
        var root = log.TreeHash();
        // How fast a proof is made and checked is measured in bench/, not here.
        const int rounds = 1000;
        for (var r = 0; r < rounds; r++)
        {
            var index = (r * 7919L) % log.Size;
            var proof = log.ProveInclusion(log.Size, index);
            Assert.Equal(ProofCheck.Ok, MerkleLog.CheckInclusion(proof, log.Size, root, index, log[MerkleLog.StoredHashIndex(0, index)]));
        }
    }

    internal static MerkleHash Flip(MerkleHash hash, int at)
    {
        var bytes = hash.ToArray();
        bytes[at] ^= 1;
        return new MerkleHash(bytes);
    }

    // Go's tlog tests insist that proofs read hashes in increasing index order (one range scan for a database).
    private sealed class IncreasingOrderReader(MemoryLog log) : IHashReader
    {
        public ValueTask<MerkleHash[]> ReadHashesAsync(long[] indexes, CancellationToken cancellationToken = default)
        {
            for (var i = 1; i < indexes.Length; i++) Assert.True(indexes[i - 1] < indexes[i], "indexes out of order");
            return log.ReadHashesAsync(indexes, cancellationToken);
        }
    }
}
