using System.Diagnostics;
using System.Globalization;
using System.Net;
using Custodes.Application;
using Custodes.Application.Keys;
using Custodes.Application.Transparency;
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

namespace Custodes.Bench.Attestation;

/// <summary>
/// A bounded loopback load run of tile serving (target ≥ 10,000 requests/s for full tiles): starts the web app on 127.0.0.1 over a
/// SQLite log, then keeps <c>connections</c> HTTP/1.1 keep-alive connections busy for a fixed time and request budget.
/// Full and partial tiles (served from memory after their first read) are measured against the checkpoint (read from the database each time).
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

        var (app, url) = await CustodesWebApp.StartOnLoopbackAsync(test.Installation, b => b.Logging.ClearProviders());
        try
        {
            var full = Enumerable.Range(0, 256).Select(n => $"/log/{new Tile(0, n, Tile.FullWidth).Path}").Append("/log/tile/1/000").Append("/log/tile/entries/017").ToArray();
            Console.WriteLine($"server {url}, log of {size:N0} entries; {connections} connections, {seconds:F0} s per run, at most {MaxRequests:N0} requests");
            var fullRate = await LoadAsync(url, connections, seconds, full, "full tiles (memory)");
            var partialRate = await LoadAsync(url, connections, Math.Min(seconds, 5), ["/log/tile/0/256.p/100", "/log/tile/entries/256.p/100", "/log/tile/2/000.p/1"], "partial tiles (memory)");
            var checkpointRate = await LoadAsync(url, connections, Math.Min(seconds, 5), ["/log/checkpoint"], "checkpoint (database)");
            Console.WriteLine($"ratios: full/partial {fullRate / partialRate:F2}, full/checkpoint {fullRate / checkpointRate:F2}");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    // A lean HTTP/1.1 client on raw keep-alive sockets (one request in flight per connection, no pipelining), so that the load
    // generator, which shares the machine's two cores with the server, spends as little CPU as it can.
    private static async Task<double> LoadAsync(Uri server, int connections, double seconds, string[] paths, string what)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(server.Host), server.Port);
        var requests = paths.Select(p => System.Text.Encoding.ASCII.GetBytes($"GET {p} HTTP/1.1\r\nHost: {server.Authority}\r\n\r\n")).ToArray();
        long done = 0, failures = 0, bytes = 0;
        var latencies = new List<double>[connections];
        var stop = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            var random = new Random(worker);
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint);
            var buffer = new byte[256 * 1024];
            while (stop.Elapsed < deadline && Interlocked.Increment(ref done) <= MaxRequests)
            {
                var started = Stopwatch.GetTimestamp();
                await socket.SendAsync(requests[random.Next(requests.Length)]);
                var (status, length) = await ReadResponseAsync(socket, buffer);
                Interlocked.Add(ref bytes, length);
                if (status != 200) Interlocked.Increment(ref failures);
                if (mine.Count < 100_000) mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;
        var count = Math.Min(done, MaxRequests); // each increment that passed the deadline check is a completed request
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var rate = count / elapsed;
        Console.WriteLine($"{what,-26} {count,10:N0} requests in {elapsed:F1} s = {rate,9:N0} req/s, {bytes / elapsed / 1e6,7:N1} MB/s body, p50 {all[all.Length / 2]:F2} ms, p99 {all[(int)(all.Length * 0.99)]:F2} ms, failures {failures}");
        return rate;
    }

    // Reads one response: headers up to the blank line, then Content-Length bytes of body. Returns status and body length.
    private static async Task<(int Status, int Length)> ReadResponseAsync(System.Net.Sockets.Socket socket, byte[] buffer)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled));
            if (read == 0) throw new IOException("the server closed the connection");
            filled += read;
        }
        var headers = System.Text.Encoding.ASCII.GetString(buffer, 0, headerEnd);
        var status = int.Parse(headers.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var at = headers.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
        if (at < 0) throw new IOException("no Content-Length in the response");
        var lineEnd = headers.IndexOf('\r', at);
        var length = int.Parse(headers.AsSpan(at + 15, (lineEnd < 0 ? headers.Length : lineEnd) - at - 15).Trim(), CultureInfo.InvariantCulture);
        var have = filled - headerEnd - 4;
        while (have < length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(0, Math.Min(buffer.Length, length - have)));
            if (read == 0) throw new IOException("the server closed the connection mid-body");
            have += read;
        }
        return (status, length);
    }
}
