using Custodes.Watch.Events;

namespace Custodes.Watch.Formats.Vendors;

/// <summary><c>atera</c>: the Atera audit log (Admin › Users and security › Audit log) exported to CSV or JSON. Its log
/// types are Login, Created, Modified, Deleted, Remote actions and View data; times are shown in the viewer's local zone,
/// so zone-less times need --timezone. Column names are not published and are matched tolerantly.</summary>
public sealed class AteraFormat : VendorFormat
{
    public override string Name => "atera";
    public override string Description => "Atera audit log export (CSV/JSON): log type, technician, event title, customer, device; needs --timezone.";
    public override IReadOnlyCollection<string> WrapperProperties => ["items", "data", "auditLogs"];

    private static readonly string[] TimeFields = ["Date", "Date/Time", "Time", "Created", "Timestamp", "CreatedOn", "date"];
    private static readonly string[] ActorFields = ["Technician", "Technician Name", "User", "Performed By", "technician"];
    private static readonly string[] TenantFields = ["Customer", "Customer Name", "Site", "Site Name", "customer"];
    private static readonly string[] TargetFields = ["Device", "Device Name", "Agent", "Machine", "device"];
    private static readonly string[] TypeFields = ["Log Type", "Type", "Category", "logType"];
    private static readonly string[] TitleFields = ["Event Title", "Event", "Title", "Action", "Description", "title"];

    internal override void Map(Row row, EventDraft d, VendorContext c)
    {
        d.Time = c.Time(row, TimeFields);
        d.Actor = row.First(ActorFields);
        d.Tenant = row.First(TenantFields);
        d.Target = row.First(TargetFields);
        d.ActorIp = row.First("IP", "IP Address", "ipAddress");
        var logType = row.First(TypeFields) ?? "";
        var title = row.First(TitleFields) ?? "";
        d.Action = Classify(Names.Canonical(logType), title) ?? Phrases.Vendor(Name, $"{logType} {title}".Trim() is { Length: > 0 } s ? s : "event");
        if (d.Action == EventActions.ScriptRun) d.Detail(DetailKeys.Script, row.First("Script", "Script Name") ?? title);
        if (d.Action is EventActions.AgentInstalled or EventActions.AgentRemoved) d.Detail(DetailKeys.Tool, row.First("Software", "Product") ?? title);
        d.Detail(DetailKeys.CommandLine, row.First("Command Line", "Command"));
        d.Detail(DetailKeys.Role, row.First("Role", "New Role") ?? (d.Action is EventActions.AccountCreated or EventActions.AccountRoleChanged ? Phrases.Role(title) : null));
        d.Detail("log_type", logType).Detail(DetailKeys.Message, title);
        d.Rest(row, [.. TimeFields, .. ActorFields, .. TenantFields, .. TargetFields, .. TypeFields, .. TitleFields, "IP", "IP Address", "Script", "Script Name", "Software", "Product", "Command Line", "Command", "Role", "New Role"]);
    }

    private static string? Classify(string logType, string title)
    {
        var t = title.ToLowerInvariant();
        switch (logType)
        {
            case "login":
                return t.Contains("fail") || t.Contains("invalid") || t.Contains("locked") ? EventActions.LoginFailure : EventActions.LoginSuccess;
            case "remoteactions":
                if (t.Contains("script") || t.Contains("powershell") || t.Contains("command") || t.Contains("automation")) return EventActions.ScriptRun;
                if (t.Contains("uninstall")) return EventActions.AgentRemoved;
                if (t.Contains("install")) return EventActions.AgentInstalled;
                if (t.Contains("file")) return EventActions.FileTransfer;
                if (RemoteAccessTools.Identify(t) is not null || t.Contains("connect") || t.Contains("remote")) return EventActions.SessionStart;
                break;
            case "deleted":
                if (t.Contains("backup")) return EventActions.BackupDeleted;
                if (t.Contains("agent") || t.Contains("device")) return EventActions.AgentRemoved;
                break;
        }
        return Phrases.Classify(title);
    }
}
