using System.Globalization;
using Custodes.Watch.Events;

namespace Custodes.Watch.Formats.Vendors;

/// <summary><c>ninjaone</c>: NinjaOne public API v2 activities (<c>GET /v2/activities</c>, <c>{"lastActivityId", "activities": [...]}</c>).
/// <c>activityTime</c> is epoch seconds (UTC); the action comes from <c>statusCode</c> and <c>activityType</c>.</summary>
public sealed class NinjaOneFormat : VendorFormat
{
    public override string Name => "ninjaone";
    public override string Description => "NinjaOne API v2 activities (GET /v2/activities pages, arrays or JSON Lines); epoch-second times.";
    public override IReadOnlyCollection<string> WrapperProperties => ["activities"];
    protected override TimeZoneInfo? FormatZone => TimeZoneInfo.Utc;

    private static readonly string[] Used =
    [
        "activityTime", "userId", "user", "userName", "technicianName", "deviceId", "deviceName", "organizationId", "organizationName",
        "clientName", "statusCode", "activityType", "sourceName", "activityResult", "id", "message", "status", "subject", "severity",
        "priority", "seriesUid", "sourceConfigUid", "type", "data", "ipAddress",
    ];

    private static readonly Dictionary<string, string> Status = new()
    {
        ["APP_USER_LOGGED_IN"] = EventActions.LoginSuccess,
        ["END_USER_LOGGED_IN"] = EventActions.LoginSuccess,
        ["APP_USER_AUDIT_FAILED_LOGIN"] = EventActions.LoginFailure,
        ["END_USER_AUDIT_FAILED_LOGIN"] = EventActions.LoginFailure,
        ["APP_USER_MFA_DELETED"] = EventActions.MfaDisabled,
        ["END_USER_MFA_DELETED"] = EventActions.MfaDisabled,
        ["APP_USER_CREATED"] = EventActions.AccountCreated,
        ["END_USER_CREATED"] = EventActions.AccountCreated,
        ["TECHNICIAN_ROLE_ASSIGNMENT_CHANGED"] = EventActions.AccountRoleChanged,
        ["POLICY_CREATED"] = EventActions.PolicyChanged,
        ["POLICY_UPDATED"] = EventActions.PolicyChanged,
        ["POLICY_DELETED"] = EventActions.PolicyChanged,
        ["OAUTH2_CREATED"] = EventActions.ApiKeyCreated,
        ["NODE_CREATED"] = EventActions.AgentInstalled,
        ["NODE_DELETED"] = EventActions.AgentRemoved,
        ["RDP_CONNECTION_ESTABLISHED"] = EventActions.SessionStart,
        ["RDP_CONNECTION_TERMINATED"] = EventActions.SessionEnd,
        ["SPLASHTOP_CONNECTION_ESTABLISHED"] = EventActions.SessionStart,
        ["SPLASHTOP_CONNECTION_TERMINATED"] = EventActions.SessionEnd,
        ["TEAMVIEWER_CONNECTION_ESTABLISHED"] = EventActions.SessionStart,
        ["TEAMVIEWER_CONNECTION_TERMINATED"] = EventActions.SessionEnd,
        ["QC_SESSION_STARTED"] = EventActions.SessionStart,
        ["QC_SESSION_TERMINATED"] = EventActions.SessionEnd,
        ["CONNECTWISECONTROL_ATTEMPT"] = EventActions.SessionStart,
        ["REMOTE_TOOLS_UPLOAD_FILE_INITIATED"] = EventActions.FileTransfer,
        ["REMOTE_TOOLS_DOWNLOAD_FILE_INITIATED"] = EventActions.FileTransfer,
        ["SENTINEL_ONE_AGENT_DISABLED"] = EventActions.SecurityToolDisabled,
        ["SENTINEL_ONE_AGENT_SHUT_DOWN"] = EventActions.SecurityToolDisabled,
        ["VIPREAV_UNINSTALLED"] = EventActions.SecurityToolDisabled,
        ["GRAVITYZONE_DISABLING_FAILED"] = EventActions.SecurityToolDisabled,
        ["COMPETITOR_EXISTING_PRODUCT_UNINSTALL"] = EventActions.SecurityToolDisabled,
    };

