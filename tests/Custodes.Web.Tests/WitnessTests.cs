using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Witness;
using Custodes.Attestation;
using Custodes.Testing;
using Custodes.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Web.Tests;

/// <summary>A log the test controls: entries in memory, checkpoints signed with its note key (a fork is a second one under the same key).</summary>
internal sealed class ScriptedLog : IDisposable
{
    private readonly Ed25519SigningKey _key;
    private readonly NoteSigner _signer;
    private readonly MemoryLog _tree = new();

    public ScriptedLog(string origin, Ed25519SigningKey? key = null, string tag = "main")
    {
        _key = key ?? Ed25519SigningKey.Generate();
        _signer = NoteSigner.Create(origin, _key);
        Tag = tag;
    }

    public string Tag { get; }
    public Ed25519SigningKey Key => _key;
    public NoteVerifier Verifier => _signer.Verifier;
    public long Size => _tree.Size;

    public ScriptedLog Grow(int entries)
    {
        for (var i = 0; i < entries; i++) _tree.Append(Encoding.UTF8.GetBytes($"{Tag} entry {_tree.Size}"));
        return this;
    }

    public string Checkpoint(long size) => new CheckpointSigner(_signer).Sign(_signer.Name, size, _tree.TreeHash(size));

    /// <summary>An add-checkpoint body from <paramref name="oldSize"/> to the tree's current size.</summary>
    public string Request(long oldSize, long? size = null)
    {
        var to = size ?? Size;
        return new AddCheckpointRequest(oldSize, oldSize == 0 || oldSize == to ? [] : _tree.ProveConsistency(to, oldSize), Checkpoint(to)).ToBody();
    }

    public ScriptedLog Fork(string tag) => new(_signer.Name, _key, tag);

    public void Dispose()
    {
        if (Tag == "main") _key.Dispose();
    }
}

