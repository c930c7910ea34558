using System.Diagnostics;
using System.Globalization;
using System.Net;
using Custodes.Attestation;
using Custodes.Storage;
using Custodes.Storage.Keys;
using Custodes.Storage.Transparency;
using Custodes.Testing;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodes.Bench.Attestation;

/// <summary>
/// A bounded loopback load run of tile serving (target ≥ 10,000 requests/s for full tiles): starts the web app on 127.0.0.1 over a
/// SQLite log, then keeps <c>connections</c> HTTP/1.1 keep-alive connections busy for a fixed time and request budget.
/// Full tiles (served from memory) are measured against partial tiles and the checkpoint (each read from the database).
/// Run: <c>dotnet run -c Release --project bench/Custodes.Bench -- tile-load [seconds] [connections]</c>. Only 127.0.0.1 is ever a target.
/// </summary>
public static class TileLoad
{
    private const int MaxRequests = 2_000_000;

    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var connections = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
        seconds = Math.Clamp(seconds, 1, 60);

        await using var test = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        var log = new TransparencyLog(test.Installation, new LogKeys(test.Installation, new FileSigningKeyProvider(), new LogOptions()), TimeProvider.System);
        const int size = 65_636; // 256 full level-0 tiles, a full level-1 tile, and partial tiles at both levels
        for (var at = 0; at < size; at += 5_000)
            await log.AppendAsync([.. Enumerable.Range(at, Math.Min(5_000, size - at)).Select(i => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes($"{{\"entry\":{i},\"pad\":\"{new string('x', 200)}\"}}"))]);

        var app = CustodesWebApp.Build(test.Installation, ["http://127.0.0.1:0"], b => b.Logging.ClearProviders());
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        if (!IPAddress.IsLoopback(IPAddress.Parse(url.Host))) throw new InvalidOperationException("the load run targets loopback only");
        try
        {
            var full = Enumerable.Range(0, 256).Select(n => $"/log/{new Tile(0, n, Tile.FullWidth).Path}").Append("/log/tile/1/000").Append("/log/tile/entries/017").ToArray();
            Console.WriteLine($"server {url}, log of {size:N0} entries; {connections} connections, {seconds:F0} s per run, at most {MaxRequests:N0} requests");
            var fullRate = await LoadAsync(url, connections, seconds, full, "full tiles (memory)");
            var partialRate = await LoadAsync(url, connections, Math.Min(seconds, 5), ["/log/tile/0/256.p/100", "/log/tile/entries/256.p/100", "/log/tile/2/000.p/1"], "partial tiles (database)");
            var checkpointRate = await LoadAsync(url, connections, Math.Min(seconds, 5), ["/log/checkpoint"], "checkpoint (database)");
            Console.WriteLine($"ratios: full/partial {fullRate / partialRate:F2}, full/checkpoint {fullRate / checkpointRate:F2}");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<double> LoadAsync(Uri server, int connections, double seconds, string[] paths, string what)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseProxy = false, AutomaticDecompression = DecompressionMethods.None };
        using var client = new HttpClient(handler) { BaseAddress = server };
        foreach (var path in paths) (await client.GetAsync(path)).EnsureSuccessStatusCode(); // warm: cache, JIT, connections

        long requests = 0, failures = 0, bytes = 0;
        var latencies = new List<double>[connections];
        var stop = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            var random = new Random(worker);
            var buffer = new byte[64 * 1024];
            while (stop.Elapsed < deadline && Interlocked.Increment(ref requests) <= MaxRequests)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(paths[random.Next(paths.Length)], HttpCompletionOption.ResponseHeadersRead);
                await using var body = await response.Content.ReadAsStreamAsync();
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0) Interlocked.Add(ref bytes, read);
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failures);
                if (mine.Count < 100_000) mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;
        var done = Math.Min(requests, MaxRequests);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var rate = done / elapsed;
        Console.WriteLine($"{what,-26} {done,10:N0} requests in {elapsed:F1} s = {rate,9:N0} req/s, {bytes / elapsed / 1e6,7:N1} MB/s, p50 {all[all.Length / 2]:F2} ms, p99 {all[(int)(all.Length * 0.99)]:F2} ms, failures {failures}");
        return rate;
    }
}
