using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Demo;
using Custodes.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

/// <summary>
/// Issue 15's subscriptions in a real browser: the MSP publishes its trust page, an outsider with no account subscribes a webhook
/// (a receiver on loopback), the assessor firm revokes the letter, and the webhook receives the signed notice while the page shows it.
/// </summary>
public sealed class TrustSubscriptionJourneyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task An_outsider_subscribes_a_webhook_on_the_trust_page_and_receives_the_signed_revocation_the_page_shows(DatabaseProvider provider)
    {
        await using var receiver = await Receiver.StartAsync();
        await using var server = await AppServer.StartAsync(provider, new Dictionary<string, string?>
        {
            // The receiver listens on loopback, which webhooks reach only where the installation allows internal targets.
            ["Custodes:Alerting:AllowPrivateWebhookTargets"] = "true",
            ["Custodes:Alerting:PollInterval"] = "00:00:00.500",
        });
        var demo = await Demo.EnsureAsync(server.Installation);

        await using var msp = await Browser.LaunchAsync($"sub-msp-{provider}".ToLowerInvariant());
        var owner = await msp.PageAsync();
        await server.SignInAsync(owner, "admin@granitepeak.example", DemoWorkspace.Password);
        await owner.ClickAsync("nav >> text=Trust page");
        await owner.FillAsync("#trust-slug", "granite-peak");
        await owner.ClickAsync("#trust-publish");
        await Expect(owner.Locator("#trust-url")).ToHaveTextAsync(server.Url("/trust/granite-peak"));

        // An insurer's developer, no account: from the page to the subscribe form, a webhook on loopback, the secret shown once.
        await using var outsider = await Browser.LaunchAsync($"sub-outsider-{provider}".ToLowerInvariant());
        var reader = await outsider.PageAsync();
        await reader.GotoAsync(server.Url("/trust/granite-peak"));
        await reader.ClickAsync("#subscribe-link");
        await Expect(reader.Locator("h1")).ToContainTextAsync(DemoWorkspace.MspName);
        // No SMTP here: the page says so instead of offering an email form that cannot work.
        await Expect(reader.Locator("#email-unavailable")).ToBeVisibleAsync();
        await reader.FillAsync("#subscribe-url", receiver.Url);
        await reader.ClickAsync("#subscribe-webhook-button");
        await Expect(reader.Locator("#webhook-created")).ToContainTextAsync("shown only once");
        var secret = (await reader.Locator("#webhook-secret").InnerTextAsync()).Trim();
        Assert.StartsWith("whsec_", secret);
        await outsider.ShotAsync(reader, "trust-subscribed-webhook");

        // The owner sees one subscriber, not who.
        await owner.ReloadAsync();
        await Expect(owner.Locator("#subscribers-receiving")).ToHaveTextAsync("1");
        await Expect(owner.Locator("main")).Not.ToContainTextAsync(receiver.Url);

        await using var firm = await Browser.LaunchAsync($"sub-firm-{provider}".ToLowerInvariant());
        var assessor = await firm.PageAsync();
        await server.SignInAsync(assessor, "lead@northgate.example", DemoWorkspace.Password);
        await assessor.GotoAsync(server.Url($"/supply-chain/letters/{demo.Letter}/revoke"));
        await assessor.FillAsync("#reason", "Scope was misstated");
        await assessor.ClickAsync("#revoke-confirm");
        await Expect(assessor.Locator("#revoked")).ToBeVisibleAsync();
        var revokedAt = DateTimeOffset.UtcNow;

        // Within 60 s (the promise; here the worker's half-second poll), signed with the secret the page showed.
        var notice = await receiver.NextAsync(TimeSpan.FromSeconds(60));
        Assert.True(DateTimeOffset.UtcNow - revokedAt < TimeSpan.FromSeconds(60));
        Assert.True(Verify(secret, notice.Signature, notice.Body), $"signature {notice.Signature} does not verify");
        Assert.False(Verify(secret, notice.Signature, notice.Body.Replace("revoked", "valid")));
        var body = JsonDocument.Parse(notice.Body).RootElement;
        Assert.Equal("custodes.trust-notice/v1", body.GetProperty("schema").GetString());
        Assert.Equal("letter.revoked", body.GetProperty("event").GetString());
        Assert.Equal(demo.Letter.ToString(), body.GetProperty("letter_id").GetString());
        Assert.Equal("Scope was misstated", body.GetProperty("reason").GetString());
        Assert.Equal(notice.Delivery, body.GetProperty("id").GetString());

        // The page the notice links to shows the same.
        await reader.GotoAsync(body.GetProperty("links").GetProperty("page").GetString()!);
        var row = reader.Locator($"tr[data-letter='{demo.Letter}']");
        for (var i = 0; i < 30 && !(await row.InnerTextAsync()).Contains("Withdrawn (revoked)"); i++)
        {
            await Task.Delay(500);
            await reader.ReloadAsync();
        }
        await Expect(row).ToContainTextAsync("Withdrawn (revoked)");
        await Expect(row).ToContainTextAsync("Scope was misstated");
        await outsider.ShotAsync(reader, "trust-page-after-notice");

        // The notice's unsubscribe link works in the browser without signing in.
        await reader.GotoAsync(body.GetProperty("unsubscribe_url").GetString()!);
        await reader.ClickAsync("#subscription-button");
        await Expect(reader.Locator("#subscription-done")).ToContainTextAsync("Nothing more");
    }

    // Computed here from the documented rule (docs/trust-page.md), not with the server's own code.
    private static bool Verify(string secret, string? header, string body)
    {
        if (header is null) return false;
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{body}"));
        return Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(parts["t"])) < 300
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac)), Encoding.ASCII.GetBytes(parts["v1"]));
    }

    private sealed record Received(string Body, string? Signature, string? Delivery);

    /// <summary>A webhook receiver on loopback that keeps what it is sent.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly BlockingCollection<Received> _received = new();

        private Receiver(WebApplication app) => _app = app;

        public string Url { get; private set; } = "";

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/notices", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                receiver._received.Add(new Received(await reader.ReadToEndAsync(), context.Request.Headers["Custodes-Signature"], context.Request.Headers["Custodes-Delivery"]));
                return Results.NoContent();
            });
            await app.StartAsync();
            receiver.Url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/notices";
            return receiver;
        }

        public Task<Received> NextAsync(TimeSpan timeout) => Task.Run(() =>
            _received.TryTake(out var got, timeout) ? got : throw new TimeoutException($"no notice within {timeout}"));

        public async ValueTask DisposeAsync()
        {
            await _app.DisposeAsync();
            _received.Dispose();
        }
    }
}
