using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Cli.Tests;

/// <summary>Watch ingestion survives <c>kill -9</c>: a real <c>custodes serve</c> process is killed while clients post events,
/// restarted on the same data, and every event it answered 202 for is stored exactly once in the MSP's log, which verifies.</summary>
public sealed class WatchCrashTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const int EventsPerBody = 100;

    private static string[] Store(TestInstallation test, params string[] args) =>
        [.. args, "--data-dir", test.DataDirectory, .. test.Database is null ? Array.Empty<string>() : ["--db", test.Database]];

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_event_answered_202_is_stored_exactly_once_after_the_server_is_killed_mid_stream(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var org = (await Cli.RunAsync(Store(test, "admin", "create-org", "msp-crash", "--kind", "msp"))).Stdout.Trim();
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "admin", "create-user", "ops@msp-crash.example", "--org", org, "--role", "owner"))).ExitCode);
        var key = (await Cli.RunAsync(Store(test, "admin", "create-api-key", "ops@msp-crash.example"))).Stdout.Trim();
        var syslogPort = FreePort();

        var (server, address) = await StartAsync(test, org, syslogPort);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        // Syslog over TCP first: every message the server read is durable before it reads on, so once the connection is read to
        // its end they survive the kill even while the queue is far behind.
        const int SyslogMessages = 300;
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, syslogPort);
            var stream = tcp.GetStream();
            for (var i = 0; i < SyslogMessages; i++)
            {
                var message = Encoding.UTF8.GetBytes($$"""<86>1 2025-03-03T07:{{i / 60:00}}:{{i % 60:00}}Z rmm01 kaseya-vsa - - - {"actor": "tech1", "action": "login.success", "tenant": "tenant-1", "n": "syslog-{{i}}"}""");
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{message.Length} "));
                await stream.WriteAsync(message);
            }
        }

        // Bodies of distinct events, each sent with its own idempotency key; the server is killed right after the 40th 202.
        var acked = new ConcurrentDictionary<int, string>();
        var unknown = new ConcurrentBag<int>();
        var next = 0;
        var killed = 0;
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref killed) == 0)
            {
                var body = Interlocked.Increment(ref next);
                try
                {
                    using var response = await PostAsync(client, body);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        unknown.Add(body);
                        continue;
                    }
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    acked[body] = await response.Content.ReadAsStringAsync();
                    if (acked.Count >= 40 && Interlocked.Exchange(ref killed, 1) == 0) server.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    unknown.Add(body); // in flight when the server died: the client cannot know, and sends it again
                }
            }
        })));
        await server.WaitForExitAsync();
        server.Dispose();

        (server, _) = await StartAsync(test, org, syslogPort, address);
        try
        {
            // The client's retry of what it could not know about: the same key and body, accepted (or answered again) once.
            foreach (var body in unknown)
            {
                using var response = await PostAsync(client, body);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
            // A retry of a body answered before the kill gets the same answer, and stores nothing again.
            var last = acked.Keys.Max();
            using (var again = await PostAsync(client, last))
            {
                Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
                Assert.Equal(acked[last], await again.Content.ReadAsStringAsync());
            }

            var expected = acked.Keys.Concat(unknown).Distinct().SelectMany(b => Enumerable.Range(0, EventsPerBody).Select(i => $"{b}-{i}"))
                .Concat(Enumerable.Range(0, SyslogMessages).Select(i => $"syslog-{i}")).ToHashSet();
            var total = expected.Count;
            var deadline = Stopwatch.StartNew();
            long stored;
            while ((stored = await StoredAsync(client)) < total && deadline.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(200);
            await Task.Delay(1000);
            Assert.Equal(total, await StoredAsync(client));

            await using var db = test.Installation.OpenDb();
            var details = await db.WatchEvents.AsNoTracking().Select(e => e.Detail).ToListAsync();
            var ids = details.Select(d => JsonDocument.Parse(d).RootElement.TryGetProperty("n", out var n) ? n.GetString() : null).OfType<string>().ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.True(expected.SetEquals(ids), $"{expected.Except(ids).Count()} answered event(s) missing, {ids.Except(expected).Count()} unexpected");
            Assert.Equal(0, await db.WatchInbox.CountAsync(r => r.StoredAt == null));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            server.Dispose();
        }

        var verify = await Cli.RunAsync(Store(test, "watch", "verify", "--msp", org, "--json"));
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        var result = JsonDocument.Parse(verify.Stdout).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal(result.GetProperty("batches").GetInt64(), result.GetProperty("checkpoint_size").GetInt64());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, int body)
    {
        var text = new StringBuilder();
        for (var i = 0; i < EventsPerBody; i++)
            text.Append("{\"time\": \"").Append($"2025-03-03T{8 + body / 3600 % 10:00}:{body / 60 % 60:00}:{body % 60:00}.{i:0000000}Z")
                .Append("\", \"source\": \"kaseya-vsa\", \"msp\": \"msp-crash\", \"tenant\": \"tenant-").Append(i % 20)
                .Append("\", \"actor\": \"tech").Append(i % 5).Append("\", \"action\": \"login.success\", \"detail\": {\"n\": \"").Append($"{body}-{i}").Append("\"}}\n");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/watch/events") { Content = new StringContent(text.ToString()) };
        request.Headers.Add("Idempotency-Key", $"crash-test-body-{body}");
        return client.SendAsync(request);
    }

    private static async Task<long> StoredAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync("/api/v1/watch/settings")).RootElement.GetProperty("events").GetInt64();

    private static async Task<(Process, Uri)> StartAsync(TestInstallation test, string org, int syslogPort, Uri? address = null)
    {
        address ??= new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in Store(test, Path.Combine(AppContext.BaseDirectory, "custodes.dll"), "serve", "--urls", address.ToString().TrimEnd('/'),
                     "--syslog", $"127.0.0.1:{syslogPort}", "--syslog-msp", org)) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited) break;
            try
            {
                if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode) return (process, address);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        lock (output) throw new InvalidOperationException($"custodes serve did not start: {output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
