using System.Diagnostics;
using System.Globalization;
using System.Net;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Trust;
using Custodes.Testing;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodes.Bench.Trust;

/// <summary>
/// A bounded loopback load run of the public trust page (target ≥ 5,000 requests/s each for <c>/trust/&lt;slug&gt;</c> and its JSON on SQLite):
/// the demo workspace on SQLite, its MSP's page published, then <c>connections</c> HTTP/1.1 keep-alive connections kept busy for a fixed
/// time and request budget. Run: <c>dotnet run -c Release --project bench/Custodes.Bench -- trust-load [seconds] [connections]</c>.
/// Only 127.0.0.1 is ever a target.
/// </summary>
public static class TrustLoad
{
    private const int MaxRequests = 1_000_000;

    public static async Task RunAsync(string[] args)
    {
        var seconds = Math.Clamp(args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10, 1, 60);
        var connections = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;

        await using var test = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        var demo = await Demo.EnsureAsync(test.Installation);
        var audit = new AuditTrail(TimeProvider.System);
        await new TrustPages(test.Installation, audit, TimeProvider.System).PublishAsync(new Tenant(demo.MspOrganization, Roles.Owner, "bench"), "granite-peak");

        var (app, url) = await CustodesWebApp.StartOnLoopbackAsync(test.Installation, b => b.Logging.ClearProviders());
        try
        {
            Console.WriteLine($"server {url}; {connections} connections, {seconds:F0} s per run, at most {MaxRequests:N0} requests");
            await LoadAsync(url, connections, Math.Min(seconds, 3), "/trust/granite-peak", "warm-up (page)");
            var page = await LoadAsync(url, connections, seconds, "/trust/granite-peak", "/trust/<slug> (HTML)");
            var json = await LoadAsync(url, connections, seconds, "/trust/granite-peak.json", "/trust/<slug>.json");
            var badge = await LoadAsync(url, connections, Math.Min(seconds, 5), "/trust/granite-peak/badge.svg", "/trust/<slug>/badge.svg");
            Console.WriteLine($"ratios: json/page {json / page:F2}, badge/page {badge / page:F2}");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    // A lean HTTP/1.1 client on raw keep-alive sockets (one request in flight per connection), as TileLoad's, that also reads chunked bodies (pages).
    private static async Task<double> LoadAsync(Uri server, int connections, double seconds, string path, string what)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(server.Host), server.Port);
        var request = System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\n\r\n");
        long done = 0, failures = 0, bytes = 0;
        var latencies = new List<double>[connections];
        var stop = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint);
            var buffer = new byte[256 * 1024];
            while (stop.Elapsed < deadline && Interlocked.Increment(ref done) <= MaxRequests)
            {
                var started = Stopwatch.GetTimestamp();
                await socket.SendAsync(request);
                var (status, length) = await ReadResponseAsync(socket, buffer);
                Interlocked.Add(ref bytes, length);
                if (status != 200) Interlocked.Increment(ref failures);
                if (mine.Count < 100_000) mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var elapsed = stop.Elapsed.TotalSeconds;
        var count = Math.Min(done, MaxRequests);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var rate = count / elapsed;
        Console.WriteLine($"{what,-26} {count,10:N0} requests in {elapsed:F1} s = {rate,9:N0} req/s, {bytes / elapsed / 1e6,7:N1} MB/s, p50 {all[all.Length / 2]:F2} ms, p99 {all[(int)(all.Length * 0.99)]:F2} ms, failures {failures}");
        return rate;
    }

    // One response: headers, then a Content-Length body or a chunked one (read to its terminating empty chunk). Returns status and bytes read.
    private static async Task<(int Status, int Length)> ReadResponseAsync(System.Net.Sockets.Socket socket, byte[] buffer)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            filled += await ReceiveAsync(socket, buffer.AsMemory(filled));
        var headers = System.Text.Encoding.ASCII.GetString(buffer, 0, headerEnd);
        var status = int.Parse(headers.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var at = headers.IndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
        if (at >= 0)
        {
            var lineEnd = headers.IndexOf('\r', at);
            var length = int.Parse(headers.AsSpan(at + 15, (lineEnd < 0 ? headers.Length : lineEnd) - at - 15).Trim(), CultureInfo.InvariantCulture);
            var have = filled - headerEnd - 4;
            while (have < length) have += await ReceiveAsync(socket, buffer.AsMemory(0, Math.Min(buffer.Length, length - have)));
            return (status, length);
        }
        // Chunked: the body fits the buffer (a trust page is tens of KB), so read until it ends with the last chunk.
        var start = headerEnd + 4;
        while (!buffer.AsSpan(start, filled - start).EndsWith("0\r\n\r\n"u8))
            filled += await ReceiveAsync(socket, buffer.AsMemory(filled));
        return (status, filled - start);
    }

    private static async Task<int> ReceiveAsync(System.Net.Sockets.Socket socket, Memory<byte> into)
    {
        var read = await socket.ReceiveAsync(into);
        return read == 0 ? throw new IOException("the server closed the connection") : read;
    }
}
