using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Application.Trust;
using Custodes.Testing;
using Custodes.Web.Alerting;
using Custodes.Web.Tests.Alerting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Custodes.Web.Tests;

/// <summary>
/// Subscriptions to a trust page (issue 15, part 3): anyone subscribes without an account, by email (double opt-in) or by a signed
/// webhook; a letter issued, superseded, revoked or expired reaches every confirmed subscriber once, through the delivery outbox.
/// </summary>
public sealed partial class TrustSubscriptionTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string PublicUrl = "https://custodes.example";
    private const string Slug = "granite-peak";
    private const string SubscribePage = $"/trust/{Slug}/subscribe";

    // Loopback receivers need internal targets allowed (as for alert webhooks); short retries so a retry happens within a test.
    private static Dictionary<string, string?> Settings(int? smtpPort = null, bool worker = true) => new()
    {
        ["Custodes:PublicUrl"] = PublicUrl,
        ["Custodes:Alerting:AllowPrivateWebhookTargets"] = "true",
        ["Custodes:Alerting:FirstRetryDelay"] = "00:00:00.200",
        ["Custodes:Alerting:MaxRetryDelay"] = "00:00:02",
        ["Custodes:Alerting:PollInterval"] = "00:00:00.500",
        ["Custodes:Alerting:Worker"] = worker.ToString(),
        ["Custodes:Smtp:Host"] = smtpPort is null ? null : "127.0.0.1",
        ["Custodes:Smtp:Port"] = smtpPort?.ToString() ?? "587",
        ["Custodes:Smtp:Security"] = "none",
        ["Custodes:Smtp:From"] = "Custodes <trust@custodes.example>",
    };

    private static async Task<(DemoSummary Demo, HttpClient Owner)> PublishedAsync(RunningServer server)
    {
        var demo = await Demo.EnsureAsync(server.Installation);
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var (_, key) = await accounts.CreateApiKeyAsync("admin@granitepeak.example", demo.MspOrganization, "test", [], "test");
        var owner = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync("/api/v1/trust", new { slug = Slug })).StatusCode);
        return (demo, owner);
    }

    private static async Task<JsonElement> SubscribeWebhookAsync(HttpClient anonymous, string url)
    {
        var response = await anonymous.PostAsJsonAsync($"/trust/{Slug}/subscriptions", new { url });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> SubscribeEmailAsync(WebSession visitor, string email)
    {
        var response = await visitor.PostFormAsync(SubscribePage, [new("Email", email)], SubscribePage + "?handler=email");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static MimeMessage Mail(SmtpMessage message) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(message.Data)));

    private static SubscriberCounts Counts(RunningServer server, Guid organization) =>
        server.Services.GetRequiredService<TrustSubscriptions>().CountsAsync(Tenant.Operator(organization)).GetAwaiter().GetResult();

    [Theory, MemberData(nameof(Providers))]
    public async Task An_email_address_receives_notices_only_once_confirmed_and_the_form_never_tells_who_is_subscribed(DatabaseProvider provider)
    {
        await using var sink = new SmtpSink();
        await using var server = await RunningServer.StartAsync(provider, Settings(smtpPort: sink.Port));
        var (demo, _) = await PublishedAsync(server);
        using var visitor = new WebSession(server.Address);

        var first = await SubscribeEmailAsync(visitor, "Office@SmileDental.example");
        Assert.Contains("a message is on its way", first);
        var confirmation = Mail(await sink.NextAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("office@smiledental.example", Assert.Single(confirmation.To.Mailboxes).Address);
        var confirmUrl = ConfirmLink().Match(confirmation.TextBody ?? "").Value;
        Assert.StartsWith($"{PublicUrl}/trust/subscription/confirm/", confirmUrl);

        // A second address never confirms: it must receive nothing but its confirmation.
        await SubscribeEmailAsync(visitor, "pending@smiledental.example");
        Assert.Equal(["pending@smiledental.example"], Mail(await sink.NextAsync(TimeSpan.FromSeconds(20))).To.Mailboxes.Select(m => m.Address));

        // Subscribing an address again answers in the same words (and sends nothing more so soon).
        var again = await SubscribeEmailAsync(visitor, "office@smiledental.example");
        Assert.Equal(Answer(first), Answer(again));

        // Opening the link (as a mail scanner does) does not confirm; the button does.
        var path = new Uri(confirmUrl).AbsolutePath;
        var (status, html, _) = await visitor.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("subscription-button", html);
        Assert.Equal(0, Counts(server, demo.MspOrganization).ConfirmedEmail);
        var confirmed = await visitor.Http.PostAsync(path, new FormUrlEncodedContent([]));
        Assert.Contains("Subscribed", await confirmed.Content.ReadAsStringAsync());
        Assert.Equal(new SubscriberCounts(1, 1, 0), Counts(server, demo.MspOrganization));
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(path)).Status);

        using (var attestations = new Attestations(server.Installation))
            await attestations.RevokeAsync(demo.Letter!.Value, "Scope was misstated");
        var notice = Mail(await sink.NextAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(["office@smiledental.example"], notice.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("trust@custodes.example", Assert.Single(notice.From.Mailboxes).Address);
        Assert.Contains("withdrawn", notice.Subject);
        Assert.Contains("Why: Scope was misstated", notice.TextBody);
        Assert.Contains($"{PublicUrl}/trust/{Slug}", notice.TextBody);
        Assert.Contains($"{PublicUrl}/letters/{demo.Letter}", notice.TextBody);
        var unsubscribe = UnsubscribeLink().Match(notice.TextBody ?? "").Value;
        Assert.Equal($"<{unsubscribe}>", notice.Headers["List-Unsubscribe"]);

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(sink.Messages.Skip(3));
    }

    private static string Answer(string html) => SubscribeMessage().Match(html).Groups[1].Value.Replace("Office@SmileDental.example", "", StringComparison.OrdinalIgnoreCase)
        .Replace("office@smiledental.example", "", StringComparison.Ordinal);

    [Theory, MemberData(nameof(Providers))]
    public async Task A_webhook_receives_each_letter_event_once_signed_and_stops_after_unsubscribing(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings());
        var (demo, _) = await PublishedAsync(server);
        using var anonymous = server.Client();
        var subscribed = await SubscribeWebhookAsync(anonymous, receiver.Url("insurer"));
        var secret = subscribed.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.Equal("custodes.trust-notice/v1", subscribed.GetProperty("schema").GetString());

        using var attestations = new Attestations(server.Installation);
        var example = DocumentFiles.ReadAssessment(Attestations.ExamplePath);
        var replacement = await attestations.Issue.HandleAsync(new IssueLetterRequest
        {
            Assessment = example, Source = Attestations.ExamplePath, Key = attestations.Key, Issuer = Attestations.Issuer, SignerName = "Ana Ruiz", Actor = "test",
            Supersedes = demo.Letter,
        });
        await attestations.RevokeAsync(replacement.LetterId, "Key compromised");
        // The superseded letter then runs out: the hourly check finds it, once however often it runs.
        await using (var db = server.Installation.OpenDb())
            await db.Letters.Where(l => l.Id == demo.Letter).ExecuteUpdateAsync(s => s.SetProperty(l => l.ValidUntil, DateTime.UtcNow.AddMinutes(-1)));
        var changes = server.Services.GetRequiredService<LetterChanges>();
        await changes.ProcessPendingAsync();
        await changes.ProcessPendingAsync();

        var got = await receiver.WaitAsync("insurer", 4);
        await Task.Delay(TimeSpan.FromSeconds(2));
        got = receiver.Received("insurer");
        Assert.Equal(4, got.Count);
        Assert.Equal(4, got.Select(g => g.Delivery).Distinct().Count());
        var notices = got.Select(g => JsonDocument.Parse(g.Body).RootElement).ToArray();
        string[] expected = [$"letter.issued {replacement.LetterId}", $"letter.revoked {replacement.LetterId}", $"letter.superseded {demo.Letter}", $"letter.expired {demo.Letter}"];
        Assert.Equal(expected.Order(StringComparer.Ordinal),
            notices.Select(n => $"{n.GetProperty("event").GetString()} {n.GetProperty("letter_id").GetString()}").Order(StringComparer.Ordinal));
        foreach (var (hook, notice) in got.Zip(notices))
        {
            Assert.True(WebhookSignature.Verify(secret, hook.Signature!, Encoding.UTF8.GetBytes(hook.Body), DateTimeOffset.UtcNow), hook.Body);
            Assert.False(WebhookSignature.Verify(secret + "x", hook.Signature!, Encoding.UTF8.GetBytes(hook.Body), DateTimeOffset.UtcNow));
            Assert.Equal(hook.Delivery, notice.GetProperty("id").GetString());
            Assert.Equal("custodes.trust-notice/v1", notice.GetProperty("schema").GetString());
            Assert.Equal(Slug, notice.GetProperty("organization").GetProperty("slug").GetString());
            Assert.Equal(DemoWorkspace.MspName, notice.GetProperty("organization").GetProperty("name").GetString());
            var letter = notice.GetProperty("letter_id").GetString();
            Assert.Equal($"{PublicUrl}/trust/{Slug}", notice.GetProperty("links").GetProperty("page").GetString());
            Assert.Equal($"{PublicUrl}/letters/{letter}", notice.GetProperty("links").GetProperty("letter").GetString());
            Assert.Equal($"{PublicUrl}/api/v1/letters/{letter}", notice.GetProperty("links").GetProperty("bundle").GetString());
            Assert.Equal(subscribed.GetProperty("unsubscribe_url").GetString(), notice.GetProperty("unsubscribe_url").GetString());
            Assert.True(DateTimeOffset.TryParse(notice.GetProperty("at").GetString(), out _));
        }
        var revoked = notices.Single(n => n.GetProperty("event").GetString() == "letter.revoked");
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.Equal("Key compromised", revoked.GetProperty("reason").GetString());
        var superseded = notices.Single(n => n.GetProperty("event").GetString() == "letter.superseded");
        Assert.Equal(replacement.LetterId.ToString(), superseded.GetProperty("superseded_by").GetString());
        Assert.Equal("expired", notices.Single(n => n.GetProperty("event").GetString() == "letter.expired").GetProperty("status").GetString());

        // The unsubscribe link works without signing in, at once, as a mail program's one-click POST (no form token); then never again.
        var unsubscribe = new Uri(subscribed.GetProperty("unsubscribe_url").GetString()!).AbsolutePath;
        var done = await anonymous.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Unsubscribed", await done.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync(unsubscribe, new FormUrlEncodedContent([]))).StatusCode);
        await attestations.IssueAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(4, receiver.Received("insurer").Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Webhooks_must_be_https_except_to_loopback_and_a_page_caps_its_subscribers(DatabaseProvider provider)
    {
        var settings = Settings();
        settings["Custodes:Trust:MaxSubscribersPerPage"] = "3";
        await using var server = await RunningServer.StartAsync(provider, settings);
        await PublishedAsync(server);
        using var anonymous = server.Client();

        foreach (var (url, words) in new[] { ("http://hooks.insurer.example/custodes", "plain http"), ("ftp://hooks.insurer.example/x", "http or https"), ("not a url", "absolute URL"), ("", "empty") })
        {
            var refused = await anonymous.PostAsJsonAsync($"/trust/{Slug}/subscriptions", new { url });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.Contains(words, problem);
            Assert.Contains("url", problem);
        }
        await SubscribeWebhookAsync(anonymous, "https://hooks.insurer.example/custodes");
        await SubscribeWebhookAsync(anonymous, "http://127.0.0.1:9/custodes");
        Assert.Equal(HttpStatusCode.Conflict, (await anonymous.PostAsJsonAsync($"/trust/{Slug}/subscriptions", new { url = "https://hooks.insurer.example/custodes" })).StatusCode);
        await SubscribeWebhookAsync(anonymous, "https://hooks.prime.example/custodes");
        var full = await anonymous.PostAsJsonAsync($"/trust/{Slug}/subscriptions", new { url = "https://hooks.fourth.example/custodes" });
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.Contains("as many subscribers", await full.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/trust/nobody-here/subscriptions", new { url = "https://hooks.insurer.example/x" })).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Without_SMTP_the_page_offers_webhooks_only_and_the_owner_sees_counts_not_addresses(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider, Settings());
        var (organization, email, key) = await server.NewAccountAsync("Front Range IT", "msp");
        using var owner = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync("/api/v1/trust", new { slug = "front-range" })).StatusCode);
        using var visitor = new WebSession(server.Address);
        var (_, page, _) = await visitor.GetAsync("/trust/front-range/subscribe");
        Assert.Contains("id=\"email-unavailable\"", page);
        Assert.DoesNotContain("id=\"subscribe-email\"", page);
        var posted = await visitor.PostFormAsync("/trust/front-range/subscribe", [new("Email", "someone@example.com")], "/trust/front-range/subscribe?handler=email");
        Assert.Contains("cannot send email", WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync()));
        Assert.Equal(0, Counts(server, organization).PendingEmail);

        var made = await visitor.PostFormAsync("/trust/front-range/subscribe", [new("WebhookUrl", "https://hooks.secret-insurer.example/in")], "/trust/front-range/subscribe?handler=webhook");
        var shown = await made.Content.ReadAsStringAsync();
        Assert.Matches("id=\"webhook-secret\">whsec_", shown);
        Assert.Contains("/trust/subscription/unsubscribe/", shown);

        using var session = server.Session();
        await session.SignInAsync(email);
        var (_, settings, _) = await session.GetAsync("/settings/trust");
        Assert.Contains("id=\"subscribers-receiving\">1<", settings);
        Assert.DoesNotContain("secret-insurer", settings);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Notices_wait_in_the_outbox_across_a_restart_and_a_failing_receiver_is_retried(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = (_, n) => n == 1 ? (503, null) : (200, null);
        var settings = Settings(worker: false);
        await using var server = await RunningServer.StartAsync(provider, settings);
        var (demo, _) = await PublishedAsync(server);
        using (var anonymous = server.Client())
            await SubscribeWebhookAsync(anonymous, receiver.Url("prime"));
        using (var attestations = new Attestations(server.Installation))
            await attestations.RevokeAsync(demo.Letter!.Value, "Scope was misstated");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(receiver.Received("prime"));

        settings["Custodes:Alerting:Worker"] = "true";
        await server.RestartAsync();
        var got = await receiver.WaitAsync("prime", 2, TimeSpan.FromSeconds(30));
        Assert.Equal(got[0].Delivery, got[1].Delivery);
        Assert.Equal(got[0].Body, got[1].Body);
        Assert.Equal("letter.revoked", JsonDocument.Parse(got[1].Body).RootElement.GetProperty("event").GetString());
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(2, receiver.Received("prime").Count);
    }

    [GeneratedRegex(@"https://custodes\.example/trust/subscription/confirm/[A-Za-z0-9_-]+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"https://custodes\.example/trust/subscription/unsubscribe/[A-Za-z0-9_-]+")]
    private static partial Regex UnsubscribeLink();

    [GeneratedRegex("id=\"subscribe-message\">([^<]*)<")]
    private static partial Regex SubscribeMessage();
}
