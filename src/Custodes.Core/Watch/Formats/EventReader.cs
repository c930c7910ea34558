using System.Text;
using System.Text.Json;
using Custodes.Watch.Events;

namespace Custodes.Watch.Formats;

/// <summary>Reads events from a stream in one format: frames records, parses them, checks times against the clock, and
/// quarantines whatever cannot become an event (with file, line and reason), keeping the good events.</summary>
public sealed class EventReader(IEventFormat format, ReadOptions options, Quarantine quarantine)
{
    private const int HeadBytes = 64 * 1024;

    public long Events { get; private set; }
    public long Records { get; private set; }

    /// <summary>Streams the events of one input. <paramref name="file"/> names it in quarantine entries.</summary>
    public IEnumerable<WatchEvent> Read(Stream stream, string file)
    {
        using var input = new InputBuffer(stream);
        input.SkipBom();
        var head = input.Peek(HeadBytes);
        IRecordFramer framer = format.DetectFraming(head) switch
        {
            RecordFraming.CsvRows => new LineFramer(input, options.MaxRecordBytes, quoteAware: true),
            RecordFraming.JsonDocument => new JsonDocumentFramer(input, options.MaxRecordBytes, format.WrapperProperties),
            _ => new LineFramer(input, options.MaxRecordBytes, quoteAware: false),
        };
        var parser = format.CreateParser(new FormatContext { File = file, Options = options });
        var sink = new RecordSink();
        var horizon = options.MaxClockSkew;

        while (framer.TryRead(out var record))
        {
            Records++;
            if (record.Problem is not null)
            {
                Reject(file, record, record.Problem, truncated: record.Length > record.Bytes.Length);
                continue;
            }
            if (!Parse(parser, file, record, sink)) continue;
            if (sink.Events.Count == 0) continue;
            var latest = options.Clock.GetUtcNow() + horizon;
            foreach (var e in sink.Events)
            {
                if (e.Time > latest)
                {
                    quarantine.Add(new QuarantineEntry(file, record.Line,
                        $"time {EventJson.FormatTime(e.Time)} is more than {horizon.TotalHours:0.#} h ahead of the clock ({EventJson.FormatTime(options.Clock.GetUtcNow())})",
                        sink.Events.Count == 1 ? Decode(record.Bytes.Span) : EventJson.Serialize(e)));
                    continue;
                }
                if (options.Refuse?.Invoke(e) is { } refusal)
                {
                    quarantine.Add(new QuarantineEntry(file, record.Line, refusal, sink.Events.Count == 1 ? Decode(record.Bytes.Span) : EventJson.Serialize(e)));
                    continue;
                }
                Events++;
                yield return e;
            }
        }
    }

    /// <summary>Parses one record into <paramref name="sink"/>; false when the record was blank or quarantined whole.</summary>
    private bool Parse(IRecordParser parser, string file, RawRecord record, RecordSink sink)
    {
        var bytes = record.Bytes.Span;
        if (bytes.IndexOfAnyExcept(" \t\r\n"u8) < 0) return false; // blank line: no record at all
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            Reject(file, record, $"invalid UTF-8 at byte {InvalidUtf8Offset(bytes)}");
            return false;
        }
        sink.Clear();
        string? failure = null;
        try
        {
            parser.Parse(bytes, sink);
        }
        catch (RecordRejectedException e) { failure = e.Message; }
        catch (JsonException e) { failure = $"malformed JSON: {e.Message.Split(" LineNumber")[0].TrimEnd('.', ' ')}"; }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidOperationException or ArgumentException)
        {
            failure = e.Message;
        }
        if (failure is not null)
        {
            Reject(file, record, failure);
            return false;
        }
        foreach (var (reason, raw) in sink.Rejections)
            quarantine.Add(new QuarantineEntry(file, record.Line, reason, raw ?? Decode(bytes)));
        return true;
    }

    private void Reject(string file, RawRecord record, string reason, bool truncated = false)
    {
        var bytes = record.Bytes.Span;
        var kept = bytes[..Math.Min(bytes.Length, Framing.KeptPrefix)];
        var valid = System.Text.Unicode.Utf8.IsValid(kept);
        quarantine.Add(new QuarantineEntry(file, record.Line, reason, Encoding.UTF8.GetString(kept),
            truncated || kept.Length < record.Length, valid ? null : Convert.ToBase64String(kept)));
    }

    private static string Decode(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, Framing.KeptPrefix)]);

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        Span<char> scratch = stackalloc char[1024];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes[offset..], scratch, out var read, out _, replaceInvalidSequences: false);
            if (status == System.Buffers.OperationStatus.InvalidData || status == System.Buffers.OperationStatus.NeedMoreData) return offset + read;
            offset += read;
            if (status == System.Buffers.OperationStatus.Done) break;
        }
        return offset;
    }
}
