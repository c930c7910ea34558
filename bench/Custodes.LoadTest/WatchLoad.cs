using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Application.Organizations;
using Custodes.Watch.Events;

/// <summary>
/// <c>--watch</c>: sustained <c>POST /api/v1/watch/events</c> into the running app for a fixed time (workers send NDJSON
/// bodies of 2,000 events, waiting out 429s), then until every accepted event is stored: events stored per second. Meanwhile
/// one distinct attacker's <c>backup.deleted</c> event is sent every 250 ms; alert latency is the alert's <c>detected_at</c>
/// minus the moment its request was sent (p50/p99).
/// </summary>
internal static class WatchLoad
{
    private const int EventsPerBody = 2_000;

    public static async Task<int> RunAsync(Installation installation, Uri address, int workers, int seconds)
    {
        var audit = new AuditTrail(TimeProvider.System);
        var org = await new OrganizationStore(installation, audit, TimeProvider.System).CreateAsync("msp-load", "msp", "load");
        var accounts = new AccountStore(installation, audit, TimeProvider.System);
        await accounts.CreateUserAsync("load@msp.example", org, Roles.Owner, null, "load");
        var (_, key) = await accounts.CreateApiKeyAsync("load@msp.example", org, "load", [], "load");
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = workers + 2, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        // Live events are judged as they arrive: no reorder buffer (the default 5 min would hold each event until the stream moves on).
        (await client.PutAsJsonAsync("/api/v1/watch/settings", new { settings = "reorder_window: 0s\nsample_size: 20" })).EnsureSuccessStatusCode();

        // Working-hours sessions and logins of 40 technicians on 200 tenants, 10 ms apart in event time.
        var bodies = new List<byte[]>();
        var clock = new DateTimeOffset(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);
        var n = 0;
        for (var b = 0; b < 200; b++)
        {
            var text = new StringBuilder(EventsPerBody * 200);
            for (var i = 0; i < EventsPerBody; i++, n++)
            {
                var e = new WatchEvent
                {
                    Time = clock.AddMilliseconds(n * 10), Source = "kaseya-vsa", Msp = "msp-load", Tenant = $"tenant-{n % 200:000}", Actor = $"tech{n % 40:00}",
                    ActorIp = $"198.51.100.{n % 40 + 1}", Action = (n % 3) switch { 0 => "session.start", 1 => "session.end", _ => "login.success" },
                    Target = $"PC-{n % 997:000}", Detail = EventDetail.Of(("session_id", n.ToString())),
                };
                text.Append(EventJson.Serialize(e)).Append('\n');
            }
            bodies.Add(Encoding.UTF8.GetBytes(text.ToString()));
        }
        var lastTime = clock.AddMilliseconds(n * 10);

        Console.WriteLine($"# Custodes watch ingestion run: {installation.Provider}, {Environment.ProcessorCount} cores, {workers} workers, {seconds} s, bodies of {EventsPerBody} events, {address}");
        long accepted = 0, throttled = 0, next = 0;
        var sent = new Dictionary<string, DateTime>();
        var start = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var duration = TimeSpan.FromSeconds(seconds);
        var senders = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (start.Elapsed < duration)
            {
                var body = bodies[(int)(Interlocked.Increment(ref next) % bodies.Count)];
                using var response = await client.PostAsync("/api/v1/watch/events", new ByteArrayContent(body));
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref throttled);
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                    continue;
                }
                response.EnsureSuccessStatusCode();
                Interlocked.Add(ref accepted, EventsPerBody);
            }
        })).ToList();
        senders.Add(Task.Run(async () =>
        {
            for (var i = 0; start.Elapsed < duration; i++)
            {
                var actor = $"attacker-{i:0000}";
                var line = EventJson.Serialize(new WatchEvent
                {
                    Time = lastTime.AddMinutes(1), Source = "kaseya-vsa", Msp = "msp-load", Tenant = "tenant-001", Actor = actor, Action = "backup.deleted", Target = "SRV-01",
                }) + "\n";
                lock (sent) sent[actor] = DateTime.UtcNow;
                using var response = await client.PostAsync("/api/v1/watch/events", new StringContent(line));
                if (response.StatusCode == HttpStatusCode.TooManyRequests) lock (sent) sent.Remove(actor);
                else Interlocked.Increment(ref accepted);
                await Task.Delay(250);
            }
        }));
        await Task.WhenAll(senders);
        var sending = start.Elapsed;
        long stored;
        while ((stored = (await client.GetFromJsonAsync<JsonElement>("/api/v1/watch/settings")).GetProperty("events").GetInt64()) < accepted)
            await Task.Delay(50);
        var elapsed = start.Elapsed;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        await Task.Delay(TimeSpan.FromSeconds(1));

        var latencies = new List<double>();
        for (var page = 1; ; page++)
        {
            var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/watch/alerts?rule=backup-destruction&page_size=200&page={page}");
            foreach (var a in list.GetProperty("items").EnumerateArray())
                if (sent.TryGetValue(a.GetProperty("actor").GetString()!, out var at))
                    latencies.Add((a.GetProperty("detected_at").GetDateTime().ToUniversalTime() - at).TotalMilliseconds);
            if (list.GetProperty("next").ValueKind == JsonValueKind.Null) break;
        }
        latencies.Sort();
        double P(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Clamp((int)Math.Ceiling(p / 100 * latencies.Count) - 1, 0, latencies.Count - 1)];
        Console.WriteLine($"POST /api/v1/watch/events  stored={stored} in {elapsed.TotalSeconds:F1}s (sending {sending.TotalSeconds:F1}s) events/s={stored / elapsed.TotalSeconds:F0} " +
                          $"429s={throttled} cpu/1000 events={cpu / stored * 1000:F1}ms load-average={File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine($"alert latency (request sent -> alert stored)  alerts={latencies.Count}/{sent.Count} p50={P(50):F0}ms p99={P(99):F0}ms max={P(100):F0}ms");
        var verify = await client.GetFromJsonAsync<JsonElement>("/api/v1/watch/verify");
        Console.WriteLine($"verify: ok={verify.GetProperty("ok").GetBoolean()} batches={verify.GetProperty("batches").GetInt64()} events={verify.GetProperty("events").GetInt64()}");
        return 0;
    }
}
