using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Custodes.Web.Watch;

/// <summary>
/// Splits a syslog TCP stream into messages, frame by frame, with either framing of RFC 6587: octet counting (§3.4.1,
/// <c>MSG-LEN SP SYSLOG-MSG</c>, what rsyslog and syslog-ng send with octet-counted framing, no line ends between frames)
/// or non-transparent framing (§3.4.2, each message ended by LF). A frame that starts with a digit is octet-counted (a syslog
/// message itself starts with <c>&lt;</c>) and a space follows within nine digits; anything else is a line, so one sender may mix
/// both and a stray line of text is still delivered (and quarantined by the format) rather than taken for a count.
/// </summary>
/// <remarks>A message longer than <c>maxMessageBytes</c> (an octet count above it, or a line that does not end within it) ends
/// the connection with <see cref="InvalidDataException"/>: a stream that lost its framing cannot be resynchronised.</remarks>
internal sealed class SyslogTcpFramer(Stream stream, int maxMessageBytes)
{
    // Nine digits hold any count an int holds; a longer run of digits is not a count.
    private const int MaxCountDigits = 9;
    private readonly PipeReader _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));

    /// <summary>The next message (without its framing or trailing CR/LF), or null at the end of the stream. Empty lines are skipped.</summary>
    public async ValueTask<string?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (TryFrame(ref buffer, result.IsCompleted, out var message))
            {
                _reader.AdvanceTo(buffer.Start);
                if (message.Length == 0) continue;
                return message;
            }
            if (result.IsCompleted)
            {
                await _reader.CompleteAsync();
                return null;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Takes one frame off the front of <paramref name="buffer"/> when it is all there (or the stream ended after it).</summary>
    private bool TryFrame(ref ReadOnlySequence<byte> buffer, bool completed, out string message)
    {
        message = "";
        if (buffer.IsEmpty) return false;
        var reader = new SequenceReader<byte>(buffer);
        switch (OctetCount(ref reader, completed))
        {
            case null:
                return false;
            case -1:
                reader = new SequenceReader<byte>(buffer);
                break;
            case int count:
                if (count > maxMessageBytes) throw new InvalidDataException($"an octet-counted syslog frame of {count} bytes exceeds the {maxMessageBytes}-byte limit");
                if (reader.Remaining < count)
                {
                    if (completed) throw new InvalidDataException($"the stream ended inside an octet-counted syslog frame of {count} bytes");
                    return false;
                }
                message = Text(reader.UnreadSequence.Slice(0, count));
                buffer = buffer.Slice(reader.Position).Slice(count);
                return true;
        }
        if (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            if (line.Length > maxMessageBytes) throw new InvalidDataException($"a syslog line exceeds the {maxMessageBytes}-byte limit");
            message = Text(line);
            buffer = buffer.Slice(reader.Position);
            return true;
        }
        if (buffer.Length > maxMessageBytes) throw new InvalidDataException($"a syslog line exceeds the {maxMessageBytes}-byte limit");
        if (!completed) return false;
        message = Text(buffer);
        buffer = buffer.Slice(buffer.End);
        return true;
    }

    /// <summary>
    /// The frame's MSG-LEN when it starts with 1–9 digits and a space (the reader then stands after the space); -1 when it is not
    /// octet-counted (it is a line); null when too little has arrived to tell.
    /// </summary>
    private static int? OctetCount(ref SequenceReader<byte> reader, bool completed)
    {
        var count = 0;
        for (var digits = 0; digits <= MaxCountDigits; digits++)
        {
            if (!reader.TryRead(out var b)) return completed ? -1 : null;
            if (b == (byte)' ' && digits > 0) return count;
            if (b is < (byte)'0' or > (byte)'9') return -1;
            count = count * 10 + (b - '0');
        }
        return -1;
    }

    // A message is one line of the syslog format's input: trailing CR/LF dropped, inner line breaks folded to spaces.
    private static string Text(ReadOnlySequence<byte> bytes) => Encoding.UTF8.GetString(bytes).TrimEnd('\r', '\n', '\0').Replace('\n', ' ');
}
