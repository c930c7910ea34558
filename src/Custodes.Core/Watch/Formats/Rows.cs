using System.Text.Json;
using Custodes.Watch.Events;

namespace Custodes.Watch.Formats;

/// <summary>A record as named fields, whatever its syntax (JSON object, CSV row, key=value pairs). Names match loosely
/// (<see cref="Names.Canonical"/>); a dotted name walks into nested JSON objects.</summary>
internal abstract class Row
{
    /// <summary>The field's text (raw JSON for objects and arrays), or null when absent or null.</summary>
    public abstract string? Get(string name);

    /// <summary>A nested object as a row (JSON only).</summary>
    public virtual Row? Object(string name) => null;

    /// <summary>Every top-level field, in source order, for passing through into <c>detail</c>.</summary>
    public abstract IEnumerable<(string Name, string Value, bool IsJson)> Fields();

    /// <summary>The first of <paramref name="names"/> that has a non-blank value.</summary>
    public string? First(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
            if (Get(name) is { } v && !string.IsNullOrWhiteSpace(v)) return v.Trim();
        return null;
    }

    /// <summary>Which of <paramref name="names"/> has a non-blank value (to mark it used).</summary>
    public string? FirstName(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
            if (Get(name) is { } v && !string.IsNullOrWhiteSpace(v)) return name;
        return null;
    }
}

/// <summary>A JSON object as a row.</summary>
internal sealed class JsonRow(JsonElement element) : Row
{
    public JsonElement Element { get; } = element;

    public override string? Get(string name) => Find(name) is { } e ? Text(e) : null;

    public override Row? Object(string name) => Find(name) is { ValueKind: JsonValueKind.Object } e ? new JsonRow(e) : null;

    public JsonElement? Find(string name)
    {
        var current = Element;
        foreach (var segment in name.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || Property(current, segment) is not { } next) return null;
            current = next;
        }
        return current;
    }

    public override IEnumerable<(string Name, string Value, bool IsJson)> Fields()
    {
        foreach (var p in Element.EnumerateObject())
            if (Text(p.Value) is { } text) yield return (p.Name, text, p.Value.ValueKind is not JsonValueKind.String);
    }

    public static string? Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => e.GetRawText(),
    };

    private static JsonElement? Property(JsonElement obj, string name)
    {
        if (obj.TryGetProperty(name, out var exact)) return exact;
        var canonical = Names.Canonical(name);
        foreach (var p in obj.EnumerateObject())
            if (Names.Canonical(p.Name) == canonical) return p.Value;
        return null;
    }
}

/// <summary>Named values in order (CSV rows, key=value syslog payloads).</summary>
internal sealed class FlatRow : Row
{
    private readonly List<(string Name, string Value)> _fields = [];
    private readonly Dictionary<string, int> _index = [];

    public FlatRow Add(string name, string value)
    {
        var key = Names.Canonical(name);
        if (_index.TryGetValue(key, out var at)) _fields[at] = (name, value);
        else
        {
            _index[key] = _fields.Count;
            _fields.Add((name, value));
        }
        return this;
    }

    public override string? Get(string name) =>
        _index.TryGetValue(Names.Canonical(name), out var at) && _fields[at].Value.Length > 0 ? _fields[at].Value : null;

    public override IEnumerable<(string Name, string Value, bool IsJson)> Fields()
    {
        foreach (var (name, value) in _fields)
            if (value.Length > 0) yield return (name, value, false);
    }
}

/// <summary>Builds one event field by field, then checks it is complete.</summary>
internal sealed class EventDraft
{
    private readonly List<DetailEntry> _detail = [];

    public DateTimeOffset? Time { get; set; }
    public string? Source { get; set; }
    public string? Msp { get; set; }
    public string? Tenant { get; set; }
    public string? Actor { get; set; }
    public string? ActorIp { get; set; }
    public string? Action { get; set; }
    public string? Target { get; set; }

    /// <summary>Sets a string detail (ignores blanks; replaces an earlier value).</summary>
    public EventDraft Detail(string key, string? value, bool isJson = false)
    {
        if (string.IsNullOrWhiteSpace(value)) return this;
        var entry = new DetailEntry(key, isJson ? value : value.Trim(), isJson);
        var at = _detail.FindIndex(d => d.Key == key);
        if (at >= 0) _detail[at] = entry;
        else _detail.Add(entry);
        return this;
    }

    public bool HasDetail(string key) => _detail.Exists(d => d.Key == key);

    /// <summary>Passes a row's unused fields through into detail (snake_case keys).</summary>
    public void Rest(Row row, IReadOnlyCollection<string> used)
    {
        var usedCanonical = used.Select(Names.Canonical).ToHashSet();
        foreach (var (name, value, isJson) in row.Fields())
        {
            if (usedCanonical.Contains(Names.Canonical(name))) continue;
            var key = Names.Snake(name);
            if (key.StartsWith("detail_", StringComparison.Ordinal) && key.Length > 7) key = key[7..];
            if (!HasDetail(key)) Detail(key, value, isJson);
        }
    }

    public WatchEvent Build(FormatContext context)
    {
        if (Time is null) throw new RecordRejectedException("no time in the record");
        var msp = Msp ?? context.Options.Msp;
        if (string.IsNullOrWhiteSpace(msp)) throw new RecordRejectedException("no msp in the record; pass --msp <id>");
        if (string.IsNullOrWhiteSpace(Action)) throw new RecordRejectedException("no action in the record");
        var pool = context.Pool;
        return new WatchEvent
        {
            Time = Time.Value,
            Source = Intern(pool, Source) ?? "unknown",
            Msp = Intern(pool, msp)!,
            Tenant = Intern(pool, Tenant ?? context.Options.Tenant),
            Actor = Intern(pool, Actor),
            ActorIp = Intern(pool, ActorIp),
            Action = Intern(pool, Action)!,
            Target = Intern(pool, Target),
            Detail = EventDetail.Unchecked([.. _detail]),
        };
    }

    private static string? Intern(StringPool pool, string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        Span<byte> utf8 = stackalloc byte[256];
        return s.Length <= 64 && System.Text.Encoding.UTF8.TryGetBytes(s, utf8, out var n) ? pool.Get(utf8[..n]) : s;
    }
}
