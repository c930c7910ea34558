using Custodes.Watch.Events;

namespace Custodes.Watch.Formats;

/// <summary>Maps a generic row (csv, jsonl, syslog payload) onto an event by common field names, or by the caller's
/// <c>--map field=column</c>. Fields it does not map go into <c>detail</c>.</summary>
internal sealed class RowMapper(FormatContext context)
{
    public static readonly IReadOnlyDictionary<string, string[]> Alternates = new Dictionary<string, string[]>
    {
        ["time"] = ["time", "timestamp", "date", "datetime", "event_time", "@timestamp", "created_at", "created", "occurred_at", "logged_at", "when"],
        ["source"] = ["source", "product", "vendor"],
        ["msp"] = ["msp", "msp_id", "provider"],
        ["tenant"] = ["tenant", "customer", "client", "company", "organization", "org", "site", "customer_name", "client_name", "site_name"],
        ["actor"] = ["actor", "user", "username", "user_name", "technician", "admin", "operator", "performed_by", "initiated_by"],
        ["actor_ip"] = ["actor_ip", "ip", "ip_address", "source_ip", "src_ip", "client_ip", "remote_ip", "network_address"],
        ["action"] = ["action", "event", "event_type", "activity", "operation", "type"],
        ["target"] = ["target", "device", "host", "hostname", "computer", "computer_name", "machine", "endpoint", "device_name"],
    };

    public static readonly IReadOnlyCollection<string> Fields = [.. Alternates.Keys];

    private readonly IReadOnlyDictionary<string, string> _map = Validate(context.Options.FieldMap);

    /// <summary>The event of <paramref name="row"/>. <paramref name="fallbackTime"/> and <paramref name="fallbackSource"/>
    /// apply when the row has none (a syslog header's time and app name).</summary>
    public WatchEvent Map(Row row, string fallbackSource, TimeZoneInfo? zone, DateTimeOffset? fallbackTime = null, string? noTimeReason = null,
        Action<EventDraft>? extra = null)
    {
        var used = new List<string>();
        string? Field(string field)
        {
            var names = _map.TryGetValue(field, out var mapped) ? [mapped] : Alternates[field];
            var name = row.FirstName(names);
            if (name is null) return null;
            used.Add(name);
            return row.Get(name)!.Trim();
        }

        var draft = new EventDraft();
        var time = Field("time");
        draft.Time = time is not null ? Timestamps.Parse(time, zone) : fallbackTime
            ?? throw new RecordRejectedException(noTimeReason ?? $"no time field (looked for {string.Join(", ", Names(_map, "time"))}; map one with --map time=<field>)");
        draft.Source = Field("source") ?? fallbackSource;
        draft.Msp = Field("msp");
        draft.Tenant = Field("tenant");
        draft.Actor = Field("actor");
        draft.ActorIp = Field("actor_ip");
        var action = Field("action") ?? throw new RecordRejectedException($"no action field (looked for {string.Join(", ", Names(_map, "action"))}; map one with --map action=<field>)");
        draft.Action = ActionNames.Normalize(action);
        draft.Target = Field("target");

        if (row.Object("detail") is { } nested)
        {
            used.Add("detail");
            foreach (var (name, value, isJson) in nested.Fields()) draft.Detail(name, value, isJson);
        }
        extra?.Invoke(draft);
        draft.Rest(row, used);
        return draft.Build(context);
    }

    private static IEnumerable<string> Names(IReadOnlyDictionary<string, string> map, string field) =>
        map.TryGetValue(field, out var mapped) ? [mapped] : Alternates[field];

    private static IReadOnlyDictionary<string, string> Validate(IReadOnlyDictionary<string, string> map)
    {
        foreach (var key in map.Keys)
            if (!Alternates.ContainsKey(key))
                throw new Common.BadInputException($"--map {key}=…: '{key}' is not an event field; expected one of {string.Join(", ", Alternates.Keys)}");
        return map;
    }
}
