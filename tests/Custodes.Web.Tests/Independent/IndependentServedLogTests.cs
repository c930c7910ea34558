using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Application;
using Custodes.Attestation;
using Custodes.Testing;
using Custodes.Testing.Independent;
using Custodes.Transparency;

namespace Custodes.Web.Tests.Independent;

/// <summary>The Go checker, built once per test run.</summary>
public sealed class ServedCheckBuild() : GoProgram("servedcheck", "Independent/servedcheck.go");

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
        var run = await Task.Run(() => ExternalTools.Capture(go.Binary, [casePath], _dir.FullName));
        Assert.Null(ExternalTools.CheckFailure("Go servedcheck", run));
    }

    [Fact]
    public async Task Python_cryptography_verifies_the_DSSE_signature_of_an_issued_letter()
    {
        var python = ExternalTools.Find("python3", "/usr/bin/python3") ?? throw new InvalidOperationException("python3 is not installed");
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
        Assert.Null(ExternalTools.CheckFailure("Python dssecheck", ExternalTools.Capture(python, [script, _dir.FullName], _dir.FullName)));
    }
}
