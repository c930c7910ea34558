using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Attestation;
using Custodes.Storage;

namespace Custodes.Web.Tests.Independent;

/// <summary>Builds the Go checker of the served log once per test run (GOPATH mode, Debian's golang.org/x/mod).</summary>
public sealed class ServedCheckBuild : IDisposable
{
    private const string XMod = "/usr/share/gocode/src/golang.org/x/mod/sumdb";
    private readonly string _root = Directory.CreateTempSubdirectory("custodes-go-served-").FullName;
    private readonly Lazy<string> _binary;

    public ServedCheckBuild() => _binary = new Lazy<string>(Build);

    public string Binary => _binary.Value;

    private string Build()
    {
        var go = Tools.Find("go", "/usr/bin/go", "/usr/lib/go/bin/go")
            ?? throw new InvalidOperationException("Go is not installed: the independent check of the served log needs it (scripts/test.sh installs golang-go)");
        if (!Directory.Exists(XMod)) throw new InvalidOperationException($"{XMod} is missing (scripts/test.sh installs golang-golang-x-mod-dev)");
        var source = Path.Combine(_root, "src", "servedcheck");
        Directory.CreateDirectory(source);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Independent", "servedcheck.go"), Path.Combine(source, "main.go"));
        var binary = Path.Combine(_root, "servedcheck");
        var environment = new Dictionary<string, string> { ["GO111MODULE"] = "off", ["GOPATH"] = $"{_root}:/usr/share/gocode", ["GOFLAGS"] = "" };
        if (new[] { "GOCACHE", "XDG_CACHE_HOME", "HOME" }.All(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))))
            environment["GOCACHE"] = Path.Combine(_root, "cache");
        var (code, stdout, stderr) = Tools.Run(go, ["build", "-o", binary, "servedcheck"], _root, environment);
        if (code != 0) throw new InvalidOperationException($"go build failed ({code}):\n{stdout}\n{stderr}");
        return binary;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class Tools
{
    public static string? Find(string name, params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists) ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static (int Code, string Stdout, string Stderr) Run(string program, IEnumerable<string> arguments, string workingDirectory, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 3 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public static void AssertAllChecksOk(string tool, (int Code, string Stdout, string Stderr) run)
    {
        Assert.True(run.Stdout.TrimStart().StartsWith('{'), $"{tool} printed no result (exit {run.Code}):\n{run.Stdout}\n{run.Stderr}");
        var checks = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("checks").EnumerateObject().ToList();
        Assert.NotEmpty(checks);
        var failed = checks.Where(c => c.Value.GetString() != "ok").Select(c => $"{c.Name}: {c.Value.GetString()}").ToList();
        Assert.True(failed.Count == 0 && run.Code == 0, $"{tool} rejected the served log (exit {run.Code}):\n{string.Join("\n", failed)}\n{run.Stderr}");
    }
}

// The served log and an issued letter, checked by implementations we did not write: Go's x/mod sumdb note/tlog over HTTP,
// and Python's cryptography for the letter's DSSE signature.
public sealed class IndependentServedLogTests(ServedCheckBuild go) : IClassFixture<ServedCheckBuild>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("custodes-served-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Go_sumdb_verifies_the_served_checkpoint_and_proves_the_letter_and_consistency_from_served_tiles()
    {
        await using var server = await RunningServer.StartAsync(DatabaseProvider.Sqlite);
        using var attest = new Attestations(server.Installation);
        await attest.FillAsync(300, "other");
        var letter = await attest.IssueAsync();
        await attest.FillAsync(450, "later"); // the served tree is now well past the letter's checkpoint

        using var keys = JsonDocument.Parse(await server.Client().GetStringAsync("/.well-known/custodes/keys"));
        var t = letter.Bundle.Transparency!;
        var input = new JsonObject
        {
            ["base_url"] = server.Address.ToString().TrimEnd('/'),
            ["verifier_key"] = keys.RootElement.GetProperty("log").GetProperty("verifier_key").GetString(),
            ["entry"] = Convert.ToBase64String(Letter.LogEntry(letter.Bundle.Envelope)),
            ["index"] = t.Index,
            ["proof"] = new JsonArray([.. t.InclusionProof.Select(h => (JsonNode)h.ToBase64())]),
            ["letter_checkpoint"] = t.Checkpoint,
        };
        var casePath = Path.Combine(_dir.FullName, "case.json");
        await File.WriteAllTextAsync(casePath, input.ToJsonString());
        // Run outside the test's thread: the server answers Go's requests meanwhile.
        var run = await Task.Run(() => Tools.Run(go.Binary, [casePath], _dir.FullName));
        Tools.AssertAllChecksOk("Go servedcheck", run);
    }

    [Fact]
    public async Task Python_cryptography_verifies_the_DSSE_signature_of_an_issued_letter()
    {
        var python = Tools.Find("python3", "/usr/bin/python3") ?? throw new InvalidOperationException("python3 is not installed");
        await using var server = await RunningServer.StartAsync(DatabaseProvider.Sqlite);
        using var attest = new Attestations(server.Installation);
        var letter = await attest.IssueAsync();
        const string passphrase = "correct horse battery staple";
        var envelope = JsonNode.Parse(letter.ToUtf8Bytes())!["envelope"]!;
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "envelope.json"), envelope.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "signing.pub"), attest.Key.PublicKey.ToPem());
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "signing.key"), attest.Key.ToPem());
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "signing-encrypted.key"), attest.Key.ToPem(passphrase));
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "passphrase"), passphrase);
        var script = Path.Combine(AppContext.BaseDirectory, "Independent", "dssecheck.py");
        Tools.AssertAllChecksOk("Python dssecheck", Tools.Run(python, [script, _dir.FullName], _dir.FullName));
    }
}
