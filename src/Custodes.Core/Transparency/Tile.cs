using Custodes.Attestation;
namespace Custodes.Transparency;

/// <summary>
/// A C2SP tlog-tiles tile: <see cref="Width"/> consecutive hashes at tree level 8·<see cref="Level"/> starting at hash
/// 256·<see cref="Index"/>, or, at <see cref="EntriesLevel"/>, the entry bundle of the same level-0 range.
/// </summary>
/// <remarks>The tile math is Go's golang.org/x/mod/sumdb/tlog tile.go with the height fixed at 8 (it stays a parameter inside for Go's tests).</remarks>
public readonly record struct Tile(int Level, long Index, int Width)
{
    /// <summary>Tree levels per tile.</summary>
    public const int Height = 8;

    /// <summary>Hashes (or entries) in a full tile.</summary>
    public const int FullWidth = 1 << Height;

    /// <summary>The level that stands for an entry bundle (<c>tile/entries/…</c>).</summary>
    public const int EntriesLevel = -1;

    /// <summary>Highest hash tile level C2SP allows.</summary>
    public const int MaxLevel = 63;

    public static Tile Entries(long index, int width = FullWidth) => new(EntriesLevel, index, width);

    public bool IsEntries => Level == EntriesLevel;

    public bool IsPartial => Width < FullWidth;

    /// <summary>The tile's path below the log prefix, e.g. <c>tile/0/x001/x234/067.p/5</c>.</summary>
    public string Path => TilePath.Format(this);

    public override string ToString() => Path;

    /// <summary>True when a tree of <paramref name="treeSize"/> entries has every hash (or entry) of this tile.</summary>
    public bool IsWithin(long treeSize)
    {
        var available = IsEntries ? treeSize : treeSize >> (Height * Level);
        return Width is >= 1 and <= FullWidth && Index >= 0 && Index <= (available >> Height) && (Index << Height) + Width <= available;
    }

    /// <summary>The tile of least width that holds the hash at a stored hash index.</summary>
    public static Tile ForIndex(long storedIndex) => ForIndex(Height, storedIndex, out _, out _);

    internal static Tile ForIndex(int height, long storedIndex, out int start, out int end)
    {
        var (level, n) = MerkleLog.SplitStoredHashIndex(storedIndex);
        var tileLevel = level / height;
        level -= tileLevel * height; // now the level within the tile
        var tileIndex = n << level >> height;
        n -= tileIndex << height >> level; // now n within the tile, at that level
        start = (int)(n << level) * MerkleHash.Size;
        end = (int)((n + 1) << level) * MerkleHash.Size;
        return new Tile(tileLevel, tileIndex, (int)((n + 1) << level));
    }

    /// <summary>The hash at <paramref name="storedIndex"/> from this tile's data, hashing up inside the tile when the hash is above its bottom level.</summary>
    public MerkleHash HashAt(ReadOnlySpan<byte> data, long storedIndex) => HashAt(Height, data, storedIndex);

    internal MerkleHash HashAt(int height, ReadOnlySpan<byte> data, long storedIndex)
    {
        if (Level < 0 || Level > MaxLevel || Width < 1 || Width > 1 << height)
            throw new ArgumentException($"tile level {Level} width {Width} holds no hashes");
        if (data.Length < Width * MerkleHash.Size)
            throw new ArgumentException($"{data.Length} bytes are too few for a tile of width {Width}", nameof(data));
        var holder = ForIndex(height, storedIndex, out var start, out var end);
        if (holder.Level != Level || holder.Index != Index || holder.Width > Width)
            throw new ArgumentException($"stored hash {storedIndex} is in tile {holder.Level}/{holder.Index} width {holder.Width}, not {Level}/{Index} width {Width}");
        return SubtreeHash(data[start..end]);
    }

    /// <summary>The Merkle root of the 2^k hashes in <paramref name="data"/>: what a full tile contributes to the level above.</summary>
    public static MerkleHash SubtreeHash(ReadOnlySpan<byte> data)
    {
        if (data.Length == MerkleHash.Size) return new MerkleHash(data);
        if (data.Length == 0 || data.Length % MerkleHash.Size != 0) throw new ArgumentException($"{data.Length} bytes are not whole hashes", nameof(data));
        var half = data.Length / 2;
        return MerkleHash.OfNode(SubtreeHash(data[..half]), SubtreeHash(data[half..]));
    }

    /// <summary>The tiles to publish when the tree grows from <paramref name="oldSize"/> to <paramref name="newSize"/> entries (hash tiles only).</summary>
    public static IReadOnlyList<Tile> NewTiles(long oldSize, long newSize) => NewTiles(Height, oldSize, newSize);

    internal static List<Tile> NewTiles(int height, long oldSize, long newSize)
    {
        var tiles = new List<Tile>();
        for (var level = 0; level <= MaxLevel && newSize >> (height * level) > 0; level++)
        {
            var oldN = oldSize >> (height * level);
            var newN = newSize >> (height * level);
            for (var n = oldN >> height; n < newN >> height; n++) tiles.Add(new Tile(level, n, 1 << height));
            var last = newN >> height;
            var maxWidth = (int)(newN - (last << height));
            var minWidth = oldN > last << height ? (int)(oldN - (last << height)) : 1;
            for (var w = minWidth; w <= maxWidth; w++) tiles.Add(new Tile(level, last, w));
        }
        return tiles;
    }

    /// <summary>The stored hash indexes whose hashes, concatenated, are this tile's data.</summary>
    public long[] DataIndexes() => DataIndexes(Height);

    internal long[] DataIndexes(int height)
    {
        if (Level < 0) throw new InvalidOperationException("an entry bundle holds entries, not hashes");
        var start = Index << height;
        var indexes = new long[Width];
        for (var i = 0; i < Width; i++) indexes[i] = MerkleLog.StoredHashIndex(height * Level, start + i);
        return indexes;
    }

    /// <summary>A tile's bytes: its hashes (read at <see cref="DataIndexes()"/>) concatenated.</summary>
    public static byte[] Data(ReadOnlySpan<MerkleHash> hashes)
    {
        var data = new byte[hashes.Length * MerkleHash.Size];
        for (var i = 0; i < hashes.Length; i++) hashes[i].Bytes.CopyTo(data.AsSpan(i * MerkleHash.Size));
        return data;
    }

    /// <summary>Reads this tile's hashes and returns its bytes, as served at <see cref="Path"/>.</summary>
    public ValueTask<byte[]> ReadDataAsync(IHashReader reader, CancellationToken cancellationToken = default) => ReadDataAsync(Height, reader, cancellationToken);

    internal async ValueTask<byte[]> ReadDataAsync(int height, IHashReader reader, CancellationToken cancellationToken)
    {
        var indexes = DataIndexes(height);
        var hashes = await reader.ReadHashesAsync(indexes, cancellationToken).ConfigureAwait(false);
        if (hashes.Length != indexes.Length) throw new InvalidOperationException($"the hash reader returned {hashes.Length} hashes for {indexes.Length} indexes");
        return Data(hashes);
    }
}
