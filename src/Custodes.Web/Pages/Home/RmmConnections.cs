namespace Custodes.Web.Pages.Home;

/// <summary>
/// How an MSP sends each supported RMM's audit log here, exactly as ingestion accepts it (docs/watch-formats.md, Core/Watch/Formats):
/// the format name, where the log comes from, whether times need a zone, and the HTTP request (and, for syslog senders, the listener
/// and the relay) with this installation's address filled in.
/// </summary>
public static class RmmConnections
{
    /// <param name="Format">The <c>format</c> query value (<c>custodes watch formats</c> lists them).</param>
    /// <param name="Source">Where the records come from in the RMM.</param>
    /// <param name="Zone">Whether times arrive without a zone, so <c>timezone</c> must be given.</param>
    /// <param name="ContentType">The body's media type for the HTTP request.</param>
    /// <param name="File">The export file name in the example.</param>
    public sealed record Rmm(string Name, string Format, string Source, bool Zone, string ContentType, string File);

    public static readonly IReadOnlyList<Rmm> Supported =
    [
        new("Kaseya VSA", "kaseya-vsa", "VSA 9.x REST: assetmgmt/logs/{agentId}/agentprocedure and …/remotecontrol pages, or the same fields as CSV", true, "application/json", "vsa-logs.json"),
        new("ConnectWise Automate", "connectwise-automate", "script history (h_scripts with lt_scripts), commands (commands, h_commands) and h_redirector rows exported as CSV or JSON", true, "text/csv", "automate.csv"),
        new("ConnectWise ScreenConnect", "screenconnect", "session events (report generator or a trigger's web request) and security events, as CSV", false, "text/csv", "screenconnect.csv"),
        new("NinjaOne", "ninjaone", "public API v2 GET /v2/activities pages", false, "application/json", "ninja-activities.json"),
        new("Datto RMM", "datto-rmm", "API v2 GET /api/v2/activity-logs pages", false, "application/json", "datto-activity.json"),
        new("N-able N-central / N-sight", "n-able", "audit trail or scheduled-task report exported as CSV (or JSON from the N-central REST API)", true, "text/csv", "n-able.csv"),
        new("Atera", "atera", "Admin › Users and security › Audit log, exported as CSV", true, "text/csv", "atera.csv"),
    ];

    /// <summary>The HTTP request that sends one export; the key is an API key of a member of the MSP who may change data.</summary>
    public static string Http(string publicBase, Rmm rmm) =>
        $"curl -X POST '{publicBase}/api/v1/watch/events?format={rmm.Format}{(rmm.Zone ? "&timezone=America/Denver" : "")}' \\\n"
        + "  -H 'Authorization: Bearer <your API key>' \\\n"
        + $"  -H 'Content-Type: {rmm.ContentType}' -H 'Idempotency-Key: <a new id per file>' \\\n"
        + $"  --data-binary @{rmm.File}";

    /// <summary>The syslog listener (loopback only) and the rsyslog rule that relays a collector's messages to it.</summary>
    public static string SyslogServe(string organization) => $"custodes serve --syslog 127.0.0.1:5514 --syslog-msp '{organization}'";

    public const string RsyslogRelay = "# /etc/rsyslog.d/60-custodes.conf on the Custodes host: forward what collectors send here\n"
        + "*.* action(type=\"omfwd\" target=\"127.0.0.1\" port=\"5514\" protocol=\"tcp\" TCP_Framing=\"octet-counted\")";
}
