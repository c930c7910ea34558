using System.Buffers;
using System.Text.Json;
using Custodes.Application.Database;
using Custodes.Watch.Events;

namespace Custodes.Application.Watch;

/// <summary>Events as stored: a row per event, and the canonical bytes hashed into the MSP's log — the event's
/// <c>custodes.event/v1</c> line written from the row's columns, so the same bytes come back from the same row.</summary>
internal static class StoredEvents
{
    public static WatchEventRow ToRow(Guid msp, long seq, WatchEvent e, ArrayBufferWriter<byte> scratch)
    {
        scratch.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(scratch, EventJson.WriterOptions)) EventJson.WriteDetail(writer, e.Detail);
        return new WatchEventRow
        {
            MspOrganizationId = msp, Seq = seq, TimeTicks = e.Time.UtcTicks, Source = e.Source, Msp = e.Msp, Tenant = e.Tenant, Actor = e.Actor,
            ActorIp = e.ActorIp, Action = e.Action, Target = e.Target, Detail = System.Text.Encoding.UTF8.GetString(scratch.WrittenSpan),
        };
    }

    /// <summary>The canonical bytes of a stored event (what its batch hashed), written into <paramref name="output"/> (reset first)
    /// by the one writer of those bytes, <see cref="EventJson"/>.</summary>
    public static ReadOnlySpan<byte> Canonical(WatchEventRow row, ArrayBufferWriter<byte> output)
    {
        output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(output, EventJson.WriterOptions);
        EventJson.WriteCanonical(writer, row.TimeTicks, row.Source, row.Msp, row.Tenant, row.Actor, row.ActorIp, row.Action, row.Target, row.Detail);
        writer.Flush();
        return output.WrittenSpan;
    }

    /// <summary>The event a row holds (read back through the same parser every input goes through).</summary>
    public static WatchEvent ToEvent(WatchEventRow row)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        return EventJson.Parse(Canonical(row, buffer));
    }
}
