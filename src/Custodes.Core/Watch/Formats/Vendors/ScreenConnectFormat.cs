using System.Text.RegularExpressions;
using Custodes.Watch.Events;

namespace Custodes.Watch.Formats.Vendors;

/// <summary><c>screenconnect</c>: ConnectWise ScreenConnect session events (Session/SessionEvent/SessionConnectionEvent
/// rows from the report generator or Session.db, or a trigger's web-request body), security/audit events, and the
/// guest-side Windows Application log (EventIDs 0/1, 30, 100, 101, 200, 201 as exported by EvtxECmd). Times are UTC.</summary>
public sealed partial class ScreenConnectFormat : VendorFormat
{
    public override string Name => "screenconnect";
    public override string Description => "ConnectWise ScreenConnect session events, security events, or guest-side Application log (CSV/JSON); times UTC.";
    public override IReadOnlyCollection<string> WrapperProperties => ["events", "Events", "items", "Items", "rows"];
    protected override TimeZoneInfo? FormatZone => TimeZoneInfo.Utc;

    internal override void Map(Row row, EventDraft d, VendorContext c)
    {
        var eventId = row.First("EventId", "EventID", "Id");
        var provider = row.First("Provider", "ProviderName");
        if (eventId is not null && (provider is null || provider.Contains("ScreenConnect", StringComparison.OrdinalIgnoreCase)) && row.First("EventType", "SessionEventType") is null)
        {
            GuestLog(row, d, c, eventId);
            return;
        }
        var type = row.First("EventType", "SessionEventType", "SecurityEventType", "Event")
            ?? throw new RecordRejectedException("neither a session/security event (EventType) nor a guest-side log entry (EventId)");
        d.Time = c.Time(row, "Time", "EventTime", "Date", "Timestamp", "CreatedTime", "LastTime");
        d.Actor = row.First("Host", "ParticipantName", "UserName", "User", "Username");
        d.ActorIp = row.First("NetworkAddress", "IPAddress", "IpAddress", "ClientIP", "ClientIp");
        d.Tenant = row.First("CustomProperty1", "SessionCustomProperty1", "Company", "Tenant");
        d.Target = row.First("GuestMachineName", "SessionName", "Name", "MachineName");
        var data = row.First("Data", "EventData");
        d.Detail("event_type", type).Detail(DetailKeys.SessionId, row.First("SessionID", "SessionId"));
        var processType = row.First("ProcessType", "SessionConnectionProcessType", "ConnectionProcessType");
        var guest = string.Equals(processType, "Guest", StringComparison.OrdinalIgnoreCase);

        switch (Names.Canonical(type))
        {
            case "connected":
                d.Action = guest ? "screenconnect.guest_connected" : EventActions.SessionStart;
                break;
            case "disconnected":
                d.Action = guest ? "screenconnect.guest_disconnected" : EventActions.SessionEnd;
                break;
            case "rancommand":
                d.Action = EventActions.ScriptRun;
                d.Detail(DetailKeys.CommandLine, data);
                break;
            case "queuedcommand":
                d.Action = "screenconnect.queued_command";
                d.Detail(DetailKeys.CommandLine, data);
                break;
            case "ranfiles":
                d.Action = EventActions.ScriptRun;
                d.Detail(DetailKeys.File, data).Detail(DetailKeys.Script, FirstLine(data));
                break;
            case "sentfiles" or "copiedfiles" or "draggedfiles":
                d.Action = EventActions.FileTransfer;
                d.Detail(DetailKeys.File, data);
                break;
            case "rantool" or "queuedtool":
                d.Action = Names.Canonical(type) == "rantool" ? EventActions.ScriptRun : "screenconnect.queued_tool";
                d.Detail(DetailKeys.Script, FirstLine(data));
                break;
            case "queueduninstall":
                d.Action = EventActions.AgentRemoved;
                d.Detail(DetailKeys.Tool, "ScreenConnect");
                break;
            case "queuedreinstall":
                d.Action = EventActions.AgentInstalled;
                d.Detail(DetailKeys.Tool, "ScreenConnect");
                break;
            case "loginsuccess" or "successfullogin":
                d.Action = EventActions.LoginSuccess;
                break;
            case "loginattempt":
                var result = row.First("OperationResult", "Result");
                d.Action = result is null || Names.Canonical(result) is "success" or "succeeded" ? EventActions.LoginSuccess : EventActions.LoginFailure;
                d.Detail(DetailKeys.Result, result);
                break;
            case "invalidpassword" or "invalidonetimepassword" or "useraccountlocked" or "userlockedout" or "accountlocked":
                d.Action = EventActions.LoginFailure;
                d.Detail("reason", type);
                break;
            default:
                d.Action = Phrases.Vendor("screenconnect", type);
                d.Detail("data", data);
                break;
        }
        d.Rest(row, ["Time", "EventTime", "Date", "Timestamp", "CreatedTime", "LastTime", "EventType", "SessionEventType", "SecurityEventType", "Event",
            "Host", "ParticipantName", "UserName", "User", "Username", "NetworkAddress", "IPAddress", "ClientIP", "CustomProperty1", "SessionCustomProperty1",
            "Company", "Tenant", "GuestMachineName", "SessionName", "Name", "MachineName", "Data", "EventData", "SessionID"]);
    }

