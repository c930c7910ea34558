using System.Diagnostics;
using System.Net;
using System.Text;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Transparency;
using Custodes.Application.Witness;
using Custodes.Attestation;
using Custodes.Testing;
using Custodes.Transparency;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>The witnessed log (docs/benchmarks.md, "Witnessed log"), on 127.0.0.1 only, bounded in time:
/// (1) add-checkpoint requests/s of one witness, each with a consistency proof, from several logs at once;
/// (2) the delay from an append to <c>/log/checkpoint</c> serving it cosigned by a quorum of 3 witnesses.</summary>
/// <remarks>Usage: Custodes.LoadTest --witness [--provider sqlite|postgres] [--seconds 10] [--logs 8] [--appends 20]</remarks>
internal static class WitnessLoad
{
    public static async Task RunAsync(string[] args, DatabaseProvider provider)
    {
        string Value(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        var seconds = Math.Clamp(int.Parse(Value("--seconds", "10")), 1, 60);
        var logs = Math.Clamp(int.Parse(Value("--logs", "8")), 1, 64);
        var appends = Math.Clamp(int.Parse(Value("--appends", "20")), 1, 200);
        await ThroughputAsync(provider, seconds, 1);
        await ThroughputAsync(provider, seconds, logs);
        await DelayAsync(provider, appends);
    }

    private static Task<(WebApplication App, Uri Address)> StartAsync(TestInstallation test) =>
        CustodesWebApp.StartOnLoopbackAsync(test.Installation, b => b.Logging.SetMinimumLevel(LogLevel.Warning));

    // Each log is one chain of checkpoints (a witness serializes a log's updates by design); several logs run concurrently.
    private static async Task ThroughputAsync(DatabaseProvider provider, int seconds, int logCount)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        new WitnessKeys(test.Installation, new FileSigningKeyProvider()).Create("bench.example/witness");
        var witness = new CheckpointWitness(test.Installation, new WitnessKeys(test.Installation, new FileSigningKeyProvider()), new AuditTrail(TimeProvider.System), TimeProvider.System);
        var keys = Enumerable.Range(0, logCount).Select(_ => Ed25519SigningKey.Generate()).ToList();
        var signers = keys.Select((k, i) => NoteSigner.Create($"bench.example/log{i}", k)).ToList();
        foreach (var signer in signers) await witness.AddLogAsync(signer.Verifier.KeyString, "bench");
        var (app, address) = await StartAsync(test);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = logCount };
        using var client = new HttpClient(handler) { BaseAddress = address };
        var latencies = new List<double>[logCount];
        var proofHashes = new long[logCount];
        // Warm up (JIT, connections, the first write) outside the measured window.
        using (var warm = Ed25519SigningKey.Generate())
        {
            var signer = NoteSigner.Create("bench.example/warmup", warm);
            await witness.AddLogAsync(signer.Verifier.KeyString, "bench");
            var tree = new MemoryLog();
            tree.Append("warm"u8);
            using var response = await client.PostAsync("/witness/add-checkpoint", new StringContent(new AddCheckpointRequest(0, [], new CheckpointSigner(signer).Sign(signer.Name, 1, tree.TreeHash())).ToBody()));
        }
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, logCount).Select(i => Task.Run(async () =>
        {
            latencies[i] = [];
            var tree = new MemoryLog();
            var checkpoints = new CheckpointSigner(signers[i]);
            long cosigned = 0;
            while (stop.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                for (var e = 0; e < 17; e++) tree.Append(Encoding.UTF8.GetBytes($"log {i} entry {tree.Size}"));
                var proof = cosigned == 0 ? [] : tree.ProveConsistency(tree.Size, cosigned);
                proofHashes[i] += proof.Length;
                var body = new AddCheckpointRequest(cosigned, proof, checkpoints.Sign(signers[i].Name, tree.Size, tree.TreeHash())).ToBody();
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/witness/add-checkpoint", new StringContent(body));
                latencies[i].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"witness answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                cosigned = tree.Size;
            }
        })));
        var elapsed = stop.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        Console.WriteLine($"add-checkpoint ({provider}, {logCount} log(s) concurrently, consistency proofs of {(double)proofHashes.Sum() / Math.Max(1, all.Count):0.0} hashes on average): " +
            $"{all.Count} cosignatures in {elapsed:0.0} s = {all.Count / elapsed:0} req/s; p50 {Percentile(all, 0.5):0.00} ms, p99 {Percentile(all, 0.99):0.00} ms");
        await app.StopAsync();
        await app.DisposeAsync();
        foreach (var key in keys) key.Dispose();
    }

    private static async Task DelayAsync(DatabaseProvider provider, int appends)
    {
        await using var logStore = await TestInstallation.CreateAsync(provider);
        var witnesses = new List<(TestInstallation Store, WebApplication App, Uri Address)>();
        var (logApp, logAddress) = await StartAsync(logStore);
        var log = logApp.Services.GetRequiredService<TransparencyLog>();
        var logKey = (await log.Keys.GetAsync()).Verifier;
        var settings = new LogWitnesses(logStore.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var vkeys = new List<CosignerVerifier>();
        for (var i = 0; i < 3; i++)
        {
            var store = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
            var vkey = new WitnessKeys(store.Installation, new FileSigningKeyProvider()).Create($"bench.example/w{i}");
            await new CheckpointWitness(store.Installation, new WitnessKeys(store.Installation, new FileSigningKeyProvider()), new AuditTrail(TimeProvider.System), TimeProvider.System)
                .AddLogAsync(logKey.KeyString, "bench");
            var (app, address) = await StartAsync(store);
            witnesses.Add((store, app, address));
            vkeys.Add(vkey);
            await settings.AddAsync(vkey.KeyString, address + "witness", "bench");
        }
        await settings.SetQuorumAsync(3, "bench");
        using var client = new HttpClient { BaseAddress = logAddress };
        var delays = new List<double>();
        for (var n = 0; n < appends; n++)
        {
            var started = Stopwatch.GetTimestamp();
            var appended = await log.AppendAsync(Encoding.UTF8.GetBytes($"bench entry {n}"));
            while (true)
            {
                var served = await client.GetAsync("/log/checkpoint");
                if (served.StatusCode == HttpStatusCode.OK)
                {
                    var opened = WitnessedCheckpoint.Open(await served.Content.ReadAsStringAsync(), logKey, vkeys, out _);
                    if (opened is { } w && w.Checkpoint.Size >= appended.Size && w.Cosignatures.Count == 3) break;
                }
                if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(30)) throw new TimeoutException("no quorum-cosigned checkpoint within 30 s");
                await Task.Delay(5);
            }
            delays.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        delays.Sort();
        Console.WriteLine($"append -> checkpoint cosigned by 3 of 3 witnesses ({provider} log, SQLite witnesses, collector polling every 250 ms): " +
            $"{appends} appends; p50 {Percentile(delays, 0.5):0} ms, p95 {Percentile(delays, 0.95):0} ms, max {delays[^1]:0} ms");
        await logApp.StopAsync();
        await logApp.DisposeAsync();
        foreach (var (store, app, _) in witnesses)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            await store.DisposeAsync();
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
