using System.Text;
using Custodes.Web.Watch;

namespace Custodes.Web.Tests;

/// <summary>RFC 6587 framing of syslog over TCP: octet counting and non-transparent (LF) framing, mixed, split across reads.</summary>
public sealed class SyslogTcpFramerTests
{
    private const string First = "<13>1 2025-03-12T03:00:00Z host kaseya - - - {\"actor\": \"a\", \"action\": \"backup.deleted\"}";
    private const string Second = "<14>Mar 12 03:00:01 host kaseya: {\"actor\": \"b\", \"action\": \"mfa.disabled\"}";

    private static string Counted(string message) => $"{Encoding.UTF8.GetByteCount(message)} {message}";

    private static async Task<List<string>> FramesAsync(string wire, int maxMessageBytes = 64 * 1024, int chunk = int.MaxValue)
    {
        var framer = new SyslogTcpFramer(new TrickleStream(Encoding.UTF8.GetBytes(wire), chunk), maxMessageBytes);
        var messages = new List<string>();
        while (await framer.NextAsync(CancellationToken.None) is { } message) messages.Add(message);
        return messages;
    }

    [Fact]
    public async Task Octet_counted_frames_need_no_line_ends_between_them()
    {
        Assert.Equal([First, Second], await FramesAsync(Counted(First) + Counted(Second)));
    }

    [Fact]
    public async Task Octet_counting_and_line_framing_can_be_mixed_on_one_connection()
    {
        Assert.Equal([First, Second, First], await FramesAsync(Counted(First) + Second + "\n" + Counted(First) + "\r\n"));
    }

    [Fact]
    public async Task A_frame_split_across_many_reads_is_put_back_together()
    {
        var wire = Counted(First) + Second + "\n" + Counted("<13>1 - héllo wörld") + Second;
        Assert.Equal([First, Second, "<13>1 - héllo wörld", Second], await FramesAsync(wire, chunk: 1));
        Assert.Equal([First, Second, "<13>1 - héllo wörld", Second], await FramesAsync(wire, chunk: 7));
    }

    [Fact]
    public async Task A_line_break_inside_an_octet_counted_message_stays_in_that_message()
    {
        Assert.Equal(["<13>1 - two lines", Second], await FramesAsync(Counted("<13>1 - two\nlines") + Counted(Second)));
    }

    [Fact]
    public async Task Text_that_starts_with_digits_but_has_no_count_is_a_line_and_blank_lines_are_skipped()
    {
        Assert.Equal(["2025-03-12 not syslog", "12345678901 digits", Second], await FramesAsync("2025-03-12 not syslog\n\n12345678901 digits\n" + Second));
    }

    [Fact]
    public async Task An_oversized_count_or_line_and_a_stream_ending_inside_a_frame_are_refused()
    {
        Assert.Contains("exceeds the 64-byte limit", (await Assert.ThrowsAsync<InvalidDataException>(() => FramesAsync(Counted(new string('x', 65)), 64))).Message);
        Assert.Contains("exceeds the 64-byte limit", (await Assert.ThrowsAsync<InvalidDataException>(() => FramesAsync(new string('x', 100), 64))).Message);
        Assert.Contains("ended inside", (await Assert.ThrowsAsync<InvalidDataException>(() => FramesAsync("40 <13>1 too short"))).Message);
    }

    /// <summary>A stream that hands out at most <paramref name="chunk"/> bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
