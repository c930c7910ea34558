using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Custodes.Watch.Formats;

namespace Custodes.Watch.Events;

/// <summary>Reads and writes <c>custodes.event/v1</c> JSON (one event per NDJSON line).</summary>
public static class EventJson
{
    /// <summary>UTC time as RFC 3339 with <c>Z</c>, fractional seconds only when present: <c>2019-08-29T03:12:07Z</c>.</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        Span<char> buffer = stackalloc char[40];
        return new string(buffer[..FormatTime(time, buffer)]);
    }

    internal static int FormatTime(DateTimeOffset time, Span<char> buffer)
    {
        var utc = time.UtcDateTime;
        utc.TryFormat(buffer, out var n, "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture);
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            buffer[n++] = '.';
            fraction.TryFormat(buffer[n..], out var digits, "D7", CultureInfo.InvariantCulture);
            n += digits;
            while (buffer[n - 1] == '0') n--;
        }
        buffer[n++] = 'Z';
        return n;
    }

    /// <summary>Writes an event as its canonical <c>custodes.event/v1</c> object: the bytes each MSP's watch log hashes.</summary>
    /// <remarks>The one writer of those bytes. Stored events are written back through <see cref="WriteCanonical"/> from their
    /// columns, so a log verifies against the same bytes it hashed at ingest; changing this changes every stored hash.</remarks>
    public static void Write(Utf8JsonWriter writer, WatchEvent e)
    {
        WriteHead(writer, e.Time.UtcTicks, e.Source, e.Msp, e.Tenant, e.Actor, e.ActorIp, e.Action, e.Target);
        writer.WritePropertyName("detail"u8);
        WriteDetail(writer, e.Detail);
        writer.WriteEndObject();
    }

    /// <summary>The canonical object of a stored event whose detail was kept as the JSON <see cref="WriteDetail"/> wrote.</summary>
    public static void WriteCanonical(Utf8JsonWriter writer, long utcTicks, string source, string msp, string? tenant, string? actor,
        string? actorIp, string action, string? target, string detailJson)
    {
        WriteHead(writer, utcTicks, source, msp, tenant, actor, actorIp, action, target);
        writer.WritePropertyName("detail"u8);
        writer.WriteRawValue(detailJson, skipInputValidation: true);
        writer.WriteEndObject();
    }

    /// <summary>The <c>detail</c> object alone, as the canonical event holds it (what a stored row keeps).</summary>
    public static void WriteDetail(Utf8JsonWriter writer, EventDetail detail)
    {
        writer.WriteStartObject();
        foreach (var d in detail)
        {
            if (d.IsJson)
            {
                writer.WritePropertyName(d.Key);
                writer.WriteRawValue(d.Value, skipInputValidation: true);
            }
            else writer.WriteString(d.Key, d.Value);
        }
        writer.WriteEndObject();
    }

    // Opens the object and writes every field before detail, in the contract's order; absent optional fields are null, not omitted.
    private static void WriteHead(Utf8JsonWriter writer, long utcTicks, string source, string msp, string? tenant, string? actor,
        string? actorIp, string action, string? target)
    {
        Span<char> time = stackalloc char[40];
        writer.WriteStartObject();
        writer.WriteString("time"u8, time[..FormatTime(new DateTimeOffset(utcTicks, TimeSpan.Zero), time)]);
        writer.WriteString("source"u8, source);
        writer.WriteString("msp"u8, msp);
        WriteNullable(writer, "tenant"u8, tenant);
        WriteNullable(writer, "actor"u8, actor);
        WriteNullable(writer, "actor_ip"u8, actorIp);
        writer.WriteString("action"u8, action);
        WriteNullable(writer, "target"u8, target);
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    /// <summary>One compact NDJSON line (without the newline).</summary>
    public static string Serialize(WatchEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) Write(writer, e);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>How canonical event bytes are written: compact, non-ASCII as UTF-8 (not \u escapes), no re-validation.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Parses one event, strictly: <c>time</c> (with zone, or read in <paramref name="assumeZone"/>), <c>source</c>,
    /// <c>msp</c> and <c>action</c> are required; unknown top-level fields are kept in <c>detail</c>.</summary>
    public static WatchEvent Parse(ReadOnlySpan<byte> utf8, TimeZoneInfo? assumeZone = null) => Parse(utf8, assumeZone, pool: null);

    /// <summary>The hot path: strings through <paramref name="pool"/>, detail entries gathered in a reused <paramref name="scratch"/> list.</summary>
    internal static WatchEvent Parse(ReadOnlySpan<byte> utf8, TimeZoneInfo? assumeZone, StringPool? pool, List<DetailEntry>? scratch = null)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new RecordRejectedException("expected a JSON object (one custodes.event/v1 per line)");

        DateTimeOffset? time = null;
        string? source = null, msp = null, tenant = null, actor = null, actorIp = null, action = null, target = null;
        List<DetailEntry>? detail = null;
        List<DetailEntry>? extra = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("time"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) throw new RecordRejectedException("time must be a string such as \"2019-08-29T03:12:07Z\"");
                time = ReadTime(ref reader, assumeZone);
            }
            else if (reader.ValueTextEquals("source"u8)) source = ReadString(ref reader, "source", pool);
            else if (reader.ValueTextEquals("msp"u8)) msp = ReadString(ref reader, "msp", pool);
            else if (reader.ValueTextEquals("tenant"u8)) tenant = ReadString(ref reader, "tenant", pool);
            else if (reader.ValueTextEquals("actor"u8)) actor = ReadString(ref reader, "actor", pool);
            else if (reader.ValueTextEquals("actor_ip"u8)) actorIp = ReadString(ref reader, "actor_ip", pool);
            else if (reader.ValueTextEquals("action"u8)) action = ReadString(ref reader, "action", pool);
            else if (reader.ValueTextEquals("target"u8)) target = ReadString(ref reader, "target", pool);
            else if (reader.ValueTextEquals("detail"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartObject) throw new RecordRejectedException("detail must be an object");
                if (detail is null)
                {
                    detail = scratch ?? new List<DetailEntry>(4);
                    detail.Clear();
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = ReadName(ref reader, pool);
                    reader.Read();
                    AddOrReplace(detail, ReadValue(ref reader, key, utf8, pool));
                }
            }
            else
            {
                // Unknown top-level fields are kept, in detail, rather than dropped.
                var key = ReadName(ref reader, pool);
                reader.Read();
                (extra ??= []).Add(ReadValue(ref reader, key, utf8, pool));
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new RecordRejectedException("malformed event object");
        if (reader.Read()) throw new RecordRejectedException("trailing content after the event object");

        if (time is null) throw Missing("time");
        if (string.IsNullOrEmpty(source)) throw Missing("source");
        if (string.IsNullOrEmpty(msp)) throw Missing("msp");
        if (string.IsNullOrEmpty(action)) throw Missing("action");
        if (extra is not null)
        {
            if (detail is null)
            {
                detail = scratch ?? [];
                detail.Clear();
            }
            foreach (var x in extra)
                if (!detail.Exists(d => d.Key == x.Key)) detail.Add(x);
        }
        return new WatchEvent
        {
            Time = time.Value, Source = source, Msp = msp, Tenant = NullIfEmpty(tenant), Actor = NullIfEmpty(actor),
            ActorIp = NullIfEmpty(actorIp), Action = action, Target = NullIfEmpty(target),
            Detail = detail is null ? EventDetail.Empty : EventDetail.Unchecked([.. detail]),
        };
    }

    private static RecordRejectedException Missing(string field) => new($"missing required field '{field}'");

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static void AddOrReplace(List<DetailEntry> list, DetailEntry entry)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i].Key == entry.Key) { list[i] = entry; return; }
        list.Add(entry);
    }

    private static DateTimeOffset ReadTime(ref Utf8JsonReader reader, TimeZoneInfo? assumeZone)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && Timestamps.TryParseIso(reader.ValueSpan, out var clock, out var offset))
            return offset is { } o ? Timestamps.ToUtc(clock, o) : Timestamps.InZone(clock, assumeZone, "time", Encoding.UTF8.GetString(reader.ValueSpan));
        var text = reader.GetString()!;
        if (Timestamps.TryParseIso(text, out clock, out offset))
            return offset is { } o2 ? Timestamps.ToUtc(clock, o2) : Timestamps.InZone(clock, assumeZone, "time", text);
        throw new RecordRejectedException($"time '{Timestamps.Clip(text)}' is not an RFC 3339 time such as 2019-08-29T03:12:07Z");
    }

    private static string? ReadString(ref Utf8JsonReader reader, string field, StringPool? pool)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => Decode(ref reader, pool),
            JsonTokenType.Null => null,
            _ => throw new RecordRejectedException($"{field} must be a string"),
        };
    }

    private static string ReadName(ref Utf8JsonReader reader, StringPool? pool) => Decode(ref reader, pool);

    private static DetailEntry ReadValue(ref Utf8JsonReader reader, string key, ReadOnlySpan<byte> utf8, StringPool? pool)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new DetailEntry(key, Decode(ref reader, pool));
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                return new DetailEntry(key, Encoding.UTF8.GetString(utf8[start..end]), IsJson: true);
            default:
                return new DetailEntry(key, pool?.Get(reader.ValueSpan) ?? Encoding.UTF8.GetString(reader.ValueSpan), IsJson: true);
        }
    }

    private static string Decode(ref Utf8JsonReader reader, StringPool? pool)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            return pool?.Get(reader.ValueSpan) ?? Encoding.UTF8.GetString(reader.ValueSpan);
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        byte[]? rented = null;
        var buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var n = reader.CopyString(buffer);
            return pool?.Get(buffer[..n]) ?? Encoding.UTF8.GetString(buffer[..n]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>Lets <see cref="System.Text.Json.JsonSerializer"/> write events (in alerts) in the <c>custodes.event/v1</c> shape.</summary>
public sealed class WatchEventJsonConverter : JsonConverter<WatchEvent>
{
    public override WatchEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            return EventJson.Parse(Encoding.UTF8.GetBytes(document.RootElement.GetRawText()));
        }
        catch (RecordRejectedException e)
        {
            throw new JsonException(e.Message);
        }
    }

    public override void Write(Utf8JsonWriter writer, WatchEvent value, JsonSerializerOptions options) => EventJson.Write(writer, value);
}