    /// <summary>The guest-side Application log: one free-text message per event, meaning taken from the text since older
    /// client builds logged everything under one id.</summary>
    private static void GuestLog(Row row, EventDraft d, VendorContext c, string eventId)
    {
        d.Time = c.Time(row, "TimeCreated", "TimeCreated.SystemTime", "SystemTime", "Time", "Date");
        d.Target = row.First("Computer", "MachineName", "ComputerName");
        var message = row.First("Payload", "PayloadData1", "Message", "Data", "EventData") ?? "";
        d.Detail("event_id", eventId);
        if (VersionLine().Match(message) is { Success: true } v) d.Detail("client_version", v.Groups[1].Value);
        if (PathLine().Match(message) is { Success: true } p) d.Detail("executable_path", p.Groups[1].Value.Trim());
        var text = message.Split("\n\n")[0].Trim();
        if (Connected().Match(text) is { Success: true } con)
        {
            d.Action = EventActions.SessionStart;
            d.Actor = con.Groups["user"].Value;
        }
        else if (Disconnected().Match(text) is { Success: true } dis)
        {
            d.Action = EventActions.SessionEnd;
            d.Actor = dis.Groups["user"].Value;
        }
        else if (Transferred().Match(text) is { Success: true } t)
        {
            var files = string.Join("; ", text.Split('\n').Skip(1).Select(f => f.Trim()).Where(f => f.Length > 0));
            var how = t.Groups["how"].Value;
            d.Action = how.StartsWith("Run", StringComparison.OrdinalIgnoreCase) ? EventActions.ScriptRun : EventActions.FileTransfer;
            d.Detail("transfer_action", how).Detail(DetailKeys.File, files);
            if (d.Action == EventActions.ScriptRun) d.Detail(DetailKeys.Script, files.Split("; ")[0]);
        }
        else if (Executed().Match(text) is { Success: true } x)
        {
            d.Action = EventActions.ScriptRun;
            d.Detail("command_length", x.Groups["n"].Value);
        }
        else if (text.Contains("ended the remote session", StringComparison.OrdinalIgnoreCase)) d.Action = EventActions.SessionEnd;
        else d.Action = Phrases.Vendor("screenconnect", "guest_event_" + eventId);
        d.Detail(DetailKeys.Message, text);
    }

    private static string? FirstLine(string? s) => s?.Split('\n')[0].Trim();

    [GeneratedRegex(@"^(?<user>.+?)\s+Connected\b", RegexOptions.IgnoreCase)] private static partial Regex Connected();
    [GeneratedRegex(@"^(?<user>.+?)\s+Disconnected\b", RegexOptions.IgnoreCase)] private static partial Regex Disconnected();
    [GeneratedRegex(@"^Transferred files with action '(?<how>[^']+)'", RegexOptions.IgnoreCase)] private static partial Regex Transferred();
    [GeneratedRegex(@"^Executed command of length (?<n>\d+)", RegexOptions.IgnoreCase)] private static partial Regex Executed();
    [GeneratedRegex(@"Version:\s*([0-9.]+)")] private static partial Regex VersionLine();
    [GeneratedRegex(@"Executable Path:\s*(.+)")] private static partial Regex PathLine();
}
