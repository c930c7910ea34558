using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Alerting;
using Custodes.Application.Watch;
using Custodes.Testing;
using Custodes.Watch.Detection;
using Custodes.Web.Alerting;
using Custodes.Web.Tests.Independent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Custodes.Web.Tests.Alerting;

public sealed class AlertDeliveryTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string PublicUrl = "https://custodes.example";

    // A short backoff (200 ms, then 400 ms…): the tests that check it move a fake clock rather than wait. The test receivers listen
    // on loopback, which webhooks may reach only when the installation allows internal targets.
    private static Dictionary<string, string?> Settings(int? smtpPort = null, bool allowPrivateTargets = true) => new()
    {
        ["Custodes:Alerting:PublicUrl"] = PublicUrl,
        ["Custodes:Alerting:AllowPrivateWebhookTargets"] = allowPrivateTargets.ToString(),
        ["Custodes:Alerting:FirstRetryDelay"] = "00:00:00.200",
        ["Custodes:Alerting:MaxRetryDelay"] = "00:00:05",
        ["Custodes:Alerting:PollInterval"] = "00:00:00.500",
        ["Custodes:Alerting:AttemptTimeout"] = "00:00:05",
        ["Custodes:Smtp:Host"] = smtpPort is null ? null : "127.0.0.1",
        ["Custodes:Smtp:Port"] = smtpPort?.ToString() ?? "587",
        ["Custodes:Smtp:Security"] = "none",
        ["Custodes:Smtp:Username"] = smtpPort is null ? null : "relay-user",
        ["Custodes:Smtp:Password"] = smtpPort is null ? null : "relay-password",
        ["Custodes:Smtp:From"] = "Custodes <alerts@custodes.example>",
    };

    internal static async Task<(Guid Id, string? Secret)> AddChannelAsync(HttpClient owner, object body)
    {
        var response = await owner.PostAsJsonAsync("/api/v1/alert-channels", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var secret = created.GetProperty("secret");
        return (created.GetProperty("channel").GetProperty("id").GetGuid(), secret.ValueKind == JsonValueKind.Null ? null : secret.GetString());
    }

    private static AlertNotice Notice(Guid msp, Severity severity = Severity.Critical, IReadOnlyList<AlertCustomer>? customers = null, IReadOnlyList<string>? tenants = null) => new()
    {
        AlertId = Guid.NewGuid().ToString(),
        MspOrganizationId = msp,
        MspName = "Granite Peak IT",
        Customers = customers ?? [],
        Rule = RuleIds.MassExecution,
        Severity = severity,
        Actor = "jdoe@granitepeak.example",
        Tenants = tenants ?? ["smile-dental", "oak-family-practice"],
        FirstSeen = new DateTimeOffset(2019, 8, 29, 3, 12, 7, TimeSpan.Zero),
        LastSeen = new DateTimeOffset(2019, 8, 29, 3, 14, 55, TimeSpan.Zero),
        EventCount = 214,
        Summary = "jdoe@granitepeak.example ran vssadmin delete shadows /all /quiet on 2 tenants",
        Subject = "vssadmin delete shadows /all /quiet",
    };

    private static Task<IReadOnlyList<Guid>> EnqueueAsync(RunningServer server, AlertNotice notice) =>
        server.Services.GetRequiredService<AlertNotifications>().EnqueueAsync(notice);

    private static async Task<JsonElement> DeliveryAsync(HttpClient owner, Guid channel, Func<JsonElement, bool> until)
    {
        for (var i = 0; ; i++)
        {
            var deliveries = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/alert-channels/{channel}/deliveries");
            if (deliveries.GetArrayLength() > 0 && until(deliveries[0])) return deliveries[0];
            if (i > 200) throw new TimeoutException($"delivery state not reached: {deliveries}");
            await Task.Delay(50);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_webhook_gets_the_alert_signed_and_Python_hmac_verifies_the_signature(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings());
        var (msp, owner) = await server.NewTenantAsync("Granite Peak IT", "msp");
        var (_, secret) = await AddChannelAsync(owner, new { kind = "webhook", url = receiver.Url("soc"), min_severity = "high" });
        Assert.StartsWith("whsec_", secret);

        var notice = Notice(msp);
        var ids = await EnqueueAsync(server, notice);
        var got = Assert.Single(await receiver.WaitAsync("soc", 1));

        Assert.Equal("application/json", got.ContentType);
        Assert.Equal(Assert.Single(ids).ToString(), got.Delivery);
        var body = JsonDocument.Parse(got.Body).RootElement;
        Assert.Equal("alert.raised", body.GetProperty("type").GetString());
        Assert.Equal(got.Delivery, body.GetProperty("id").GetString());
        var alert = body.GetProperty("alert");
        Assert.Equal(notice.AlertId, alert.GetProperty("id").GetString());
        Assert.Equal("mass-execution", alert.GetProperty("rule").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal(msp, alert.GetProperty("msp_organization_id").GetGuid());
        Assert.Equal("2019-08-29T03:12:07Z", alert.GetProperty("first_seen").GetString());
        Assert.Equal(214, alert.GetProperty("event_count").GetInt64());
        Assert.Equal(["smile-dental", "oak-family-practice"], alert.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal($"{PublicUrl}/watch/alerts/{notice.AlertId}", alert.GetProperty("link").GetString());

        // An independent implementation (Python's hmac) accepts it, and refuses a changed body, another secret, a stale time.
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", got.Signature);
        var python = ExternalTools.Find("python3", "/usr/bin/python3") ?? throw new InvalidOperationException("python3 is not installed");
        var script = Path.Combine(AppContext.BaseDirectory, "Alerting", "verify_webhook.py");
        var dir = Directory.CreateTempSubdirectory("custodes-webhook-");
        try
        {
            var bodyFile = Path.Combine(dir.FullName, "body.json");
            var tampered = Path.Combine(dir.FullName, "tampered.json");
            await File.WriteAllTextAsync(bodyFile, got.Body);
            await File.WriteAllTextAsync(tampered, got.Body.Replace("critical", "low"));
            Assert.Equal(0, ExternalTools.Capture(python, [script, secret!, got.Signature!, bodyFile], dir.FullName).Code);
            Assert.Equal(1, ExternalTools.Capture(python, [script, secret!, got.Signature!, tampered], dir.FullName).Code);
            Assert.Equal(1, ExternalTools.Capture(python, [script, secret + "x", got.Signature!, bodyFile], dir.FullName).Code);
            var late = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 301).ToString();
            Assert.Equal(1, ExternalTools.Capture(python, [script, secret!, got.Signature!, bodyFile, late], dir.FullName).Code);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        Assert.True(WebhookSignature.Verify(secret!, got.Signature!, Encoding.UTF8.GetBytes(got.Body), DateTimeOffset.UtcNow));

        // Below the channel's minimum severity: nothing is queued.
        Assert.Empty(await EnqueueAsync(server, Notice(msp, Severity.Medium)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Failures_are_retried_with_growing_backoff_and_every_attempt_is_shown(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = (_, n) => n switch { 1 => (500, null), 2 => (503, null), _ => (200, null) };
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await RunningServer.StartAsync(provider, Settings(), clock);
        var (msp, email, key) = await server.NewAccountAsync("Granite Peak IT", "msp");
        var owner = server.Client(key);
        var (channel, _) = await AddChannelAsync(owner, new { kind = "webhook", url = receiver.Url("soc"), min_severity = "low" });

        // The server's clock stands still until moved: each retry is sent when its time comes, not a moment before.
        await EnqueueAsync(server, Notice(msp));
        await receiver.WaitAsync("soc", 1);
        await server.AlertDeliveryIdleAsync();
        clock.Advance(TimeSpan.FromMilliseconds(149)); // 200 ms after the failure, ±25 %: not before 150 ms
        await server.AlertDeliveryIdleAsync();
        Assert.Single(receiver.Received("soc"));
        clock.Advance(TimeSpan.FromMilliseconds(101)); // ... and by 250 ms
        await receiver.WaitAsync("soc", 2);
        await server.AlertDeliveryIdleAsync();
        clock.Advance(TimeSpan.FromMilliseconds(299)); // then twice as long: 400 ms ±25 %, not before 300 ms
        await server.AlertDeliveryIdleAsync();
        Assert.Equal(2, receiver.Received("soc").Count);
        clock.Advance(TimeSpan.FromMilliseconds(201)); // ... and by 500 ms
        var got = await receiver.WaitAsync("soc", 3);
        Assert.Single(got.Select(g => g.Delivery).Distinct());

        var delivery = await DeliveryAsync(owner, channel, d => d.GetProperty("status").GetString() == "delivered");
        var attempts = delivery.GetProperty("attempt_log").EnumerateArray().ToArray();
        Assert.Equal([500, 503, 200], attempts.Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Equal(["retry", "retry", "delivered"], attempts.Select(a => a.GetProperty("outcome").GetString()));
        Assert.Equal("HTTP 500 Internal Server Error", attempts[0].GetProperty("error").GetString());

        using var session = server.Session();
        await session.SignInAsync(email);
        var (status, html, _) = await session.GetAsync("/settings/alerts");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(receiver.Url("soc"), html);
        Assert.Contains("HTTP 503 Service Unavailable", html);
        Assert.Contains("3 (delivered)", html);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task By_default_a_webhook_to_an_internal_address_is_refused_at_connect_time_and_not_retried(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings(allowPrivateTargets: false));
        var (msp, owner) = await server.NewTenantAsync("Granite Peak IT", "msp");
        var (loopback, _) = await AddChannelAsync(owner, new { kind = "webhook", url = receiver.Url("soc"), min_severity = "low" });
        // A name, not an address: the check is on what the name resolves to when connecting.
        var (byName, _) = await AddChannelAsync(owner, new { kind = "webhook", url = receiver.Url("soc").Replace("127.0.0.1", "localhost"), min_severity = "low" });
        var (metadata, _) = await AddChannelAsync(owner, new { kind = "webhook", url = "https://169.254.169.254/latest/meta-data/", min_severity = "low" });

        await EnqueueAsync(server, Notice(msp));
        foreach (var channel in new[] { loopback, byName, metadata })
        {
            var failed = await DeliveryAsync(owner, channel, d => d.GetProperty("status").GetString() == "failed");
            Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
            // Nothing of what the name resolved to on the server's side: that would map its internal DNS for any organization's owner.
            Assert.Equal("refused: the address is not allowed", failed.GetProperty("last_error").GetString());
        }
        await server.AlertDeliveryIdleAsync();
        Assert.Empty(receiver.Received("soc"));
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.128.0.1", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("64:ff9b::7f00:1", false)]           // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::808:808", true)]           // NAT64 of 8.8.8.8 reaches 8.8.8.8
    [InlineData("64:ff9b:1::808:808", false)]        // local-use NAT64: the IPv4 behind it is unknown
    [InlineData("::127.0.0.1", false)]               // IPv4-compatible
    [InlineData("::10.0.0.1", false)]
    [InlineData("::169.254.169.254", false)]
    [InlineData("::ffff:0:127.0.0.1", false)]        // IPv4-translated
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("2002:7f00:1::", false)]             // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe::1", false)]         // 6to4 of 169.254.169.254
    [InlineData("2002:808:808::1", true)]            // 6to4 of 8.8.8.8
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)] // Teredo
    [InlineData("2001:db8::1", false)]               // documentation
    [InlineData("100::1", false)]                    // discard
    [InlineData("::0.0.0.2", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("198.51.100.1", false)]
    [InlineData("203.0.113.9", false)]
    public void Only_public_addresses_are_webhook_targets(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("[::127.0.0.1]")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("[2002:7f00:1::]")]
    [InlineData("[64:ff9b::7f00:1]")]
    [InlineData("[::]")]
    [InlineData("0.0.0.0")]
    [InlineData("2130706433")]       // decimal 127.0.0.1
    [InlineData("0177.0.0.1")]       // octal
    [InlineData("0x7f.0.0.1")]       // hex
    [InlineData("127.1")]            // short form
    [InlineData("017700000001")]     // octal, one number
    [InlineData("0xa9fea9fe")]       // 169.254.169.254 in hex
    public async Task A_webhook_host_written_in_any_form_of_an_internal_address_is_refused_without_echoing_it(string host)
    {
        // As the sender sees it: the host of the URL the owner registered, after Uri's own normalisation.
        var uri = new Uri($"https://{host}/hook");
        var refused = await Assert.ThrowsAsync<WebhookTargetRefusedException>(() => WebhookTargets.ResolveAsync(uri.IdnHost, allowPrivate: false, CancellationToken.None));
        Assert.Equal("refused: the address is not allowed", refused.Message);
        var raw = await Assert.ThrowsAsync<WebhookTargetRefusedException>(() => WebhookTargets.ResolveAsync(host, allowPrivate: false, CancellationToken.None));
        Assert.Equal("refused: the address is not allowed", raw.Message);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Retry_After_on_429_is_honoured_and_a_400_is_not_retried(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = (hook, n) => hook == "busy" && n == 1 ? (429, (string?)"1") : hook == "broken" ? (400, null) : (200, null);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await RunningServer.StartAsync(provider, Settings(), clock);
        var (msp, owner) = await server.NewTenantAsync("Granite Peak IT", "msp");
        await AddChannelAsync(owner, new { kind = "webhook", url = receiver.Url("busy"), min_severity = "low" });
        var (broken, _) = await AddChannelAsync(owner, new { kind = "webhook", url = receiver.Url("broken"), min_severity = "low" });

        await EnqueueAsync(server, Notice(msp));
        await receiver.WaitAsync("busy", 1);
        await server.AlertDeliveryIdleAsync();
        clock.Advance(TimeSpan.FromMilliseconds(999)); // Retry-After: 1 is a second, not the shorter backoff (200 ms)
        await server.AlertDeliveryIdleAsync();
        Assert.Single(receiver.Received("busy"));
        // Due now; a worker that looked less than 20 ms before a retry falls due looks again 20 ms later (it does not spin).
        clock.Advance(TimeSpan.FromMilliseconds(1 + 20));
        await receiver.WaitAsync("busy", 2);

        var failed = await DeliveryAsync(owner, broken, d => d.GetProperty("status").GetString() == "failed");
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        Assert.Equal("HTTP 400 Bad Request", failed.GetProperty("last_error").GetString());
        clock.Advance(TimeSpan.FromMinutes(10)); // longer than any backoff would wait
        await server.AlertDeliveryIdleAsync();
        Assert.Single(receiver.Received("broken"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_delivery_pending_at_shutdown_is_delivered_after_the_restart(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = (_, n) => n == 1 ? (500, null) : (200, null);
        // The retry is due 150–250 ms after the failure by the server's clock, which stands still across the restart until moved.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await RunningServer.StartAsync(provider, Settings(), clock);
        var (msp, _, key) = await server.NewAccountAsync("Granite Peak IT", "msp");
        var owner = server.Client(key);
        var (channel, _) = await AddChannelAsync(owner, new { kind = "webhook", url = receiver.Url("soc"), min_severity = "low" });

        var id = Assert.Single(await EnqueueAsync(server, Notice(msp)));
        await receiver.WaitAsync("soc", 1);
        await DeliveryAsync(owner, channel, d => d.GetProperty("attempts").GetInt32() == 1);
        await server.RestartAsync();
        await server.AlertDeliveryIdleAsync();
        Assert.Single(receiver.Received("soc"));

        clock.Advance(TimeSpan.FromMilliseconds(250));
        var got = await receiver.WaitAsync("soc", 2);
        Assert.Equal(id.ToString(), got[1].Delivery);
        Assert.Equal(got[0].Body, got[1].Body);
        var delivery = await DeliveryAsync(server.Client(key), channel, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Customers_channels_get_only_the_alerts_that_concern_them_with_their_own_tenants(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings());
        var (msp, mspOwner) = await server.NewTenantAsync("Granite Peak IT", "msp");
        var (smile, smileOwner) = await server.NewTenantAsync("Smile Dental", "customer");
        var (_, oakOwner) = await server.NewTenantAsync("Oak Family Practice", "customer");
        await AddChannelAsync(mspOwner, new { kind = "webhook", url = receiver.Url("msp"), min_severity = "low" });
        await AddChannelAsync(mspOwner, new { kind = "webhook", url = receiver.Url("msp-critical-only"), min_severity = "critical" });
        await AddChannelAsync(smileOwner, new { kind = "webhook", url = receiver.Url("smile"), min_severity = "low" });
        await AddChannelAsync(oakOwner, new { kind = "webhook", url = receiver.Url("oak"), min_severity = "low" });

        var notice = Notice(msp, Severity.High, [new AlertCustomer(smile, ["smile-dental"])], ["smile-dental", "unregistered-clinic"]);
        Assert.Equal(2, (await EnqueueAsync(server, notice)).Count);

        var toMsp = JsonDocument.Parse(Assert.Single(await receiver.WaitAsync("msp", 1)).Body).RootElement.GetProperty("alert");
        var toSmile = JsonDocument.Parse(Assert.Single(await receiver.WaitAsync("smile", 1)).Body).RootElement.GetProperty("alert");
        Assert.Equal(["smile-dental", "unregistered-clinic"], toMsp.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["smile-dental"], toSmile.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(smile, Assert.Single(toSmile.GetProperty("customers").EnumerateArray()).GetProperty("organization_id").GetGuid());
        await server.AlertDeliveryIdleAsync();
        Assert.Empty(receiver.Received("oak"));
        Assert.Empty(receiver.Received("msp-critical-only"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_growing_alert_reaches_a_customer_when_it_first_touches_its_tenant_and_nobody_twice(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings());
        var (msp, mspOwner) = await server.NewTenantAsync("Granite Peak IT", "msp");
        var (smile, smileOwner) = await server.NewTenantAsync("Smile Dental", "customer");
        await AddChannelAsync(mspOwner, new { kind = "webhook", url = receiver.Url("msp"), min_severity = "low" });
        await AddChannelAsync(smileOwner, new { kind = "webhook", url = receiver.Url("smile"), min_severity = "low" });
        await server.Services.GetRequiredService<WatchMspStore>().MapTenantAsync(new Tenant(msp, Roles.Owner, "test"), "smile-dental", smile);
        await server.Services.GetRequiredService<WatchConsentStore>().DecideAsync(new Tenant(smile, Roles.Owner, "test"), msp, accept: true);
        var publisher = server.Services.GetRequiredService<AlertPublisher>();
        var start = new DateTimeOffset(2019, 8, 29, 3, 12, 7, TimeSpan.Zero);
        Alert Touching(params string[] tenants) => new()
        {
            Rule = RuleIds.MassExecution, Severity = Severity.Critical, Msp = "granite-peak", Actor = "jdoe", Tenants = tenants,
            FirstSeen = start, LastSeen = start.AddMinutes(tenants.Length), EventCount = 10 * tenants.Length, Summary = $"script on {tenants.Length} tenants",
        };

        var opened = await publisher.PublishAsync(msp, null, Touching("oak-family"), [], growing: true);
        Assert.True(opened.IsNew);
        var same = await publisher.PublishAsync(msp, opened.Stored.Id, Touching("oak-family"), [], growing: true);
        Assert.Empty(same.NewTenants);
        var grown = await publisher.PublishAsync(msp, opened.Stored.Id, Touching("oak-family", "smile-dental"), [], growing: true);
        Assert.False(grown.IsNew);
        Assert.Equal(["smile-dental"], grown.NewTenants);
        await publisher.PublishAsync(msp, opened.Stored.Id, Touching("oak-family", "smile-dental"), [], growing: false);

        var toSmile = JsonDocument.Parse(Assert.Single(await receiver.WaitAsync("smile", 1)).Body).RootElement.GetProperty("alert");
        Assert.Equal(["smile-dental"], toSmile.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        var toMsp = JsonDocument.Parse(Assert.Single(await receiver.WaitAsync("msp", 1)).Body).RootElement.GetProperty("alert");
        Assert.Equal(["oak-family"], toMsp.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        await server.AlertDeliveryIdleAsync();
        Assert.Single(receiver.Received("msp"));
        Assert.Single(receiver.Received("smile"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Alert_email_reaches_the_SMTP_sink_with_text_and_html(DatabaseProvider provider)
    {
        await using var sink = new SmtpSink();
        await using var server = await RunningServer.StartAsync(provider, Settings(smtpPort: sink.Port));
        var (msp, mspOwner) = await server.NewTenantAsync("Granite Peak IT", "msp");
        var (smile, smileOwner) = await server.NewTenantAsync("Smile Dental", "customer");
        var (_, noSecret) = await AddChannelAsync(mspOwner, new { kind = "email", address = "soc@granitepeak.example", min_severity = "high" });
        Assert.Null(noSecret);
        await AddChannelAsync(smileOwner, new { kind = "email", address = "office@smiledental.example", min_severity = "low" });

        var notice = Notice(msp, Severity.Critical, [new AlertCustomer(smile, ["smile-dental"])]);
        await EnqueueAsync(server, notice);
        var messages = new[] { await sink.NextAsync(TimeSpan.FromSeconds(20)), await sink.NextAsync(TimeSpan.FromSeconds(20)) };

        var toMsp = Assert.Single(messages, m => m.Recipients.SequenceEqual(["soc@granitepeak.example"]));
        var toSmile = Assert.Single(messages, m => m.Recipients.SequenceEqual(["office@smiledental.example"]));
        Assert.Equal("alerts@custodes.example", toMsp.From);
        Assert.Equal("relay-user", toMsp.User);
        var mail = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(toMsp.Data)));
        Assert.Equal("[Custodes] CRITICAL mass-execution at Granite Peak IT: jdoe@granitepeak.example", mail.Subject);
        Assert.Contains(notice.Summary, mail.TextBody);
        Assert.Contains($"{PublicUrl}/watch/alerts/{notice.AlertId}", mail.TextBody);
        Assert.Contains("Tenants: 2: smile-dental, oak-family-practice", mail.TextBody);
        Assert.Contains($"href=\"{PublicUrl}/watch/alerts/{notice.AlertId}\"", mail.HtmlBody);
        Assert.Contains("<th scope=\"row\"", mail.HtmlBody);
        var customerMail = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(toSmile.Data)));
        Assert.Contains("Tenants: 1: smile-dental", customerMail.TextBody);
        Assert.DoesNotContain("oak-family-practice", customerMail.TextBody);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_settings_page_adds_a_webhook_shows_its_secret_once_and_sends_a_test(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings());
        var (_, email, _) = await server.NewAccountAsync("Granite Peak IT", "msp");
        using var session = server.Session();
        await session.SignInAsync(email);

        var bad = await session.PostFormAsync("/settings/alerts", [new("kind", "webhook"), new("target", "ftp://soc.example/in"), new("minSeverity", "high")], "/settings/alerts?handler=create");
        Assert.Contains("webhook URLs must be http or https; &#x27;ftp&#x27; is not supported", await bad.Content.ReadAsStringAsync());

        var added = await (await session.PostFormAsync("/settings/alerts", [new("kind", "webhook"), new("target", receiver.Url("soc")), new("minSeverity", "high")],
            "/settings/alerts?handler=create")).Content.ReadAsStringAsync();
        var secret = System.Text.RegularExpressions.Regex.Match(added, "id=\"new-secret\">(whsec_[^<]+)<").Groups[1].Value;
        Assert.NotEmpty(secret);
        var (_, page, _) = await session.GetAsync("/settings/alerts");
        Assert.DoesNotContain(secret, page);

        var id = System.Text.RegularExpressions.Regex.Match(page, "name=\"id\" value=\"([0-9a-f-]{36})\"").Groups[1].Value;
        await session.PostFormAsync("/settings/alerts", [new("id", id)], "/settings/alerts?handler=test");
        var got = Assert.Single(await receiver.WaitAsync("soc", 1));
        Assert.Equal("alert.test", JsonDocument.Parse(got.Body).RootElement.GetProperty("type").GetString());
        Assert.True(WebhookSignature.Verify(secret, got.Signature!, Encoding.UTF8.GetBytes(got.Body), DateTimeOffset.UtcNow));
    }
}