    internal override void Map(Row row, EventDraft d, VendorContext c)
    {
        var time = row.First("activityTime") ?? throw new RecordRejectedException("no activityTime");
        d.Time = double.TryParse(time, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch) ? Timestamps.FromEpoch(epoch, "activityTime") : c.Time(time, "activityTime");
        // userId is who acted; names under data describe whom it was done to.
        d.Actor = row.First("user", "userName", "technicianName") ?? Id("user", row.First("userId"));
        d.Tenant = row.First("organizationName", "clientName", "data.organizationName", "data.organization.name") ?? Id("org", row.First("organizationId", "data.organizationId"));
        d.Target = row.First("deviceName", "data.deviceName", "data.device.name", "data.systemName") ?? Id("device", row.First("deviceId"));
        d.ActorIp = row.First("ipAddress", "data.ipAddress", "data.ip", "data.sourceIp");

        var code = row.First("statusCode") ?? "";
        var type = row.First("activityType") ?? "";
        var source = row.First("sourceName");
        d.Action = Action(code, type);
        if (d.Action == EventActions.ScriptRun) d.Detail(DetailKeys.Script, source);
        else d.Detail("source_name", source);
        if (d.Action == EventActions.SecurityToolDisabled) d.Detail(DetailKeys.Tool, ToolOf(code) ?? source);
        if (d.Action == EventActions.AgentInstalled || d.Action == EventActions.AgentRemoved) d.Detail(DetailKeys.Tool, "NinjaOne");
        if (d.Action is EventActions.SessionStart or EventActions.SessionEnd) d.Detail(DetailKeys.Tool, code.Split('_')[0].ToLowerInvariant());
        d.Detail(DetailKeys.CommandLine, row.First("data.commandLine", "data.command_line", "data.command"));
        d.Detail(DetailKeys.Role, row.First("data.role", "data.roleName"));
        if (d.Action is EventActions.MfaDisabled or EventActions.AccountCreated or EventActions.AccountRoleChanged)
            d.Detail(DetailKeys.Account, row.First("data.user.name", "data.userName", "data.user.email", "subject"));
        d.Detail("activity_id", row.First("id")).Detail("status_code", code).Detail("activity_type", type)
            .Detail(DetailKeys.Result, row.First("activityResult")).Detail(DetailKeys.Message, row.First("message"))
            .Detail(DetailKeys.Status, row.First("status")).Detail("subject", row.First("subject")).Detail("severity", row.First("severity"))
            .Detail("series_uid", row.First("seriesUid")).Detail("source_config_uid", row.First("sourceConfigUid"));
        if (row.Get("data") is { } data && data.StartsWith('{') && data != "{}") d.Detail("data", data, isJson: true);
        d.Rest(row, Used);
    }

    /// <summary>A run is requested once and then reported STARTED and COMPLETED: only the request counts as the run.</summary>
    private static string Action(string code, string type)
    {
        if (Status.TryGetValue(code, out var known)) return known;
        if (code.StartsWith("BITDEFENDER_UNINSTALLATION", StringComparison.Ordinal)) return EventActions.SecurityToolDisabled;
        if (type is "ACTION" or "ACTIONSET" or "SCRIPTING" or "CONDITION_ACTION" or "CONDITION_ACTIONSET" or "SCHEDULED_TASK")
            return code switch
            {
                "START_REQUESTED" => EventActions.ScriptRun,
                "" => EventActions.ScriptRun,
                _ => Phrases.Vendor("ninjaone", "script " + code),
            };
        return Phrases.Vendor("ninjaone", code.Length > 0 ? code : type.Length > 0 ? type : "activity");
    }

    private static string? ToolOf(string code) => code switch
    {
        _ when code.StartsWith("SENTINEL_ONE", StringComparison.Ordinal) => "SentinelOne",
        _ when code.StartsWith("BITDEFENDER", StringComparison.Ordinal) || code.StartsWith("GRAVITYZONE", StringComparison.Ordinal) => "Bitdefender GravityZone",
        _ when code.StartsWith("VIPRE", StringComparison.Ordinal) => "VIPRE",
        _ => null,
    };

    private static string? Id(string kind, string? id) => id is null or "0" ? null : $"{kind}:{id}";
}
