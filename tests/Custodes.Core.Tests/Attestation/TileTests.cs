using System.Text;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Core.Tests.Attestation;

public sealed class TileTests
{
    // Go's tlog tile path vectors (height 4, 3 and 1 there; C2SP paths carry no height), plus the C2SP example.
    [Theory]
    [InlineData("tile/0/001", 0, 1L, 256)]
    [InlineData("tile/0/001.p/5", 0, 1L, 5)]
    [InlineData("tile/5/x123/x456/078", 5, 123456078L, 256)]
    [InlineData("tile/5/x123/x456/078.p/2", 5, 123456078L, 2)]
    [InlineData("tile/0/x003/x057/500", 0, 3057500L, 256)]
    [InlineData("tile/entries/x003/x057/500", -1, 3057500L, 256)]
    [InlineData("tile/entries/x001/x234/067.p/255", -1, 1234067L, 255)]
    [InlineData("tile/2/x001/x234/067", 2, 1234067L, 256)]
    [InlineData("tile/63/000", 63, 0L, 256)]
    [InlineData("tile/1/x009/x223/x372/x036/x854/x775/807", 1, long.MaxValue, 256)]
    public void Tile_path_encodes_and_parses_back(string path, int level, long index, int width)
    {
        var tile = new Tile(level, index, width);
        Assert.Equal(path, tile.Path);
        Assert.Equal(tile, TilePath.Parse(path));
    }

    [Theory]
    [InlineData("tile/5/123/456/078")] // groups before the last need an x
    [InlineData("tile/-1/123/456/078")]
    [InlineData("tile/0/x000/001")] // no leading zero groups
    [InlineData("tile/0/1")]
    [InlineData("tile/0/0001")]
    [InlineData("tile/0/x001")]
    [InlineData("tile/01/001")] // no leading zeros in the level
    [InlineData("tile/64/001")]
    [InlineData("tile/0/001.p/0")]
    [InlineData("tile/0/001.p/256")] // a full tile has no .p suffix
    [InlineData("tile/0/001.p/05")]
    [InlineData("tile/0/001.p/")]
    [InlineData("tile/0/001.p")]
    [InlineData("tile/0/00a")]
    [InlineData("tile/0/+01")]
    [InlineData("tile/0/001/")]
    [InlineData("tile/8/0/001")] // Go's tile/H/L/N form
    [InlineData("tile/data/001")]
    [InlineData("tiles/0/001")]
    [InlineData("/tile/0/001")]
    [InlineData("tile/0")]
    [InlineData("tile/entries")]
    [InlineData("tile/1/x009/x223/x372/x036/x854/x775/808")] // past long.MaxValue
    [InlineData("tile/1/x999/x999/x999/x999/x999/x999/x999/999")]
    [InlineData("")]
    public void Malformed_tile_paths_are_bad_input(string path)
    {
        Assert.False(TilePath.TryParse(path, out _));
        var error = Assert.Throws<BadInputException>(() => TilePath.Parse(path));
        Assert.Contains("malformed tile path", error.Message);
    }

    [Fact]
    public void A_tree_of_70000_has_the_tiles_the_C2SP_spec_lists()
    {
        // "273 full level 0 tiles, one partial level 0 tile of width 112, one full level 1 tile,
        //  one partial level 1 tile of width 17, and one partial level 2 tile of width 1."
        var tiles = Tile.NewTiles(0, 70_000);
        var latest = tiles.GroupBy(t => (t.Level, t.Index)).Select(g => g.MaxBy(t => t.Width)).ToList();
        Assert.Equal(273, latest.Count(t => t.Level == 0 && !t.IsPartial));
        Assert.Equal([new Tile(0, 273, 112)], latest.Where(t => t.Level == 0 && t.IsPartial));
        Assert.Equal([new Tile(1, 0, 256)], latest.Where(t => t.Level == 1 && !t.IsPartial));
        Assert.Equal([new Tile(1, 1, 17)], latest.Where(t => t.Level == 1 && t.IsPartial));
        Assert.Equal([new Tile(2, 0, 1)], latest.Where(t => t.Level == 2));
    }

    [Fact]
    public void A_tree_of_256_is_one_full_level_0_tile_and_a_level_1_tile_of_width_1()
    {
        var latest = Tile.NewTiles(0, 256).GroupBy(t => (t.Level, t.Index)).Select(g => g.MaxBy(t => t.Width)).ToList();
        Assert.Equal([new Tile(0, 0, 256), new Tile(1, 0, 1)], latest);
    }

