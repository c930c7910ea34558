using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Witness;
using Custodes.Attestation;
using Custodes.Testing;
using Custodes.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Web.Tests.Independent;

// The cosigned checkpoint a log serves, checked by code we did not write: Python's cryptography on the C2SP cosignature/v1
// message for the witnesses' lines, and Go's x/mod sumdb note for the log's own signature on the very same note.
public sealed class IndependentWitnessTests(ServedCheckBuild go) : IClassFixture<ServedCheckBuild>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("custodes-witness-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Python_cryptography_verifies_the_cosignatures_and_Go_sumdb_the_log_signature_of_the_served_quorum_checkpoint()
    {
        var python = ExternalTools.Find("python3", "/usr/bin/python3") ?? throw new InvalidOperationException("python3 is not installed");
        await using var logServer = await RunningServer.StartAsync(DatabaseProvider.Sqlite);
        await using var w1 = await RunningServer.StartAsync(DatabaseProvider.Sqlite);
        await using var w2 = await RunningServer.StartAsync(DatabaseProvider.Sqlite);
        var logKey = (await logServer.Services.GetRequiredService<Custodes.Application.Transparency.LogKeys>().GetAsync()).Verifier;
        var v1 = await WitnessTests.MakeWitnessAsync(w1, "witness.example/w1", logKey);
        var v2 = await WitnessTests.MakeWitnessAsync(w2, "witness.example/w2", logKey);
        var witnesses = new LogWitnesses(logServer.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        await witnesses.AddAsync(v1.KeyString, w1.Address + "witness", "test");
        await witnesses.AddAsync(v2.KeyString, w2.Address + "witness", "test");
        await witnesses.SetQuorumAsync(2, "test");
        using var attest = new Attestations(logServer.Installation);
        await attest.FillAsync(40, "other");
        var letter = await attest.IssueAsync();
        await attest.FillAsync(300, "later");
        var served = await WitnessTests.WaitForCheckpointAsync(logServer.Client(), logKey, [v1, v2], 341);
        var note = await logServer.Client().GetStringAsync("/log/checkpoint");
        Assert.Equal(341, served.Checkpoint.Size);

        var cosigCase = Path.Combine(_dir.FullName, "cosig.json");
        await File.WriteAllTextAsync(cosigCase, new JsonObject { ["checkpoint"] = note, ["witnesses"] = new JsonArray(v1.KeyString, v2.KeyString) }.ToJsonString());
        var script = Path.Combine(AppContext.BaseDirectory, "Independent", "cosigcheck.py");
        Assert.Null(ExternalTools.CheckFailure("Python cosigcheck", ExternalTools.Capture(python, [script, cosigCase], _dir.FullName)));

        // The checker must fail on a cosignature over another message: the same lines moved onto the previous checkpoint.
        var older = (await logServer.Services.GetRequiredService<Custodes.Application.Transparency.TransparencyLog>().CheckpointAsync(41))!.Note;
        var moved = older + string.Concat(note.Split('\n').Where(l => l.StartsWith("— witness.example/", StringComparison.Ordinal)).Select(l => l + "\n"));
        await File.WriteAllTextAsync(cosigCase, new JsonObject { ["checkpoint"] = moved, ["witnesses"] = new JsonArray(v1.KeyString) }.ToJsonString());
        Assert.NotNull(ExternalTools.CheckFailure("Python cosigcheck", ExternalTools.Capture(python, [script, cosigCase], _dir.FullName)));

        using var keys = JsonDocument.Parse(await logServer.Client().GetStringAsync("/.well-known/custodes/keys"));
        var t = letter.Bundle.Transparency!;
        var input = new JsonObject
        {
            ["base_url"] = logServer.Address.ToString().TrimEnd('/'),
            ["verifier_key"] = keys.RootElement.GetProperty("log").GetProperty("verifier_key").GetString(),
            ["entry"] = Convert.ToBase64String(Letter.LogEntry(letter.Bundle.Envelope)),
            ["index"] = t.Index,
            ["proof"] = new JsonArray([.. t.InclusionProof.Select(h => (JsonNode)h.ToBase64())]),
            ["letter_checkpoint"] = t.Checkpoint,
        };
        var casePath = Path.Combine(_dir.FullName, "case.json");
        await File.WriteAllTextAsync(casePath, input.ToJsonString());
        var run = await Task.Run(() => ExternalTools.Capture(go.Binary, [casePath], _dir.FullName));
        Assert.Null(ExternalTools.CheckFailure("Go servedcheck", run));
    }
}
