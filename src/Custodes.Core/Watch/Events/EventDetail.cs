using System.Collections;

namespace Custodes.Watch.Events;

/// <summary>One key of an event's <c>detail</c> object. <see cref="IsJson"/> marks a non-string value kept as its raw JSON text.</summary>
public readonly record struct DetailEntry(string Key, string Value, bool IsJson = false);

/// <summary>The <c>detail</c> object of an event: a few keys, looked up by ordinal name, kept in source order.</summary>
/// <remarks>An array scanned linearly: events carry a handful of keys, so this beats a dictionary in time and memory.</remarks>
public sealed class EventDetail : IReadOnlyList<DetailEntry>, IEquatable<EventDetail>
{
    public static readonly EventDetail Empty = new([]);

    private readonly DetailEntry[] _entries;

    private EventDetail(DetailEntry[] entries) => _entries = entries;

    /// <summary>Builds a detail; a repeated key keeps its last value.</summary>
    public static EventDetail From(IEnumerable<DetailEntry> entries)
    {
        var list = new List<DetailEntry>();
        foreach (var entry in entries)
        {
            var at = list.FindIndex(e => e.Key == entry.Key);
            if (at >= 0) list[at] = entry;
            else list.Add(entry);
        }
        return list.Count == 0 ? Empty : new EventDetail([.. list]);
    }

    /// <summary>String values by key, e.g. <c>EventDetail.Of(("script", "Maint-0829"))</c>.</summary>
    public static EventDetail Of(params (string Key, string Value)[] values) =>
        From(values.Select(v => new DetailEntry(v.Key, v.Value)));

    /// <summary>Wraps entries the caller guarantees have distinct keys (the parsers' hot path).</summary>
    internal static EventDetail Unchecked(DetailEntry[] entries) => entries.Length == 0 ? Empty : new EventDetail(entries);

    public int Count => _entries.Length;
    public DetailEntry this[int index] => _entries[index];

    /// <summary>The value of <paramref name="key"/> (raw JSON text for non-string values), or null.</summary>
    public string? this[string key] => Get(key);

    public string? Get(string key)
    {
        foreach (ref readonly var e in _entries.AsSpan())
            if (e.Key == key) return e.Value;
        return null;
    }

    public bool ContainsKey(string key) => Get(key) is not null;

    /// <summary>A copy with <paramref name="key"/> set to a string value.</summary>
    public EventDetail With(string key, string value) => From(_entries.Append(new DetailEntry(key, value)));

    public IEnumerator<DetailEntry> GetEnumerator() => ((IEnumerable<DetailEntry>)_entries).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(EventDetail? other) => other is not null && _entries.AsSpan().SequenceEqual(other._entries);
    public override bool Equals(object? obj) => Equals(obj as EventDetail);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var e in _entries) hash.Add(e);
        return hash.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", _entries.Select(e => $"{e.Key}: {e.Value}")) + "}";
}
