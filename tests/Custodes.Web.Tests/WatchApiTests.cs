using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Watch;
using Custodes.Testing;
using Custodes.Watch.Events;
using Custodes.Watch.Simulation;
using Custodes.Web.Watch;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Custodes.Web.Tests;

/// <summary>Watch over HTTP (and syslog): ingestion with its refusals and backpressure, alerts, the customer's view.</summary>
public sealed class WatchApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static string Event(string msp, string tenant, string actor, string action, string time = "2025-03-05T10:00:00Z") =>
        $"{{\"time\": \"{time}\", \"source\": \"kaseya-vsa\", \"msp\": \"{msp}\", \"tenant\": \"{tenant}\", \"actor\": \"{actor}\", \"action\": \"{action}\"}}\n";

    private static StringContent Ndjson(string body) => new(body, Encoding.UTF8, "application/x-ndjson");

    private static string Simulated(string attack, int tenants)
    {
        var text = new StringBuilder();
        foreach (var e in new Simulator(new SimulationOptions { Msps = 1, Tenants = tenants, Days = 9, Seed = 3, Attack = AttackScenarios.Parse(attack) }).Events())
            text.Append(EventJson.Serialize(e)).Append('\n');
        return text.ToString();
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what) where T : struct
    {
        for (var i = 0; i < 300; i++)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"gave up waiting for {what}");
    }

    private static async Task<T> EventuallyRowAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        for (var i = 0; i < 300; i++)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"gave up waiting for {what}");
    }

    private static async Task<JsonElement?> AlertAsync(HttpClient client, string rule, string actor)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/watch/alerts?rule={rule}&page_size=200");
        return page.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("actor").GetString() == actor).Select(a => (JsonElement?)a).FirstOrDefault();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Posted_events_are_stored_and_bad_or_foreign_lines_are_refused_by_line_number(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, _, key) = await server.NewAccountAsync("msp-07", "msp");
        var client = server.Client(key);
        var body = Event("msp-07", "t1", "ana", "login.success") + Event("msp-07", "t2", "ana", "session.start") + "{\"time\": \"yesterday\"}\n"
            + Event("percsoft", "t3", "bob", "login.success") + Event(org.ToString(), "t4", "ana", "session.end");

        var response = await client.PostAsync("/api/v1/watch/events", Ndjson(body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, json.GetProperty("accepted").GetInt64());
        var refused = json.GetProperty("quarantine").EnumerateArray().ToArray();
        Assert.Equal([3L, 4L], refused.Select(r => r.GetProperty("line").GetInt64()));
        Assert.Equal("request body", refused[0].GetProperty("file").GetString());
        Assert.Contains("msp 'percsoft' is not this organization's", refused[1].GetProperty("reason").GetString());

        var verified = await EventuallyAsync(async () =>
        {
            var v = await client.GetFromJsonAsync<JsonElement>("/api/v1/watch/verify");
            return v.GetProperty("events").GetInt64() == 3 ? (JsonElement?)v : null;
        }, "the events to be stored");
        Assert.True(verified.GetProperty("ok").GetBoolean());
        await using var db = server.Installation.OpenDb();
        Assert.Equal([3L, 4L], await db.WatchQuarantine.Where(q => q.MspOrganizationId == org).OrderBy(q => q.Line).Select(q => q.Line).ToListAsync());

        var (_, customerClient) = await server.NewTenantAsync("Smile Dental", "customer");
        var forbidden = await customerClient.PostAsync("/api/v1/watch/events", Ndjson(Event("msp-07", "t1", "ana", "login.success")));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_body_over_the_limit_answers_413_and_a_full_queue_429_with_retry_after(DatabaseProvider provider)
    {
        await using (var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Watch:MaxBodyBytes"] = "1000" }))
        {
            var (_, _, key) = await server.NewAccountAsync("msp-07", "msp");
            var body = string.Concat(Enumerable.Repeat(Event("msp-07", "t1", "ana", "login.success"), 20));
            var response = await server.Client(key).PostAsync("/api/v1/watch/events", Ndjson(body));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        await using (var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Watch:QueueCapacity"] = "0", ["Custodes:Watch:RetryAfterSeconds"] = "7" }))
        {
            var (_, _, key) = await server.NewAccountAsync("msp-07", "msp");
            var response = await server.Client(key).PostAsync("/api/v1/watch/events", Ndjson(Event("msp-07", "t1", "ana", "login.success")));
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("queue is full", problem.GetProperty("detail").GetString());
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_retry_with_the_same_idempotency_key_gets_the_first_answer_and_stores_nothing_twice_and_another_body_under_it_is_422(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, key) = await server.NewAccountAsync("msp-07", "msp");
        var (_, _, otherKey) = await server.NewAccountAsync("msp-08", "msp");
        var client = server.Client(key);
        var body = Event("msp-07", "t1", "ana", "login.success") + Event("msp-07", "t2", "ana", "session.start") + "not json\n";
        async Task<HttpResponseMessage> PostAsync(HttpClient c, string text, string? idempotencyKey, string? query = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/watch/events" + query) { Content = Ndjson(text) };
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            return await c.SendAsync(request);
        }
        async Task<long> StoredAsync() => (await client.GetFromJsonAsync<JsonElement>("/api/v1/watch/settings")).GetProperty("events").GetInt64();

        var first = await PostAsync(client, body, "batch-0001");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var answer = await first.Content.ReadAsStringAsync();
        Assert.Equal(2, JsonDocument.Parse(answer).RootElement.GetProperty("accepted").GetInt64());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        await EventuallyAsync(async () => await StoredAsync() == 2 ? (bool?)true : null, "the events to be stored");

        // The retry (its answer lost, say): the same answer, marked as replayed, and nothing stored again.
        var retry = await PostAsync(client, body, "batch-0001");
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(answer, await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        // The key names this request: another body, or the same body read differently, is refused.
        var reused = await PostAsync(client, Event("msp-07", "t9", "eve", "mfa.disabled"), "batch-0001");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Contains("already used for a different request", (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(client, body, "batch-0001", "?tenant=t5")).StatusCode);
        // Keys are per MSP: another MSP's key of the same text is its own.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(server.Client(otherKey), Event("msp-08", "t1", "bo", "login.success"), "batch-0001")).StatusCode);
        var bad = await PostAsync(client, body, new string('k', 300));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Idempotency-Key", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        // Every event accepted so far is stored once the queue is empty: a retry accepted again would be there too.
        var queue = server.Services.GetRequiredService<IngestionQueue>();
        await EventuallyAsync(() => Task.FromResult(queue.Queued == 0 ? (bool?)true : null), "the accepted events to be stored");
        Assert.Equal(2, await StoredAsync());
        var verified = await client.GetFromJsonAsync<JsonElement>("/api/v1/watch/verify");
        Assert.True(verified.GetProperty("ok").GetBoolean());
        Assert.Equal(1, verified.GetProperty("batches").GetInt64());
        await using var db = server.Installation.OpenDb();
        Assert.Equal(1, await db.WatchQuarantine.CountAsync(q => q.Line == 3));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Dental_2019_posted_to_the_server_raises_alerts_naming_the_actor_and_tenants_which_the_msp_acknowledges(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, email, key) = await server.NewAccountAsync("msp-01", "msp");
        var client = server.Client(key);
        var response = await client.PostAsync("/api/v1/watch/events", Ndjson(Simulated("dental-2019", 30)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var mass = await EventuallyAsync(() => AlertAsync(client, "mass-execution", "tech02"), "the mass-execution alert");
        Assert.Equal("critical", mass.GetProperty("severity").GetString());
        Assert.Equal(30, mass.GetProperty("tenants").GetArrayLength());
        var backup = await EventuallyAsync(() => AlertAsync(client, "backup-destruction", "tech02"), "the backup-destruction alert");
        Assert.Contains("vssadmin delete shadows", backup.GetProperty("summary").GetString());

        var id = mass.GetProperty("id").GetGuid();
        var detail = await client.GetAsync($"/api/v1/watch/alerts/{id}");
        var etag = detail.Headers.ETag!.Tag;
        var body = await detail.Content.ReadFromJsonAsync<JsonElement>();
        var events = body.GetProperty("events").EnumerateArray().ToArray();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal("tech02", e.GetProperty("event").GetProperty("actor").GetString()));

        using var session = server.Session();
        await session.SignInAsync(email);
        var (status, html, _) = await session.GetAsync("/watch/alerts?severity=critical");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("mass-execution", html);
        Assert.Contains("tech02", html);

        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/watch/alerts/{id}/acknowledge") { Content = JsonContent.Create(new { note = "late" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{id:N}-999\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(stale)).StatusCode);
        var ack = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/watch/alerts/{id}/acknowledge") { Content = JsonContent.Create(new { note = "calling the technician" }) };
        ack.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        var acked = await client.SendAsync(ack);
        Assert.Equal(HttpStatusCode.OK, acked.StatusCode);
        Assert.Equal("acknowledged", (await acked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var resolved = await client.PostAsJsonAsync($"/api/v1/watch/alerts/{id}/resolve", new { note = "credentials reset" });
        Assert.Equal("resolved", (await resolved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        await using var db = server.Installation.OpenDb();
        var trail = await db.Audit.Where(a => a.EntityId == id.ToString()).OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync();
        Assert.Equal(["watch.alert_acknowledged", "watch.alert_resolved"], trail);
        Assert.True((await AuditTrail.VerifyAsync(db)).Valid);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_detected_attack_fires_the_msp_webhook_and_the_mapped_customer_gets_only_its_tenant(DatabaseProvider provider)
    {
        await using var receiver = await Alerting.WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Alerting:PollInterval"] = "00:00:00.500", ["Custodes:Alerting:AllowPrivateWebhookTargets"] = "true" });
        var (mspOrg, _, key) = await server.NewAccountAsync("msp-01", "msp");
        var msp = server.Client(key);
        var (dentalOrg, dental) = await server.NewTenantAsync("Dental One", "customer");
        Assert.Equal(HttpStatusCode.OK, (await msp.PutAsJsonAsync("/api/v1/watch/tenants/dental-0001", new { customer_organization_id = dentalOrg })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dental.PostAsync($"/api/v1/watch/providers/{mspOrg}/accept", null)).StatusCode);
        await Alerting.AlertDeliveryTests.AddChannelAsync(msp, new { kind = "webhook", url = receiver.Url("msp"), min_severity = "critical" });
        await Alerting.AlertDeliveryTests.AddChannelAsync(dental, new { kind = "webhook", url = receiver.Url("dental"), min_severity = "critical" });

        Assert.Equal(HttpStatusCode.Accepted, (await msp.PostAsync("/api/v1/watch/events", Ndjson(Simulated("dental-2019", 10)))).StatusCode);
        var mass = await EventuallyAsync(() => AlertAsync(msp, "mass-execution", "tech02"), "the mass-execution alert");

        var id = mass.GetProperty("id").GetGuid().ToString();
        async Task<JsonElement> DeliveredToAsync(string hook)
        {
            for (var i = 0; i < 300; i++)
            {
                foreach (var received in receiver.Received(hook))
                    if (JsonDocument.Parse(received.Body).RootElement.GetProperty("alert") is var alert && alert.GetProperty("id").GetString() == id) return alert;
                await Task.Delay(100);
            }
            throw new TimeoutException($"the alert never reached the {hook} webhook");
        }
        var toMsp = await DeliveredToAsync("msp");
        Assert.Equal("tech02", toMsp.GetProperty("actor").GetString());
        Assert.Equal("mass-execution", toMsp.GetProperty("rule").GetString());
        Assert.True(toMsp.GetProperty("tenants").GetArrayLength() >= 5, "the MSP is told every tenant the alert had when it opened");
        var toDental = await DeliveredToAsync("dental");
        Assert.Equal(["dental-0001"], toDental.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_customer_sees_only_alerts_and_events_of_its_own_tenants(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (mspOrg, _, key) = await server.NewAccountAsync("msp-01", "msp");
        var msp = server.Client(key);
        var (dentalOrg, dental) = await server.NewTenantAsync("Dental One", "customer");
        var (_, other) = await server.NewTenantAsync("Other Customer", "customer");
        var mapped = await msp.PutAsJsonAsync("/api/v1/watch/tenants/dental-0001", new { customer_organization_id = dentalOrg });
        Assert.Equal(HttpStatusCode.OK, mapped.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dental.PostAsync($"/api/v1/watch/providers/{mspOrg}/accept", null)).StatusCode);

        await msp.PostAsync("/api/v1/watch/events", Ndjson(Simulated("dental-2019", 10) + Event("msp-01", "dental-0009", "mallory", "mfa.disabled", "2025-03-10T12:00:00Z")));
        var mass = await EventuallyAsync(() => AlertAsync(msp, "mass-execution", "tech02"), "the mass-execution alert");
        var mfa = await EventuallyAsync(() => AlertAsync(msp, "mfa-disabled", "mallory"), "the mfa-disabled alert");
        Assert.Equal(10, mass.GetProperty("tenants").GetArrayLength());

        var seen = await dental.GetFromJsonAsync<JsonElement>("/api/v1/watch/alerts?rule=mass-execution");
        var own = seen.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("actor").GetString() == "tech02");
        Assert.Equal(["dental-0001"], own.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        var detail = await dental.GetFromJsonAsync<JsonElement>($"/api/v1/watch/alerts/{mass.GetProperty("id").GetGuid()}");
        Assert.All(detail.GetProperty("events").EnumerateArray(), e => Assert.Equal("dental-0001", e.GetProperty("event").GetProperty("tenant").GetString()));

        Assert.Equal(HttpStatusCode.NotFound, (await dental.GetAsync($"/api/v1/watch/alerts/{mfa.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/watch/alerts/{mass.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/api/v1/watch/alerts")).GetProperty("items").EnumerateArray());
        var ack = await dental.PostAsJsonAsync($"/api/v1/watch/alerts/{mass.GetProperty("id").GetGuid()}/acknowledge", new { note = "seen" });
        Assert.Equal(HttpStatusCode.Forbidden, ack.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Syslog_over_udp_and_tcp_with_either_framing_on_loopback_feeds_the_same_pipeline(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, _, key) = await server.NewAccountAsync("msp-01", "msp");
        var options = new WatchOptions { Syslog = "127.0.0.1:0", SyslogMsp = org };
        var listener = new SyslogListener(server.Services.GetRequiredService<IngestionQueue>(), server.Services.GetRequiredService<WatchMspStore>(), options, NullLogger<SyslogListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        await listener.Started.WaitAsync(TimeSpan.FromSeconds(10));
        try
        {
            using (var udp = new UdpClient())
            {
                var line = "<13>1 2025-03-12T03:00:00Z host kaseya - - - {\"actor\": \"udp-tech\", \"action\": \"backup.deleted\", \"tenant\": \"t1\"}";
                await udp.SendAsync(Encoding.UTF8.GetBytes(line), listener.UdpEndpoint!);
            }
            using (var tcp = new TcpClient())
            {
                await tcp.ConnectAsync(listener.TcpEndpoint!);
                // An RFC 6587 octet-counted frame (no line end after it), then a line-framed one.
                var counted = "<13>Mar 12 03:00:00 host kaseya: {\"time\": \"2025-03-12T03:00:00Z\", \"actor\": \"tcp-tech\", \"action\": \"mfa.disabled\", \"tenant\": \"t2\"}";
                var lines = $"{Encoding.UTF8.GetByteCount(counted)} {counted}this is not syslog\n";
                await tcp.GetStream().WriteAsync(Encoding.UTF8.GetBytes(lines));
            }
            var client = server.Client(key);
            await EventuallyAsync(() => AlertAsync(client, "backup-destruction", "udp-tech"), "the UDP event's alert");
            await EventuallyAsync(() => AlertAsync(client, "mfa-disabled", "tcp-tech"), "the TCP event's alert");
            await using var db = server.Installation.OpenDb();
            var quarantined = await EventuallyRowAsync(() => db.WatchQuarantine.AsNoTracking().FirstOrDefaultAsync(q => q.MspOrganizationId == org), "the quarantined line");
            Assert.Equal(2, quarantined.Line);
            Assert.StartsWith("syslog tcp", quarantined.File);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
        Assert.Throws<Custodes.Common.BadInputException>(() => SyslogListener.ParseEndpoint("0.0.0.0:5514"));
        Assert.Contains("loopback", Assert.Throws<Custodes.Common.BadInputException>(() => SyslogListener.ParseEndpoint("192.0.2.1:5514")).Message);
    }
}
