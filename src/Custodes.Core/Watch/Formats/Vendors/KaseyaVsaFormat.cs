using Custodes.Watch.Events;

namespace Custodes.Watch.Formats.Vendors;

/// <summary><c>kaseya-vsa</c>: Kaseya VSA REST pages (<c>{"Result": [...]}</c>) or exports of the Agent Procedure Log
/// (<c>assetmgmt/logs/{agent}/agentprocedure</c>, sorted by <c>LastExecution</c>), the remote-control log, Live Connect
/// audit entries (<c>UserName, AgentName, LogMessage</c>) and admin/audit log rows. Zone-less times need --timezone.</summary>
public sealed class KaseyaVsaFormat : VendorFormat
{
    public override string Name => "kaseya-vsa";
    public override string Description => "Kaseya VSA agent procedure log, remote control log, Live Connect audit and admin log (REST JSON or CSV).";
    public override IReadOnlyCollection<string> WrapperProperties => ["Result", "result", "Results"];

    private static readonly string[] Used =
    [
        "LastExecution", "EventTime", "Time", "StartTime", "Date", "Timestamp", "Admin", "AdminName", "UserName", "User", "ScheduledBy",
        "MachineName", "AgentName", "ComputerName", "MachineId", "OrgName", "Organization", "OrganizationName", "Org", "MachineGroup",
        "GroupName", "IPAddress", "IpAddress", "SourceIp", "LogMessage", "ProcedureName", "AgentProcedureName", "ScriptName", "ProcedureHistory",
        "CommandLine", "Command", "Description", "Event", "Message", "Action", "Status",
    ];

    internal override void Map(Row row, EventDraft d, VendorContext c)
    {
        d.Time = c.Time(row, "LastExecution", "EventTime", "Time", "StartTime", "Date", "Timestamp");
        d.Actor = row.First("Admin", "AdminName", "UserName", "User", "ScheduledBy");
        d.Target = row.First("MachineName", "AgentName", "ComputerName", "MachineId");
        d.Tenant = row.First("OrgName", "Organization", "OrganizationName", "Org", "MachineGroup", "GroupName") ?? OrgOf(d.Target);
        d.ActorIp = row.First("IPAddress", "IpAddress", "SourceIp");
        d.Detail(DetailKeys.Status, row.First("Status"));

        if (row.First("LogMessage") is { } message)
        {
            d.Detail(DetailKeys.Message, message);
            d.Action = Phrases.Classify(message) is { } a && a != EventActions.LoginSuccess ? a : "kaseya-vsa.live_connect";
        }
        else if (row.First("ProcedureName", "AgentProcedureName", "ScriptName", "ProcedureHistory") is { } procedure)
        {
            d.Action = EventActions.ScriptRun;
            var name = row.First("ProcedureName", "AgentProcedureName", "ScriptName") ?? procedure.Split('\n')[0].Trim();
            d.Detail(DetailKeys.Script, name);
            if (row.First("ProcedureHistory") is { } history && history != name) d.Detail("history", history);
            d.Detail(DetailKeys.CommandLine, row.First("CommandLine", "Command"));
        }
        else if (row.First("SessionType", "Duration", "RemoteControlType") is not null && row.First("StartTime") is not null)
        {
            d.Action = EventActions.SessionStart;
        }
        else if (row.First("Action") is { } action && EventActions.TryCanonical(ActionNames.Normalize(action)) is { } known)
        {
            d.Action = known;
        }
        else if (row.First("Description", "Event", "Message", "Action") is { } text)
        {
            d.Detail(DetailKeys.Message, text);
            d.Action = Phrases.Classify(text) ?? "kaseya-vsa.admin_log";
            if (d.Action is EventActions.AccountCreated or EventActions.AccountRoleChanged) d.Detail(DetailKeys.Role, row.First("Role") ?? Phrases.Role(text));
        }
        else throw new RecordRejectedException("not a procedure, remote-control, Live Connect or admin log row");
        d.Rest(row, Used);
    }

    /// <summary>VSA machine ids read <c>machine.group.org</c>; the organization is the last segment (an assumption, used
    /// only when the row names no organization).</summary>
    private static string? OrgOf(string? machineId)
    {
        if (machineId is null) return null;
        var dot = machineId.LastIndexOf('.');
        return dot > 0 && dot < machineId.Length - 1 && !System.Net.IPAddress.TryParse(machineId, out _) ? machineId[(dot + 1)..] : null;
    }
}