public sealed class WitnessTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    internal static async Task<CosignerVerifier> MakeWitnessAsync(RunningServer server, string name, params NoteVerifier[] logs)
    {
        var vkey = new WitnessKeys(server.Installation, new FileSigningKeyProvider()).Create(name);
        var witness = new CheckpointWitness(server.Installation, new WitnessKeys(server.Installation, new FileSigningKeyProvider()), new AuditTrail(TimeProvider.System), TimeProvider.System);
        foreach (var log in logs) await witness.AddLogAsync(log.KeyString, "test");
        return vkey;
    }

    internal static async Task<(HttpStatusCode Status, string Body, string? ContentType)> PostAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/witness/add-checkpoint", new StringContent(body, Encoding.UTF8, "text/plain"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private static DateTimeOffset? CosignedBy(CosignerVerifier witness, string checkpoint, string responseBody)
    {
        var text = SignedNote.Open(checkpoint).Note!.Text;
        var lines = responseBody.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(SignedNote.ParseSignatureLine).OfType<NoteSignature>();
        return witness.FindCosignature(text, lines);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Witness_cosigns_consistent_checkpoints_and_answers_each_refusal_with_the_status_C2SP_tlog_witness_names(DatabaseProvider provider)
    {
        using var log = new ScriptedLog("assessor.example/log").Grow(10);
        await using var server = await RunningServer.StartAsync(provider);
        var witness = await MakeWitnessAsync(server, "witness.example/w1", log.Verifier);
        var client = server.Client();

        // First contact: old 0, no proof.
        var first = await PostAsync(client, log.Request(0));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.StartsWith("— witness.example/w1 ", first.Body);
        Assert.NotNull(CosignedBy(witness, log.Checkpoint(10), first.Body));

        // The next with a valid consistency proof from 10.
        log.Grow(7);
        var second = await PostAsync(client, log.Request(10));
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.NotNull(CosignedBy(witness, log.Checkpoint(17), second.Body));

        // The same checkpoint again (old = size, same root) is cosigned again; a stale old size gets 409 and the size known.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, log.Request(17))).Status);
        var stale = await PostAsync(client, log.Request(10));
        Assert.Equal((HttpStatusCode.Conflict, "17\n", "text/x.tlog.size"), stale);

        // A wrong proof: 422. A fork of the same size from the known size: 422. Old larger than the checkpoint: 400.
        log.Grow(5);
        var tampered = log.Request(17).Replace(log.Request(17).Split('\n')[1], MerkleHash.OfLeaf("x"u8).ToBase64());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(client, tampered)).Status);
        using var fork = log.Fork("fork").Grow(17);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(client, fork.Request(17))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, log.Request(17).Replace("old 17", "old 40"))).Status);

        // Unknown origin: 403 (contracts §12). Right origin, another key: 403. A signature that does not verify: 403. Malformed: 400.
        using var stranger = new ScriptedLog("stranger.example/log").Grow(3);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, stranger.Request(0))).Status);
        using var impostor = new ScriptedLog("assessor.example/log").Grow(22);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, impostor.Request(0))).Status);
        var forged = log.Request(17).Replace($"\n{log.Size}\n", $"\n{log.Size + 1}\n");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, forged)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, "old 017\n\n" + log.Checkpoint(22))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, "old 17\n" + log.Checkpoint(22))).Status);

        // None of that moved the witness: the genuine next checkpoint is cosigned from 17.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, log.Request(17))).Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Concurrent_requests_from_one_old_size_get_exactly_one_tree_cosigned_and_a_restart_keeps_it(DatabaseProvider provider)
    {
        using var log = new ScriptedLog("assessor.example/log").Grow(4);
        await using var server = await RunningServer.StartAsync(provider);
        var witness = await MakeWitnessAsync(server, "witness.example/w1", log.Verifier);
        var client = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, log.Request(0))).Status);

        // Twelve different histories of the same size, and growing sizes of the genuine one, all from old 4 at once.
        var forks = Enumerable.Range(0, 12).Select(i => log.Fork($"fork{i}").Grow(9)).ToList();
        // The forks' proofs from 4 are of their own trees (they share no prefix with the genuine one): none can verify.
        var bodies = forks.Select(f => f.Request(4)).ToList();
        log.Grow(2);
        var genuine = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            genuine.Add(log.Request(4));
            log.Grow(1);
        }
        var answers = await Task.WhenAll(bodies.Concat(genuine).Select(b => Task.Run(() => PostAsync(client, b))));
        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Contains(a.Status, new[] { HttpStatusCode.Conflict, HttpStatusCode.UnprocessableEntity }));
        var won = answers.Single(a => a.Status == HttpStatusCode.OK);
        var wonSize = genuine.Select((b, i) => (b, Size: 6L + i)).Single(g => CosignedBy(witness, g.b[(g.b.IndexOf("\n\n", StringComparison.Ordinal) + 2)..], won.Body) is not null).Size;

        // After a restart the witness still knows that size, and refuses any other tree or an older size.
        await server.RestartAsync();
        client = server.Client();
        Assert.Equal((HttpStatusCode.Conflict, $"{wonSize}\n", "text/x.tlog.size"), await PostAsync(client, log.Request(4, wonSize)));
        using var fork = log.Fork("late").Grow((int)wonSize);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(client, fork.Request(wonSize))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, log.Request(wonSize))).Status);
        foreach (var f in forks) f.Dispose();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_log_collects_cosignatures_in_the_background_and_serves_only_a_quorum_cosigned_checkpoint(DatabaseProvider provider)
    {
        await using var logServer = await RunningServer.StartAsync(provider);
        await using var w1 = await RunningServer.StartAsync(DatabaseProvider.Sqlite);
        await using var w2 = await RunningServer.StartAsync(DatabaseProvider.Sqlite);
        var logKeys = logServer.Services.GetRequiredService<Custodes.Application.Transparency.LogKeys>();
        var logKey = (await logKeys.GetAsync()).Verifier;
        var v1 = await MakeWitnessAsync(w1, "witness.example/w1", logKey);
        var v2 = await MakeWitnessAsync(w2, "witness.example/w2", logKey);
        var witnesses = new LogWitnesses(logServer.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        await witnesses.AddAsync(v1.KeyString, w1.Address + "witness", "test");
        await witnesses.AddAsync(v2.KeyString, w2.Address + "witness", "test");
        // A third witness that is down: it must delay nothing.
        using var downKey = Ed25519SigningKey.Generate();
        var down = CosignerVerifier.Create("witness.example/down", downKey.PublicKey);
        await witnesses.AddAsync(down.KeyString, "http://127.0.0.1:9/witness", "test");
        await witnesses.SetQuorumAsync(2, "test");
        await Assert.ThrowsAsync<Custodes.Common.BadInputException>(() => witnesses.SetQuorumAsync(4, "test"));

        using var attest = new Attestations(logServer.Installation);
        await attest.FillAsync(20, "before");
        var client = logServer.Client();
        var served = await WaitForCheckpointAsync(client, logKey, [v1, v2], 20);
        Assert.Equal(2, served.Cosignatures.Count);

        // Appends after that are cosigned from the size each witness knows (with a consistency proof).
        await attest.IssueAsync();
        served = await WaitForCheckpointAsync(client, logKey, [v1, v2], 21);
        Assert.Equal(21, served.Checkpoint.Size);
        var listed = await witnesses.ListAsync();
        Assert.Contains(listed, w => w.Verifier.Name == "witness.example/down" && w.LastError is not null && w.CosignedSize == 0);
        Assert.All(listed.Where(w => w.Verifier.Name != "witness.example/down"), w => Assert.Equal(21, w.CosignedSize));
    }

    internal static async Task<WitnessedCheckpoint> WaitForCheckpointAsync(HttpClient client, NoteVerifier logKey, IReadOnlyList<CosignerVerifier> witnesses, long size)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await client.GetAsync("/log/checkpoint");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var opened = WitnessedCheckpoint.Open(await response.Content.ReadAsStringAsync(), logKey, witnesses, out var error);
                Assert.NotNull(opened);
                // Whatever is served carries the quorum: never a checkpoint fewer witnesses vouched for.
                Assert.Equal(witnesses.Count, opened.Cosignatures.Count);
                if (opened.Checkpoint.Size >= size) return opened;
            }
            else Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no checkpoint of size {size} cosigned by {witnesses.Count} witnesses within 30 s");
            await Task.Delay(100);
        }
    }
}
