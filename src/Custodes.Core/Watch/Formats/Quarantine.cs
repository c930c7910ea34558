using System.Text.Json;
using Custodes.Common;

namespace Custodes.Watch.Formats;

/// <summary>One record that did not become an event: where it was, why, and what it said (at most its first 4 KB).</summary>
public sealed record QuarantineEntry(string File, long Line, string Reason, string Raw, bool Truncated = false, string? RawBase64 = null)
{
    /// <summary>As printed to a person: <c>file:line: reason</c>.</summary>
    public string Describe() => $"{File}:{Line}: {Reason}";

    /// <summary>One NDJSON line (<c>{"file", "line", "reason", "raw", "truncated", "raw_base64"}</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json.Options);
}

/// <summary>Every record that did not become an event, counted and kept (or handed to a sink that writes them), never
/// silently dropped. The caller persists it, e.g. <c>--quarantine file.ndjson</c>.</summary>
public sealed class Quarantine(Action<QuarantineEntry>? sink = null, int keep = int.MaxValue)
{
    private readonly List<QuarantineEntry> _kept = [];

    public long Count { get; private set; }

    /// <summary>The entries kept in memory (all of them unless the caller bounded it and writes them through a sink).</summary>
    public IReadOnlyList<QuarantineEntry> Entries => _kept;

    public void Add(QuarantineEntry entry)
    {
        Count++;
        if (_kept.Count < keep) _kept.Add(entry);
        sink?.Invoke(entry);
    }
}
