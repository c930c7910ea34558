using Custodes.Watch.Events;

namespace Custodes.Watch.Formats.Vendors;

/// <summary><c>n-able</c>: N-able N-central / N-sight audit and scheduled-task exports (CSV or JSON). No public schema was
/// found, so columns are matched by the names the UI shows and common alternates, and actions by their words.</summary>
public sealed class NableFormat : VendorFormat
{
    public override string Name => "n-able";
    public override string Description => "N-able N-central / N-sight audit trail and scheduled-task exports (CSV/JSON; columns matched tolerantly).";
    public override IReadOnlyCollection<string> WrapperProperties => ["data", "items", "auditEvents", "results"];

    private static readonly string[] TimeFields = ["Date/Time", "DateTime", "Event Time", "Time", "Timestamp", "Start Time", "Date", "eventTime", "createdOn"];
    private static readonly string[] ActorFields = ["User", "Username", "User Name", "Performed By", "Technician", "Login", "userName"];
    private static readonly string[] TenantFields = ["Customer", "Customer Name", "Site", "Site Name", "Client", "Client Name", "Organization", "SO", "customerName"];
    private static readonly string[] TargetFields = ["Device", "Device Name", "Computer", "Appliance", "deviceName"];
    private static readonly string[] IpFields = ["IP Address", "Source IP", "IP", "ipAddress"];
    private static readonly string[] ScriptFields = ["Task Name", "Script", "Script Name", "Scheduled Task", "Automation Policy", "taskName"];
    private static readonly string[] TextFields = ["Action", "Event", "Activity", "Event Type", "Description", "Details", "action", "description"];

    internal override void Map(Row row, EventDraft d, VendorContext c)
    {
        d.Time = c.Time(row, TimeFields);
        d.Actor = row.First(ActorFields);
        d.Tenant = row.First(TenantFields);
        d.Target = row.First(TargetFields);
        d.ActorIp = row.First(IpFields);
        var script = row.First(ScriptFields);
        var text = string.Join(" ", TextFields.Select(f => row.Get(f)).Where(v => !string.IsNullOrWhiteSpace(v)).Distinct());
        var action = row.First("Action", "action") is { } a && EventActions.TryCanonical(ActionNames.Normalize(a)) is { } known ? known : Phrases.Classify(text);
        if (action is null && script is not null) action = EventActions.ScriptRun;
        d.Action = action ?? Phrases.Vendor(Name, text.Length > 0 ? text : "event");
        if (d.Action == EventActions.ScriptRun) d.Detail(DetailKeys.Script, script);
        d.Detail(DetailKeys.CommandLine, row.First("Command Line", "Command", "commandLine"));
        d.Detail(DetailKeys.Role, row.First("Role", "New Role", "role") ?? (d.Action is EventActions.AccountCreated or EventActions.AccountRoleChanged ? Phrases.Role(text) : null));
        if (d.Action is EventActions.AgentInstalled or EventActions.AgentRemoved or EventActions.SecurityToolDisabled)
            d.Detail(DetailKeys.Tool, row.First("Software", "Product", "Application") ?? ToolIn(text));
        d.Detail(DetailKeys.Message, text);
        d.Rest(row, [.. TimeFields, .. ActorFields, .. TenantFields, .. TargetFields, .. IpFields, .. ScriptFields, .. TextFields, "Command Line", "Command", "Role", "New Role"]);
    }

    internal static string? ToolIn(string text) => RemoteAccessTools.Identify(text) is not null ? text : null;
}
