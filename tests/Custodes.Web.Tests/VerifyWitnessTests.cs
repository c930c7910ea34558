using System.Net;
using Custodes.Application;
using Custodes.Attestation;
using Custodes.Application.Audit;
using Custodes.Application.Witness;
using Custodes.Testing;
using Custodes.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Web.Tests;

/// <summary>The public <c>/verify</c> page on an installation that requires a quorum of witnesses (docs/witnesses.md).</summary>
public sealed class VerifyWitnessTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static async Task<string> VerifyAsync(HttpClient client, byte[] letter)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(letter), "file", "letter.json" } };
        using var response = await client.PostAsync("/verify", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static async Task WaitForCosignedAsync(LogWitnesses witnesses, string name, long size)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await witnesses.ListAsync()).Any(w => w.Verifier.Name == name && w.CosignedSize >= size))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} did not cosign size {size} within 30 s");
            await Task.Delay(100);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task With_the_witness_quorum_met_the_verify_page_says_valid_and_names_the_witnesses(DatabaseProvider provider)
    {
        await using var logServer = await RunningServer.StartAsync(provider);
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
        await attest.FillAsync(5, "before");
        var letter = await attest.IssueAsync();
        var client = logServer.Client();
        // The letter's own checkpoint is not cosigned (it was issued beside the server); a newer quorum-cosigned one covers it.
        await WitnessTests.WaitForCheckpointAsync(client, logKey, [v1, v2], 6);

        var page = await VerifyAsync(client, letter.ToUtf8Bytes());
        Assert.Contains("Genuine and valid", page);
        Assert.Contains("<dt>Witnessed by</dt>", page);
        Assert.Contains("witness.example/w1", page);
        Assert.Contains("witness.example/w2", page);
        Assert.DoesNotContain("log_unwitnessed", page);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task With_the_witness_quorum_not_met_the_verify_page_does_not_say_valid_and_says_why_in_plain_words(DatabaseProvider provider)
    {
        await using var logServer = await RunningServer.StartAsync(provider);
        await using var w1 = await RunningServer.StartAsync(DatabaseProvider.Sqlite);
        var logKey = (await logServer.Services.GetRequiredService<Custodes.Application.Transparency.LogKeys>().GetAsync()).Verifier;
        var v1 = await WitnessTests.MakeWitnessAsync(w1, "witness.example/w1", logKey);
        var witnesses = new LogWitnesses(logServer.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        await witnesses.AddAsync(v1.KeyString, w1.Address + "witness", "test");
        // The second witness is down (nothing listens on the discard port): the quorum of two cannot be met.
        using var downKey = Ed25519SigningKey.Generate();
        await witnesses.AddAsync(CosignerVerifier.Create("witness.example/down", downKey.PublicKey).KeyString, "http://127.0.0.1:9/witness", "test");
        await witnesses.SetQuorumAsync(2, "test");

        using var attest = new Attestations(logServer.Installation);
        var letter = await attest.IssueAsync();
        var client = logServer.Client();
        // One witness did cosign the letter's log: one is not the two required.
        await WaitForCosignedAsync(witnesses, "witness.example/w1", 1);

        var page = await VerifyAsync(client, letter.ToUtf8Bytes());
        Assert.DoesNotContain("Genuine and valid", page);
        Assert.DoesNotContain("You can rely on it", page);
        Assert.DoesNotContain("<dt>Witnessed by</dt>", page);
        Assert.Contains("Not yet confirmed", page);
        Assert.Contains("independent witnesses this service relies on have not yet confirmed the public log", page);
        Assert.Contains("log_unwitnessed: 1 of the 2 required witnesses", page);
        // One sentence says it once: not the same warning twice in the banner, nor repeated below it.
        Assert.Equal(1, Occurrences(page, "do not rely on it"));
        Assert.Equal(1, Occurrences(page, "have not yet confirmed"));
        // The letter itself is genuine: the page still shows what it says.
        Assert.Contains("Granite Peak Managed IT LLC", page);

    }

    private static int Occurrences(string text, string phrase)
    {
        var count = 0;
        for (var i = text.IndexOf(phrase, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(phrase, i + phrase.Length, StringComparison.OrdinalIgnoreCase)) count++;
        return count;
    }
}
