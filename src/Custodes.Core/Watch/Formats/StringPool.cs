using System.Text;

namespace Custodes.Watch.Formats;

/// <summary>A fixed-size, direct-mapped cache from UTF-8 bytes to strings, so repeated values (msp, tenant, actor, action,
/// script names) are decoded and allocated once. Bounded: a collision simply replaces the slot.</summary>
internal sealed class StringPool(int slots = 8192, int maxLength = 256)
{
    private readonly Slot[] _slots = new Slot[BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, slots))];

    private readonly record struct Slot(byte[] Utf8, string Value);

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0) return "";
        if (utf8.Length > maxLength) return Encoding.UTF8.GetString(utf8);
        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var slot = ref _slots[hash.ToHashCode() & (_slots.Length - 1)];
        if (slot.Utf8 is { } bytes && utf8.SequenceEqual(bytes)) return slot.Value;
        var value = Encoding.UTF8.GetString(utf8);
        slot = new Slot(utf8.ToArray(), value);
        return value;
    }
}

file static class BitOperations
{
    public static int RoundUpToPowerOf2(uint value) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2(value);
}
