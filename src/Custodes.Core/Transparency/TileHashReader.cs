using Custodes.Attestation;
namespace Custodes.Transparency;

/// <summary>Fetches tiles of a log (from its HTTP server, a cache, a directory).</summary>
public interface ITileReader
{
    /// <summary>The data of each tile, in order; each exactly <c>Width × 32</c> bytes.</summary>
    ValueTask<byte[][]> ReadTilesAsync(Tile[] tiles, CancellationToken cancellationToken = default);
}

/// <summary>
/// Reads stored hashes of a tree whose size and root are trusted (from a verified checkpoint) out of untrusted tiles,
/// checking every tile it uses against that root first: any hash it returns is proved to be in the tree.
/// </summary>
/// <remarks>A port of Go's tlog.TileHashReader. With it, <see cref="MerkleLog.ProveConsistencyAsync"/> and friends work against a remote log.</remarks>
public sealed class TileHashReader : IHashReader
{
    private readonly long _size;
    private readonly MerkleHash _root;
    private readonly ITileReader _tiles;
    private readonly int _height;

    public TileHashReader(long size, MerkleHash root, ITileReader tiles)
        : this(size, root, tiles, Tile.Height)
    {
    }

    internal TileHashReader(long size, MerkleHash root, ITileReader tiles, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        _size = size;
        _root = root;
        _tiles = tiles;
        _height = height;
    }

    public async ValueTask<MerkleHash[]> ReadHashesAsync(long[] indexes, CancellationToken cancellationToken = default)
    {
        if (indexes.Length == 0) return [];
        var order = new Dictionary<Tile, int>();
        var tiles = new List<Tile>();

        // First the tiles that recompute the tree hash: if it matches the trusted root, they are authentic.
        var rootIndexes = MerkleLog.TreeHashIndexes(_size);
        var rootTileOrder = new int[rootIndexes.Length];
        for (var i = 0; i < rootIndexes.Length; i++)
        {
            var tile = Parent(Tile.ForIndex(_height, rootIndexes[i], out _, out _), 0);
            if (!order.TryGetValue(tile, out var j))
            {
                j = tiles.Count;
                order[tile] = j;
                tiles.Add(tile);
            }
            rootTileOrder[i] = j;
        }

        var rootTileCount = tiles.Count;

        // Then the tiles holding the wanted hashes, each after the parent tiles that authenticate it.
        var indexTileOrder = new int[indexes.Length];
        var end = MerkleLog.StoredHashIndex(0, _size);
        for (var i = 0; i < indexes.Length; i++)
        {
            if (indexes[i] < 0 || indexes[i] >= end)
                throw new ArgumentOutOfRangeException(nameof(indexes), $"stored hash {indexes[i]} is not in a tree of {_size} entries");
            var tile = Tile.ForIndex(_height, indexes[i], out _, out _);
            var k = 0;
            for (; ; k++)
            {
                if (k > 64) throw new InvalidOperationException($"bad tile math: no authenticated parent for stored hash {indexes[i]}");
                if (order.TryGetValue(Parent(tile, k), out var j))
                {
                    if (k == 0) indexTileOrder[i] = j;
                    break;
                }
            }
            for (k--; k >= 0; k--)
            {
                var parent = Parent(tile, k);
                // Only full tiles have parents.
                if (parent.Width != 1 << _height) throw new InvalidOperationException($"bad tile math for tree {_size}, index {indexes[i]}, tile {parent}");
                order[parent] = tiles.Count;
                if (k == 0) indexTileOrder[i] = tiles.Count;
                tiles.Add(parent);
            }
        }

        var data = await _tiles.ReadTilesAsync([.. tiles], cancellationToken).ConfigureAwait(false);
        if (data.Length != tiles.Count) throw new TileMismatchException($"the tile reader returned {data.Length} tiles for {tiles.Count}");
        for (var i = 0; i < tiles.Count; i++)
        {
            if (data[i] is null || data[i].Length != tiles[i].Width * MerkleHash.Size)
                throw new TileMismatchException($"tile {tiles[i]} has {data[i]?.Length ?? 0} bytes, expected {tiles[i].Width * MerkleHash.Size}");
        }

        var last = rootIndexes.Length - 1;
        var th = tiles[rootTileOrder[last]].HashAt(_height, data[rootTileOrder[last]], rootIndexes[last]);
        for (var i = last - 1; i >= 0; i--)
            th = MerkleHash.OfNode(tiles[rootTileOrder[i]].HashAt(_height, data[rootTileOrder[i]], rootIndexes[i]), th);
        if (th != _root) throw new TileMismatchException($"the tiles do not hash to the root of the tree of {_size} entries");

        // Full tiles are authenticated by the hash their parent holds for them, parents first. Go's tlog starts this loop
        // at the number of root *indexes*, which skips tiles whenever several root hashes share a tile; we count tiles.
        for (var i = rootTileCount; i < tiles.Count; i++)
        {
            var tile = tiles[i];
            var parent = Parent(tile, 1);
            if (!order.TryGetValue(parent, out var j)) throw new InvalidOperationException($"bad tile math: lost the parent of {tile}");
            var expected = parent.HashAt(_height, data[j], MerkleLog.StoredHashIndex(parent.Level * _height, tile.Index));
            if (expected != Tile.SubtreeHash(data[i])) throw new TileMismatchException($"tile {tile} does not match its parent {parent}");
        }

        var hashes = new MerkleHash[indexes.Length];
        for (var i = 0; i < indexes.Length; i++)
        {
            var j = indexTileOrder[i];
            hashes[i] = tiles[j].HashAt(_height, data[j], indexes[i]);
        }
        return hashes;
    }

    // The k'th parent of a tile in the tiles of this tree; default when the tree has none.
    private Tile Parent(Tile tile, int k)
    {
        var level = tile.Level + k;
        var shift = k * _height;
        var index = shift >= 63 ? 0 : tile.Index >> shift;
        var width = 1 << _height;
        var levelShift = level * _height;
        var max = levelShift >= 63 ? 0 : _size >> levelShift;
        if ((index << _height) + width >= max)
        {
            if (index << _height >= max) return default;
            width = (int)(max - (index << _height));
        }
        return new Tile(level, index, width);
    }
}

/// <summary>Tiles that do not agree with the trusted tree (or each other): the log or the network served bad data.</summary>
public sealed class TileMismatchException(string message) : Exception(message);
