using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Custodes.Application.Database;
using Custodes.Watch.Events;

namespace Custodes.Application.Watch;

/// <summary>Events as stored: a row per event, and the canonical bytes hashed into the MSP's log — the event's
/// <c>custodes.event/v1</c> line written from the row's columns, so the same bytes come back from the same row.</summary>
internal static class StoredEvents
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static WatchEventRow ToRow(Guid msp, long seq, WatchEvent e, ArrayBufferWriter<byte> scratch)
    {
        scratch.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(scratch, Options))
        {
            writer.WriteStartObject();
            foreach (var d in e.Detail)
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
        return new WatchEventRow
        {
            MspOrganizationId = msp, Seq = seq, TimeTicks = e.Time.UtcTicks, Source = e.Source, Msp = e.Msp, Tenant = e.Tenant, Actor = e.Actor,
            ActorIp = e.ActorIp, Action = e.Action, Target = e.Target, Detail = System.Text.Encoding.UTF8.GetString(scratch.WrittenSpan),
        };
    }

    /// <summary>The canonical bytes of a stored event (what its batch hashed), written into <paramref name="output"/> (reset first).</summary>
    public static ReadOnlySpan<byte> Canonical(WatchEventRow row, ArrayBufferWriter<byte> output)
    {
        output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(output, Options);
        writer.WriteStartObject();
        writer.WriteString("time"u8, EventJson.FormatTime(new DateTimeOffset(row.TimeTicks, TimeSpan.Zero)));
        writer.WriteString("source"u8, row.Source);
        writer.WriteString("msp"u8, row.Msp);
        Nullable(writer, "tenant"u8, row.Tenant);
        Nullable(writer, "actor"u8, row.Actor);
        Nullable(writer, "actor_ip"u8, row.ActorIp);
        writer.WriteString("action"u8, row.Action);
        Nullable(writer, "target"u8, row.Target);
        writer.WritePropertyName("detail"u8);
        writer.WriteRawValue(row.Detail, skipInputValidation: true);
        writer.WriteEndObject();
        writer.Flush();
        return output.WrittenSpan;
    }

    /// <summary>The event a row holds (read back through the same parser every input goes through).</summary>
    public static WatchEvent ToEvent(WatchEventRow row)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        return EventJson.Parse(Canonical(row, buffer));
    }

    private static void Nullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }
}
