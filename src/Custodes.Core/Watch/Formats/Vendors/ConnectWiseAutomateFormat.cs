using Custodes.Watch.Events;

namespace Custodes.Watch.Formats.Vendors;

/// <summary><c>connectwise-automate</c>: rows exported from the Automate (LabTech) MySQL schema: script history
/// (<c>h_scripts</c> joined to <c>lt_scripts</c>), the command queue/history (<c>commands</c>, <c>h_commands</c>) and
/// remote-access launches (<c>h_redirector</c>). Times are the server's local time without zone: pass --timezone.</summary>
public sealed class ConnectWiseAutomateFormat : VendorFormat
{
    public override string Name => "connectwise-automate";
    public override string Description => "ConnectWise Automate (LabTech) h_scripts / h_commands / h_redirector rows (CSV/JSON); server-local times need --timezone.";
    public override IReadOnlyCollection<string> WrapperProperties => ["rows", "data", "items", "Result"];

    private static readonly string[] Used =
    [
        "StartedDate", "DateIssued", "HistoryDate", "DateExecuted", "starttime", "DateIn", "DateUpdated", "Time", "Date",
        "RunByUser", "User", "UserName", "Technician", "ClientName", "Client", "Company", "ClientID", "ComputerName", "Computer",
        "ComputerID", "ScriptName", "ScriptID", "Parameters", "Command", "redirname", "Action", "Event",
    ];

    internal override void Map(Row row, EventDraft d, VendorContext c)
    {
        d.Time = c.Time(row, "StartedDate", "DateIssued", "HistoryDate", "DateExecuted", "starttime", "DateIn", "DateUpdated", "Time", "Date");
        // RunByUser is the console user who launched the script ('root' for the scheduler).
        d.Actor = row.First("RunByUser", "User", "UserName", "Technician");
        d.Tenant = row.First("ClientName", "Client", "Company") ?? Prefixed("client", row.First("ClientID"));
        d.Target = row.First("ComputerName", "Computer") ?? Prefixed("computer", row.First("ComputerID"));

        if (row.First("ScriptName", "ScriptID") is not null)
        {
            d.Action = EventActions.ScriptRun;
            d.Detail(DetailKeys.Script, row.First("ScriptName") ?? Prefixed("script", row.First("ScriptID")));
            d.Detail("script_id", row.First("ScriptID"));
            d.Detail("parameters", row.First("Parameters"));
        }
        else if (row.First("redirname") is { } tool)
        {
            d.Action = EventActions.SessionStart;
            d.Detail(DetailKeys.Tool, tool);
        }
        else if (row.First("Command") is { } command)
        {
            d.Action = EventActions.ScriptRun;
            d.Detail("command_type", command);
            d.Detail(DetailKeys.CommandLine, row.First("Parameters"));
        }
        else if (row.First("Action", "Event") is { } action)
        {
            var normalized = ActionNames.Normalize(action);
            d.Action = EventActions.IsKnown(normalized) ? normalized : Phrases.Classify(action) ?? Phrases.Vendor(Name, action);
        }
        else throw new RecordRejectedException("not a script, command or redirector row (no ScriptName/ScriptID, Command, redirname or Action)");
        d.Rest(row, Used);
    }

    private static string? Prefixed(string kind, string? id) => id is null ? null : $"{kind}:{id}";
}
