using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;
using Custodes.Transparency;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodes.Cli.Tests;

/// <summary>The witnessed log from the command line (contracts §12): witness, log side, verifier, monitor, and a split view caught.</summary>
public sealed class WitnessCommandTests : IDisposable
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Firm = "Northgate Security Assessors LLC";
    private const string Subject = "Granite Peak Managed IT LLC";
    private readonly string _dir = Cli.TempDirectory();

    public WitnessCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string[] Store(TestInstallation test, params string[] args) =>
        [.. args, "--data-dir", test.DataDirectory, .. test.Database is null ? Array.Empty<string>() : ["--db", test.Database]];

    private string Keys => Path.Combine(_dir, "keys");

    private static async Task<string> OkAsync(params string[] args)
    {
        var result = await Cli.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args.Take(3))}: exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout.Trim();
    }

    private readonly HashSet<TestInstallation> _firms = [];

    private async Task<(Guid Id, string File)> IssueAsync(TestInstallation test, string name)
    {
        var output = Path.Combine(_dir, name);
        // The issuer is an assessor firm of the installation (IssueLetter); each installation of this test gets it before its first letter.
        if (_firms.Add(test)) await OkAsync(Store(test, "admin", "create-org", Firm, "--kind", "assessor"));
        var id = await OkAsync(Store(test, "attest", "issue", "--assessment", Cli.Sample("assessments", "example-msp.json"),
            "--key", Path.Combine(Keys, "signing.key"), "--issuer", Firm, "--valid-days", "365", "--out", output));
        return (Guid.Parse(id), output);
    }

    private async Task<(int Code, JsonElement Json)> VerifyAsync(string letter, params string[] extra)
    {
        var result = await Cli.RunAsync(["attest", "verify", letter, "--key", Path.Combine(Keys, "signing.pub"), "--json", .. extra]);
        Assert.True(result.Stdout.TrimStart().StartsWith('{'), $"exit {result.ExitCode}: {result.Stdout}\n{result.Stderr}");
        return (result.ExitCode, JsonDocument.Parse(result.Stdout).RootElement.Clone());
    }

    private static async Task<(WebApplication App, string Url)> ServeAsync(TestInstallation test)
    {
        var (app, address) = await CustodesWebApp.StartOnLoopbackAsync(Installation.Open(test.DataDirectory, test.Database), b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        return (app, address.ToString().TrimEnd('/'));
    }

    private static async Task StopAsync(params WebApplication[] apps)
    {
        foreach (var app in apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<string> WaitForCosignedAsync(string url, CosignerVerifier witness, long size)
    {
        using var http = new HttpClient();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            using var response = await http.GetAsync(url + "/log/checkpoint");
            if (response.StatusCode != HttpStatusCode.OK) continue;
            var note = await response.Content.ReadAsStringAsync();
            if (WitnessedCheckpoint.FindCosigners(note, [witness]).Count == 1 && Checkpoint.Parse(SignedNote.Open(note).Note!.Text).Size >= size) return note;
        }
        throw new TimeoutException($"{url} served no checkpoint of {size} entries cosigned by {witness.Name} within 30 s");
    }

    private string MonitorState(string url) =>
        Path.Combine(_dir, "monitor-data", "monitor", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.TrimEnd('/'))))[..16] + ".json");

    [Theory, MemberData(nameof(Providers))]
    public async Task A_witnessed_log_from_the_command_line_then_a_split_view_is_refused_by_the_witness_caught_by_the_monitor_and_rejected_by_the_verifier(DatabaseProvider provider)
    {
        await using var witnessStore = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        await using var logStore = await TestInstallation.CreateAsync(provider);
        await using var forkStore = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        await OkAsync("keys", "generate", "--out", Keys, "--name", "Ana Ruiz");

        // The witness and the log it witnesses.
        var vkey = await OkAsync(Store(witnessStore, "witness", "init", "--name", "witness.example/w1"));
        Assert.Matches(@"^witness\.example/w1\+[0-9a-f]{8}\+", vkey);
        Assert.Equal(vkey, await OkAsync(Store(witnessStore, "witness", "init"))); // printed again, never replaced
        var replace = await Cli.RunAsync(Store(witnessStore, "witness", "init", "--name", "witness.example/other"));
        Assert.NotEqual(0, replace.ExitCode);
        Assert.Contains("never replaced", replace.Stderr);
        var witness = CosignerVerifier.Parse(vkey);
        var (first, firstFile) = await IssueAsync(logStore, "first.json");
        var logKey = await OkAsync(Store(logStore, "log", "verifier-key"));
        Assert.Equal(NoteVerifier.Parse(logKey).Name, await OkAsync(Store(witnessStore, "witness", "add-log", logKey)));

        var (witnessApp, witnessUrl) = await ServeAsync(witnessStore);
        var (logApp, logUrl) = await ServeAsync(logStore);
        WebApplication? forkApp = null;
        try
        {
            Assert.Equal("witness.example/w1", await OkAsync(Store(logStore, "log", "add-witness", vkey, "--url", witnessUrl + "/witness")));
            await OkAsync(Store(logStore, "log", "witness-quorum", "1"));
            Assert.Equal(2, (await Cli.RunAsync(Store(logStore, "log", "witness-quorum", "2"))).ExitCode);
            var (second, secondFile) = await IssueAsync(logStore, "second.json");
            await WaitForCosignedAsync(logUrl, witness, 2);

            // The letter file as issued predates its cosignature: offline it fails the quorum, online the witnessed checkpoint counts.
            var (offlineCode, offline) = await VerifyAsync(secondFile, "--log-key", logKey, "--witness", vkey, "--quorum", "1");
            Assert.Equal(1, offlineCode);
            Assert.False(offline.GetProperty("witnesses").GetProperty("met").GetBoolean());
            var (onlineCode, online) = await VerifyAsync(secondFile, "--log", logUrl, "--witness", vkey, "--quorum", "1");
            Assert.True(onlineCode == 0, online.ToString());
            Assert.Equal("witness.example/w1", online.GetProperty("witnesses").GetProperty("cosigned_by")[0].GetString());
            // The letter as the log serves it now carries the cosigned checkpoint: it verifies offline.
            using (var http = new HttpClient())
                await File.WriteAllBytesAsync(Path.Combine(_dir, "served.json"), await http.GetByteArrayAsync($"{logUrl}/api/v1/letters/{second}"));
            var (servedCode, served) = await VerifyAsync(Path.Combine(_dir, "served.json"), "--log-key", logKey, "--witness", vkey);
            Assert.True(servedCode == 0, served.ToString());
            var human = await Cli.RunAsync(["attest", "verify", Path.Combine(_dir, "served.json"), "--key", Path.Combine(Keys, "signing.pub"), "--log-key", logKey, "--witness", vkey, "--quorum", "1"]);
            Assert.Contains("witnessed    ok: the checkpoint of 2 entries was cosigned by witness.example/w1", human.Stdout);
            Assert.Equal(2, (await Cli.RunAsync(["attest", "verify", secondFile, "--key", Path.Combine(Keys, "signing.pub"), "--witness", vkey, "--quorum", "2"])).ExitCode);

            // The monitor follows the log and reports both letters about the subject.
            var monitor = JsonDocument.Parse(await OkAsync("log", "monitor", logUrl, "--subject", Subject.ToUpperInvariant(), "--data-dir", Path.Combine(_dir, "monitor-data"), "--json")).RootElement;
            Assert.True(monitor.GetProperty("consistent").GetBoolean());
            Assert.Equal([first, second], monitor.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("letter_id").GetGuid()));
            var again = JsonDocument.Parse(await OkAsync("log", "monitor", logUrl, "--subject", Subject, "--data-dir", Path.Combine(_dir, "monitor-data"), "--json")).RootElement;
            Assert.Empty(again.GetProperty("findings").EnumerateArray()); // nothing new

            // The split view: the same log key and origin serve a second history (another database, same keys/log.key).
            Directory.CreateDirectory(Path.Combine(forkStore.DataDirectory, "keys"));
            File.Copy(Path.Combine(logStore.DataDirectory, "keys", "log.key"), Path.Combine(forkStore.DataDirectory, "keys", "log.key"));
            await IssueAsync(forkStore, "fork-a.json");
            var (_, forkLetter) = await IssueAsync(forkStore, "fork-b.json");
            Assert.Equal(logKey, await OkAsync(Store(forkStore, "log", "verifier-key")));
            string forkUrl;
            (forkApp, forkUrl) = await ServeAsync(forkStore);

            // The witness refuses the fork's checkpoint of the size it already cosigned (422) and any stale old size (409).
            using (var http = new HttpClient())
            {
                var forkCheckpoint = await http.GetStringAsync(forkUrl + "/log/checkpoint");
                var sameSize = await http.PostAsync(witnessUrl + "/witness/add-checkpoint", new StringContent($"old 2\n\n{forkCheckpoint}"));
                Assert.Equal(HttpStatusCode.UnprocessableEntity, sameSize.StatusCode);
                var fromZero = await http.PostAsync(witnessUrl + "/witness/add-checkpoint", new StringContent($"old 0\n\n{forkCheckpoint}"));
                Assert.Equal(HttpStatusCode.Conflict, fromZero.StatusCode);
                Assert.Equal("2\n", await fromZero.Content.ReadAsStringAsync());
            }

            // The monitor, shown the fork where it saw the genuine log before, raises it and keeps its state.
            Directory.CreateDirectory(Path.GetDirectoryName(MonitorState(forkUrl))!);
            File.Copy(MonitorState(logUrl), MonitorState(forkUrl));
            var caught = await Cli.RunAsync(["log", "monitor", forkUrl, "--subject", Subject, "--data-dir", Path.Combine(_dir, "monitor-data")]);
            Assert.Equal(1, caught.ExitCode);
            Assert.Contains("LOG MISBEHAVED", caught.Stdout);
            Assert.Contains(LogErrors.Forked, caught.Stdout);
            Assert.Equal(File.ReadAllText(MonitorState(logUrl)), File.ReadAllText(MonitorState(forkUrl)));

            // A letter from the unwitnessed fork: rejected offline and online with a quorum of 1; without witnesses it would pass.
            Assert.Equal(0, (await VerifyAsync(forkLetter, "--log-key", logKey)).Code);
            var (forkOffline, forkOfflineJson) = await VerifyAsync(forkLetter, "--log-key", logKey, "--witness", vkey, "--quorum", "1");
            Assert.Equal(1, forkOffline);
            Assert.Empty(forkOfflineJson.GetProperty("witnesses").GetProperty("cosigned_by").EnumerateArray());
            Assert.Equal(1, (await VerifyAsync(forkLetter, "--log", forkUrl, "--witness", vkey, "--quorum", "1")).Code);
        }
        finally
        {
            await StopAsync([witnessApp, logApp, .. forkApp is null ? Array.Empty<WebApplication>() : [forkApp]]);
        }
    }
}
