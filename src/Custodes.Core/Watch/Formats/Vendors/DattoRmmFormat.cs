using System.Globalization;
using System.Text.Json;
using Custodes.Watch.Events;

namespace Custodes.Watch.Formats.Vendors;

/// <summary><c>datto-rmm</c>: Datto RMM API v2 activity logs (<c>GET /api/v2/activity-logs</c>, <c>{"pageDetails", "activities": [...]}</c>).
/// <c>date</c> is epoch seconds (UTC); <c>details</c> is a JSON string whose keys are passed into detail. The
/// <c>category</c>/<c>action</c> vocabulary is not published, so actions are recognised from their words.</summary>
public sealed class DattoRmmFormat : VendorFormat
{
    public override string Name => "datto-rmm";
    public override string Description => "Datto RMM API v2 activity-logs pages, arrays or JSON Lines; epoch-second times.";
    public override IReadOnlyCollection<string> WrapperProperties => ["activities"];
    protected override TimeZoneInfo? FormatZone => TimeZoneInfo.Utc;

    private static readonly string[] Used = ["date", "site", "hostname", "user", "category", "action", "details", "id", "entity", "deviceId", "hasStdOut", "hasStdErr"];

    internal override void Map(Row row, EventDraft d, VendorContext c)
    {
        var time = row.First("date") ?? throw new RecordRejectedException("no date");
        d.Time = double.TryParse(time, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch) ? Timestamps.FromEpoch(epoch, "date") : c.Time(time, "date");
        d.Tenant = row.First("site.name", "siteName") ?? (row.Object("site") is null ? row.First("site") : null);
        d.Target = row.First("hostname", "deviceName");
        d.Actor = row.First("user.userName", "user.username", "user.name", "user.email", "userName")
            ?? (row.Object("user") is null ? row.First("user") : row.First("user.id"));
        var category = row.First("category") ?? "";
        var action = row.First("action") ?? "";
        var entity = row.First("entity") ?? "";
        var details = Details(row.First("details"), d);
        d.ActorIp = row.First("ipAddress") ?? details?.First("ipAddress", "ip", "sourceIp", "userIp");

        d.Action = Classify(category, action, entity, details);
        if (d.Action == EventActions.ScriptRun)
            d.Detail(DetailKeys.Script, details?.First("jobName", "job.name", "componentName", "component.name", "component", "name"));
        d.Detail(DetailKeys.CommandLine, details?.First("commandLine", "command", "command_line"));
        if (d.Action is EventActions.AgentInstalled or EventActions.AgentRemoved or EventActions.SecurityToolDisabled)
            d.Detail(DetailKeys.Tool, details?.First("software", "product", "application", "tool", "name") ?? (d.Action == EventActions.SecurityToolDisabled ? null : "Datto RMM"));
        d.Detail(DetailKeys.Role, details?.First("role", "roleName", "newRole"));
        d.Detail("category", category).Detail("vendor_action", action).Detail("entity", entity).Detail("activity_id", row.First("id"))
            .Detail("device_id", row.First("deviceId")).Detail("has_std_out", row.First("hasStdOut")).Detail("has_std_err", row.First("hasStdErr"));
        d.Rest(row, Used);
    }

    private static string Classify(string category, string action, string entity, Row? details)
    {
        var cat = category.ToLowerInvariant();
        var act = action.ToLowerInvariant();
        bool A(params string[] words) => words.Any(w => act.Contains(w, StringComparison.Ordinal));
        if (cat.Contains("job") || cat.Contains("component") || cat.Contains("script"))
            if (A("run", "deploy", "start", "execut", "creat", "launch", "quick")) return EventActions.ScriptRun;
        if (cat.Contains("remote") || A("remote", "takecontrol", "web_remote", "splashtop"))
            return A("end", "stop", "disconnect", "close") ? EventActions.SessionEnd : EventActions.SessionStart;
        if (cat is "user" || entity.Equals("user", StringComparison.OrdinalIgnoreCase))
        {
            if (A("login_fail", "loginfail", "failed", "fail")) return EventActions.LoginFailure;
            if (A("login", "logon", "signin")) return EventActions.LoginSuccess;
        }
        if (cat.Contains("device") && A("install", "add", "creat", "register")) return EventActions.AgentInstalled;
        if (cat.Contains("device") && A("delet", "remov", "uninstall")) return EventActions.AgentRemoved;
        if (cat.Contains("policy") || cat.Contains("monitor")) return EventActions.PolicyChanged;
        return Phrases.Classify($"{category} {action} {details?.First("description", "message")}") is { } p
            ? p
            : Phrases.Vendor("datto-rmm", $"{category} {action}".Trim() is { Length: > 0 } s ? s : "activity");
    }

    /// <summary>The <c>details</c> JSON string as a row; its keys go into detail too (time-like ones stay epoch ms, as sent).</summary>
    private static Row? Details(string? text, EventDraft d)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!text.TrimStart().StartsWith('{'))
        {
            d.Detail("details", text);
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var row = new JsonRow(document.RootElement.Clone());
            foreach (var (name, value, isJson) in row.Fields()) d.Detail(Names.Snake(name), value, isJson);
            return row;
        }
        catch (JsonException)
        {
            d.Detail("details", text);
            return null;
        }
    }
}
