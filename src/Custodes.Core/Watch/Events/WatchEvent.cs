using System.Text.Json.Serialization;

namespace Custodes.Watch.Events;

/// <summary>One normalized audit event, <c>custodes.event/v1</c> (contracts §7).</summary>
[JsonConverter(typeof(WatchEventJsonConverter))]
public sealed record WatchEvent
{
    /// <summary>When it happened, always UTC (offset zero).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The tool that logged it: <c>kaseya-vsa</c>, <c>screenconnect</c>, …</summary>
    public required string Source { get; init; }

    public required string Msp { get; init; }
    public string? Tenant { get; init; }
    public string? Actor { get; init; }
    public string? ActorIp { get; init; }

    /// <summary>One of <see cref="EventActions"/>, or any other string the source used (kept, never dropped).</summary>
    public required string Action { get; init; }

    public string? Target { get; init; }
    public EventDetail Detail { get; init; } = EventDetail.Empty;

    /// <summary>UTC ticks of <see cref="Time"/>, the unit the detection windows work in.</summary>
    [JsonIgnore]
    public long Ticks => Time.UtcTicks;
}
