using System.Diagnostics;
using System.Globalization;
using Custodes.Application;
using Custodes.Application.Keys;
using Custodes.Application.Transparency;
using Custodes.Attestation;
using Custodes.Testing;
using Custodes.Transparency;

namespace Custodes.Bench.Attestation;

/// <summary>
/// Sustained batched appends to the database log (targets: SQLite ≥ 5,000 entries/s, PostgreSQL ≥ 3,000/s), against the same
/// entries appended to an in-memory log (the hashing alone) as the baseline. Each batch is one transaction: entries, stored
/// hashes, one signed checkpoint. Run: <c>dotnet run -c Release --project bench/Custodes.Bench -- log-append [entries] [batch]</c>.
/// </summary>
public static class LogAppendThroughput
{
    public static async Task RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        var batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        // Entries the size of a real letter's (a DSSE envelope of ~2.4 KB), each different.
        var template = new byte[2_400];
        Random.Shared.NextBytes(template);
        ReadOnlyMemory<byte> Entry(int i)
        {
            var entry = (byte[])template.Clone();
            BitConverter.TryWriteBytes(entry, i);
            return entry;
        }
        var entries = Enumerable.Range(0, total).Select(Entry).ToArray();

        var memory = new MemoryLog();
        var clock = Stopwatch.StartNew();
        foreach (var e in entries) memory.Append(e.Span);
        var baseline = total / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"baseline  in-memory log (hashing only): {baseline,12:N0} entries/s");

        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            await using var test = await TestInstallation.CreateAsync(provider);
            var log = new TransparencyLog(test.Installation, new LogKeys(test.Installation, new FileSigningKeyProvider(), new LogOptions()), TimeProvider.System);
            await log.AppendAsync(entries[..batch]); // warm-up: key, connections, JIT
            clock.Restart();
            var appended = 0;
            for (var at = batch; at < total; at += batch)
            {
                var slice = entries[at..Math.Min(total, at + batch)];
                await log.AppendAsync(slice);
                appended += slice.Length;
            }
            var rate = appended / clock.Elapsed.TotalSeconds;
            var root = (await log.LatestCheckpointAsync())!;
            if (!root.RootHash.AsSpan().SequenceEqual(memory.TreeHash(total).Bytes)) throw new InvalidOperationException($"{provider}: the database log's root differs from the in-memory log's");
            Console.WriteLine($"{provider,-9} batches of {batch,5}: {appended:N0} entries in {clock.Elapsed.TotalSeconds:F2} s = {rate,10:N0} entries/s (ratio {rate / baseline:F3}), root verified");
        }
    }
}
