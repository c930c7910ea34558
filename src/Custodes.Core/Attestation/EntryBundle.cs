using System.Buffers.Binary;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Attestation;

/// <summary>C2SP tlog-tiles entry bundles: log entries, each prefixed by its length as a big-endian uint16.</summary>
public static class EntryBundle
{
    /// <summary>The largest entry a bundle can carry.</summary>
    public const int MaxEntrySize = ushort.MaxValue;

    public static byte[] Encode(IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        var total = 0L;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Length > MaxEntrySize)
                throw new BadInputException($"entry {i} is {entries[i].Length} bytes; an entry bundle carries at most {MaxEntrySize}", path: $"entries[{i}]");
            total += 2 + entries[i].Length;
        }
        var bundle = new byte[checked((int)total)];
        var at = 0;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bundle.AsSpan(at), (ushort)entry.Length);
            entry.Span.CopyTo(bundle.AsSpan(at + 2));
            at += 2 + entry.Length;
        }
        return bundle;
    }

    /// <summary>Splits a bundle into its entries; a bundle cut inside an entry, or not holding <paramref name="expectedCount"/> entries when given, is bad input.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Decode(ReadOnlyMemory<byte> bundle, int? expectedCount = null)
    {
        var entries = new List<ReadOnlyMemory<byte>>(expectedCount ?? Tile.FullWidth);
        var span = bundle.Span;
        var at = 0;
        while (at < span.Length)
        {
            if (span.Length - at < 2)
                throw new BadInputException($"entry bundle ends inside the length of entry {entries.Count} (byte {at})", path: $"entries[{entries.Count}]");
            var length = BinaryPrimitives.ReadUInt16BigEndian(span[at..]);
            if (span.Length - at - 2 < length)
                throw new BadInputException($"entry {entries.Count} claims {length} bytes but only {span.Length - at - 2} remain", path: $"entries[{entries.Count}]");
            entries.Add(bundle.Slice(at + 2, length));
            at += 2 + length;
        }
        if (expectedCount is { } want && entries.Count != want)
            throw new BadInputException($"entry bundle holds {entries.Count} entries, expected {want}");
        return entries;
    }
}
