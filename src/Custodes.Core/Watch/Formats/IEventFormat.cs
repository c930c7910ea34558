using Custodes.Watch.Events;

namespace Custodes.Watch.Formats;

/// <summary>How a format's records are cut out of the input.</summary>
public enum RecordFraming
{
    /// <summary>One record per line (NDJSON, JSON Lines, syslog).</summary>
    Lines,
    /// <summary>CSV rows; quoted fields may span lines. The first row is the header.</summary>
    CsvRows,
    /// <summary>A JSON document: top-level array elements, a wrapper's array elements, or top-level values.</summary>
    JsonDocument,
}

/// <summary>One log format selectable with <c>--format</c>: how it frames records and how one record becomes events.</summary>
public interface IEventFormat
{
    /// <summary>The <c>--format</c> name.</summary>
    string Name { get; }

    /// <summary>One line for <c>custodes watch formats</c>.</summary>
    string Description { get; }

    /// <summary>Property names whose array holds the records in a wrapped JSON document (<c>activities</c>, <c>Result</c>).</summary>
    IReadOnlyCollection<string> WrapperProperties { get; }

    /// <summary>Chooses the framing from the first bytes of the input (BOM removed).</summary>
    RecordFraming DetectFraming(ReadOnlySpan<byte> head);

    /// <summary>A parser for one input; it may keep state across records (a CSV header).</summary>
    IRecordParser CreateParser(FormatContext context);
}

/// <summary>Turns one record into zero or more events (a wrapped page may hold many), or rejects it.</summary>
public interface IRecordParser
{
    /// <summary>Adds the record's events or rejections to <paramref name="sink"/>; may throw <see cref="RecordRejectedException"/>
    /// for the whole record. Header rows and comments add nothing.</summary>
    void Parse(ReadOnlySpan<byte> record, RecordSink sink);
}

/// <summary>What one record produced.</summary>
public sealed class RecordSink
{
    internal List<WatchEvent> Events { get; } = [];
    internal List<(string Reason, string? Raw)> Rejections { get; } = [];

    public void Add(WatchEvent e) => Events.Add(e);

    /// <summary>Rejects part of a record (one element of a wrapped page), with that part's raw text.</summary>
    public void Reject(string reason, string? raw = null) => Rejections.Add((reason, raw));

    internal void Clear()
    {
        Events.Clear();
        Rejections.Clear();
    }
}

/// <summary>What a parser knows about its input and the caller's choices.</summary>
public sealed record FormatContext
{
    public required string File { get; init; }
    public required ReadOptions Options { get; init; }
    internal StringPool Pool { get; init; } = new();

    /// <summary>The zone for zone-less times: <c>--timezone</c>, else the format's own (null when it has none).</summary>
    public TimeZoneInfo? ZoneOr(TimeZoneInfo? formatZone) => Options.TimeZone ?? formatZone;
}

/// <summary>The caller's choices for reading events.</summary>
public sealed record ReadOptions
{
    /// <summary>MSP id for formats whose records do not name it (every vendor export belongs to one MSP).</summary>
    public string? Msp { get; init; }

    /// <summary>Tenant for records that do not name one (a guest-side log of one customer's machine).</summary>
    public string? Tenant { get; init; }

    /// <summary>Zone for timestamps written without one (<c>--timezone</c>).</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>Largest record kept; longer ones are quarantined without being buffered.</summary>
    public int MaxRecordBytes { get; init; } = 1 << 20;

    /// <summary>Events further ahead of the clock than this are quarantined (a clock set wrong, or forged times).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromHours(24);

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>A reason to refuse an event that parsed (it names another MSP than the caller's), or null to keep it; a
    /// refused event is quarantined with its file, line and that reason.</summary>
    public Func<WatchEvent, string?>? Refuse { get; init; }

    /// <summary>Field mapping for csv/jsonl/syslog (and overrides for vendor formats): event field → source field name.</summary>
    public IReadOnlyDictionary<string, string> FieldMap { get; init; } = new Dictionary<string, string>();
}
