using System.Buffers;

namespace Custodes.Watch.Formats;

/// <summary>A growable window over a stream: bytes from <see cref="Start"/> to <see cref="End"/> are unread or kept.
/// Grows only up to the caller's limit, so a 10 MB line never needs 10 MB.</summary>
internal sealed class InputBuffer(Stream stream, int initialSize = 64 * 1024) : IDisposable
{
    public byte[] Buffer { get; private set; } = ArrayPool<byte>.Shared.Rent(initialSize);
    public int Start { get; set; }
    public int End { get; private set; }
    public bool Eof { get; private set; }

    /// <summary>Stream position of <c>Buffer[0]</c>.</summary>
    public long Offset { get; private set; }

    public ReadOnlySpan<byte> Available => Buffer.AsSpan(Start, End - Start);

    /// <summary>Reads more bytes after <see cref="End"/>, keeping <c>[Start, End)</c>. Returns the count read: 0 at end of
    /// stream, -1 when the kept bytes already fill <paramref name="maxSize"/>.</summary>
    public int Fill(int maxSize)
    {
        if (Eof) return 0;
        if (End == Buffer.Length)
        {
            var kept = End - Start;
            if (Start > 0)
            {
                Buffer.AsSpan(Start, kept).CopyTo(Buffer);
                Offset += Start;
                Start = 0;
                End = kept;
            }
            if (End == Buffer.Length)
            {
                if (Buffer.Length >= maxSize) return -1;
                var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)maxSize, (long)Buffer.Length * 2));
                Buffer.AsSpan(0, End).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = bigger;
            }
        }
        var read = stream.Read(Buffer, End, Buffer.Length - End);
        if (read == 0)
        {
            Eof = true;
            return 0;
        }
        End += read;
        return read;
    }

    /// <summary>Fills until <paramref name="bytes"/> are available or the stream ends (for sniffing the head).</summary>
    public ReadOnlySpan<byte> Peek(int bytes)
    {
        while (End - Start < bytes && Fill(Math.Max(bytes, Buffer.Length)) > 0) { }
        return Available[..Math.Min(bytes, End - Start)];
    }

    public void SkipBom()
    {
        if (Peek(3).StartsWith("\uFEFF"u8)) Start += 3;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(Buffer);
        Buffer = [];
    }
}

/// <summary>One record cut from an input: the line it starts on, its bytes (valid until the next read), and when it was too
/// large or could not be completed, why (then <see cref="Bytes"/> is only its first few kilobytes).</summary>
internal readonly record struct RawRecord(long Line, ReadOnlyMemory<byte> Bytes, long Length, string? Problem = null);

/// <summary>Cuts records out of an input.</summary>
internal interface IRecordFramer
{
    bool TryRead(out RawRecord record);
}

/// <summary>Shared limits of the framers.</summary>
internal static class Framing
{
    /// <summary>How much of a rejected record the quarantine keeps.</summary>
    public const int KeptPrefix = 4096;

    public static string TooLarge(long length, int limit) =>
        $"record is {length:N0} bytes, over the {limit:N0}-byte limit (--max-record-bytes)";
}
