using System.CommandLine;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Transparency;
using Custodes.Attestation;
using Custodes.Cli.Attest;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Cli.Log;

/// <summary><c>custodes log monitor &lt;log url&gt; --subject &lt;organization&gt;</c>: follow a log, catch forks, report letters about an organization.</summary>
internal static class MonitorCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("log-url") { Description = "The log's server (e.g. https://assessor.example)." };
        var subject = new Option<string>("--subject") { Required = true, Description = "The organization to watch for: every letter or revocation naming it is reported." };
        var webhook = new Option<string?>("--webhook") { Description = "Also POST each finding and any log misbehaviour as JSON to this address." };
        var logKey = new Option<string?>("--log-key") { Description = "The log's note verifier key (default: what the server publishes, pinned on the first run)." };
        var interval = new Option<int?>("--interval") { Description = "Keep following, looking again every this many seconds (default: one look, then exit)." };
        var dataDir = CommonOptions.DataDir();
        var json = CommonOptions.Json();
        var command = new Command("monitor", "Follow a transparency log through its tiles: verify each checkpoint extends the last one seen (a fork or rollback exits 1), and report every letter naming the organization. State is kept in the data directory.")
            { url, subject, webhook, logKey, interval, dataDir, json };
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var address = parse.GetValue(url)!.TrimEnd('/');
            var who = parse.GetValue(subject)!;
            if (string.IsNullOrWhiteSpace(who)) throw new BadInputException("the organization to watch for is empty", path: "subject");
            Uri? hook = null;
            if (parse.GetValue(webhook) is { } h && (!Uri.TryCreate(h, UriKind.Absolute, out hook) || hook.Scheme is not ("http" or "https")))
                throw new BadInputException($"'{h}' is not an http(s) address", path: "webhook");
            var directory = Path.Combine(Installation.Open(parse.GetValue(dataDir)).DataDirectory, "monitor");
            Directory.CreateDirectory(directory);
            var statePath = Path.Combine(directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address)))[..16] + ".json");
            using var client = new HttpLogClient(address);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            var every = parse.GetValue(interval);
            while (true)
            {
                var state = File.Exists(statePath) ? JsonSerializer.Deserialize<MonitorState>(await File.ReadAllTextAsync(statePath, ct)) : null;
                var key = NoteVerifier.Parse(parse.GetValue(logKey) ?? state?.VerifierKey ?? await client.VerifierKeyAsync(ct));
                var run = await LogMonitor.RunAsync(state, key, who, client, ct);
                if (run.State is not null)
                {
                    // Written aside then moved: a crash never leaves half a state, which would look like a fork next time.
                    await File.WriteAllTextAsync(statePath + ".tmp", JsonSerializer.Serialize(run.State), ct);
                    File.Move(statePath + ".tmp", statePath, overwrite: true);
                }
                Report(reporter, address, run);
                if (hook is not null) await NotifyAsync(http, hook, address, who, run, reporter, ct);
                if (run.LogMisbehaved) return ExitCodes.CheckFailed;
                if (every is not { } seconds) return ExitCodes.Ok;
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, seconds)), ct);
            }
        });
        return command;
    }

    private static void Report(Reporter reporter, string address, MonitorRun run)
    {
        if (reporter.Json)
        {
            reporter.WriteJson(new
            {
                log = address,
                consistent = !run.LogMisbehaved,
                from_size = run.FromSize,
                size = run.ToSize,
                findings = run.Findings.Select(Json),
                problems = run.Problems,
            });
            return;
        }
        foreach (var problem in run.Problems) reporter.Out.WriteLine($"LOG MISBEHAVED: {problem}");
        if (!run.LogMisbehaved) reporter.Out.WriteLine($"log {address}: entries {run.FromSize} to {run.ToSize} read, consistent with what was seen before; {run.Findings.Count} finding(s)");
        foreach (var f in run.Findings)
            reporter.Out.WriteLine($"{f.Kind} {f.LetterId} at entry {f.Index}: {f.Issuer} about {f.SubjectOrganization}, {f.At:yyyy-MM-dd}{(f.Detail is null ? "" : $" ({f.Detail})")}{(f.KeyId is null ? "" : $", key {f.KeyId[..16]}")}");
    }

    private static object Json(MonitorFinding f) => new { kind = f.Kind, index = f.Index, letter_id = f.LetterId, issuer = f.Issuer, subject_organization = f.SubjectOrganization, at = f.At, key_id = f.KeyId, detail = f.Detail };

    private static async Task NotifyAsync(HttpClient http, Uri hook, string address, string subject, MonitorRun run, Reporter reporter, CancellationToken ct)
    {
        var events = run.Findings.Select(f => (object)new { type = "custodes.monitor.finding", log = address, subject, finding = Json(f) }).ToList();
        if (run.LogMisbehaved) events.Add(new { type = "custodes.monitor.log_misbehaved", log = address, subject, problems = run.Problems });
        foreach (var e in events)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(hook, e, ct);
                if (!response.IsSuccessStatusCode) reporter.Warning($"the webhook answered {(int)response.StatusCode}");
            }
            catch (HttpRequestException ex)
            {
                reporter.Warning($"the webhook could not be reached: {ex.Message}");
            }
        }
    }
}