    [Theory]
    [InlineData(0, 0, 256, 256, true)]
    [InlineData(0, 0, 256, 255, false)]
    [InlineData(0, 1, 5, 261, true)]
    [InlineData(0, 1, 6, 261, false)]
    [InlineData(1, 0, 1, 256, true)]
    [InlineData(1, 0, 2, 511, false)]
    [InlineData(-1, 0, 3, 3, true)]
    [InlineData(-1, 0, 4, 3, false)]
    public void A_tile_is_within_a_tree_only_when_the_tree_has_all_its_hashes(int level, long index, int width, long treeSize, bool within) =>
        Assert.Equal(within, new Tile(level, index, width).IsWithin(treeSize));

    // Go's tlog TestTree, tile part, at Go's test height 2: tiles extend earlier partial tiles, every stored hash
    // reads back from its tile, and a TileHashReader over the tiles proves every record and tree.
    [Fact]
    public async Task Tiles_of_trees_up_to_100_leaves_serve_every_hash_and_proof_like_Go_tlog()
    {
        const int height = 2;
        var log = new MemoryLog();
        var tiles = new Dictionary<Tile, byte[]>();
        var roots = new List<MerkleHash>();
        var leaves = new List<MerkleHash>();
        long stored = 0;
        for (long i = 0; i < 100; i++)
        {
            var data = Encoding.UTF8.GetBytes($"leaf {i}");
            leaves.Add(MerkleHash.OfLeaf(data));
            log.Append(data);
            var size = i + 1;
            var root = log.TreeHash();
            roots.Add(root);

            foreach (var tile in Tile.NewTiles(height, i, size))
            {
                var bytes = await tile.ReadDataAsync(height, log, default);
                var old = tile with { Width = tile.Width - 1 };
                var oldBytes = tiles.GetValueOrDefault(old) ?? [];
                Assert.Equal(oldBytes, bytes[..oldBytes.Length]);
                Assert.Equal(bytes.Length - MerkleHash.Size, oldBytes.Length);
                tiles[tile] = bytes;
            }
            foreach (var tile in Tile.NewTiles(height, 0, size).Concat(Tile.NewTiles(height, i / 2, size)))
                Assert.Equal(tiles[tile], await tile.ReadDataAsync(height, log, default));

            var count = MerkleLog.StoredHashCount(size);
            for (var j = stored; j < count; j++)
            {
                var tile = Tile.ForIndex(height, j, out _, out _);
                Assert.True(tiles.ContainsKey(tile), $"tile {tile.Level}/{tile.Index}/{tile.Width} for stored hash {j} not yet published");
                Assert.Equal(log[j], tile.HashAt(height, tiles[tile], j));
            }
            stored = count;

            var reader = new CountingTileReader(tiles);
            var hashes = new TileHashReader(size, root, reader, height);
            for (long j = 0; j < size; j++)
            {
                var h = await hashes.ReadHashesAsync([MerkleLog.StoredHashIndex(0, j)]);
                Assert.Equal(leaves[(int)j], h[0]);
                var proof = await MerkleLog.ProveInclusionAsync(size, j, hashes);
                Assert.Equal(ProofCheck.Ok, MerkleLog.CheckInclusion(proof, size, root, j, leaves[(int)j]));
            }
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await hashes.ReadHashesAsync([size * 2]));
            for (long j = 1; j <= size; j++)
            {
                Assert.Equal(roots[(int)j - 1], await MerkleLog.TreeHashAsync(j, hashes));
                var proof = await MerkleLog.ProveConsistencyAsync(size, j, hashes);
                Assert.Equal(ProofCheck.Ok, MerkleLog.CheckConsistency(proof, size, root, j, roots[(int)j - 1]));
            }
        }
    }

    [Fact]
    public async Task Tile_hash_reader_rejects_a_tile_that_does_not_match_the_trusted_root()
    {
        var log = new MemoryLog();
        for (var i = 0; i < 600; i++) log.Append(Encoding.UTF8.GetBytes($"entry {i}"));
        var tiles = new Dictionary<Tile, byte[]>();
        foreach (var tile in Tile.NewTiles(0, log.Size)) tiles[tile] = await tile.ReadDataAsync(log);

        var good = new TileHashReader(log.Size, log.TreeHash(), new CountingTileReader(tiles));
        Assert.Equal(log[MerkleLog.StoredHashIndex(0, 300)], (await good.ReadHashesAsync([MerkleLog.StoredHashIndex(0, 300)]))[0]);

        var tampered = tiles.ToDictionary(kv => kv.Key, kv => (byte[])kv.Value.Clone());
        tampered[new Tile(0, 1, 256)][40] ^= 1;
        var bad = new TileHashReader(log.Size, log.TreeHash(), new CountingTileReader(tampered));
        await Assert.ThrowsAsync<TileMismatchException>(async () => await bad.ReadHashesAsync([MerkleLog.StoredHashIndex(0, 300)]));
        // Leaf 257's own hash is the tampered one; Go's tlog (x/mod on this machine) returns it unauthenticated here.
        await Assert.ThrowsAsync<TileMismatchException>(async () => await bad.ReadHashesAsync([MerkleLog.StoredHashIndex(0, 257)]));

        var wrongRoot = new TileHashReader(log.Size, MerkleHash.OfLeaf([1]), new CountingTileReader(tiles));
        await Assert.ThrowsAsync<TileMismatchException>(async () => await wrongRoot.ReadHashesAsync([MerkleLog.StoredHashIndex(0, 3)]));
    }

    [Fact]
    public void Tile_data_is_the_stored_hashes_concatenated_and_a_full_tile_hashes_to_its_parent_entry()
    {
        var log = new MemoryLog();
        for (var i = 0; i < 512; i++) log.Append([(byte)i, (byte)(i >> 8)]);
        var tile = new Tile(0, 1, 256);
        var data = Tile.Data(tile.DataIndexes().Select(x => log[x]).ToArray());
        Assert.Equal(256 * 32, data.Length);
        Assert.Equal(log[MerkleLog.StoredHashIndex(0, 256)].ToArray(), data[..32]);
        Assert.Equal(log[MerkleLog.StoredHashIndex(8, 1)], Tile.SubtreeHash(data));
        Assert.Equal(log[MerkleLog.StoredHashIndex(8, 1)], new Tile(1, 0, 2).HashAt(Tile.Data([log[MerkleLog.StoredHashIndex(8, 0)], log[MerkleLog.StoredHashIndex(8, 1)]]), MerkleLog.StoredHashIndex(8, 1)));
    }

    [Fact]
    public void Entry_bundle_is_big_endian_length_prefixed_entries_and_decodes_back()
    {
        ReadOnlyMemory<byte>[] entries = [Encoding.UTF8.GetBytes("hello"), Array.Empty<byte>(), new byte[300]];
        var bundle = EntryBundle.Encode(entries);
        Assert.Equal([0x00, 0x05, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 0x00, 0x00, 0x01, 0x2c], bundle[..11]);
        Assert.Equal(2 + 5 + 2 + 0 + 2 + 300, bundle.Length);
        var decoded = EntryBundle.Decode(bundle, expectedCount: 3);
        Assert.Equal(entries.Select(e => e.ToArray()), decoded.Select(e => e.ToArray()));
    }

    [Fact]
    public void Entry_bundle_carries_an_entry_of_65535_bytes_but_not_65536()
    {
        Assert.Equal(65537, EntryBundle.Encode([new byte[65535]]).Length);
        var error = Assert.Throws<BadInputException>(() => EntryBundle.Encode([new byte[1], new byte[65536]]));
        Assert.Equal("entries[1]", error.Path);
    }

    [Theory]
    [InlineData(new byte[] { 0x00 })]
    [InlineData(new byte[] { 0x00, 0x03, 0x01, 0x02 })]
    [InlineData(new byte[] { 0x00, 0x01, 0x01, 0x00 })]
    public void Truncated_entry_bundle_is_bad_input(byte[] bundle) =>
        Assert.Throws<BadInputException>(() => EntryBundle.Decode(bundle));

    [Fact]
    public void Entry_bundle_with_the_wrong_number_of_entries_is_bad_input() =>
        Assert.Throws<BadInputException>(() => EntryBundle.Decode(EntryBundle.Encode([new byte[1]]), expectedCount: 2));

    private sealed class CountingTileReader(Dictionary<Tile, byte[]> tiles) : ITileReader
    {
        public ValueTask<byte[][]> ReadTilesAsync(Tile[] wanted, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(wanted.Select(t => tiles.TryGetValue(t, out var data) ? data : throw new KeyNotFoundException($"no tile {t.Level}/{t.Index}/{t.Width}")).ToArray());
    }
}
