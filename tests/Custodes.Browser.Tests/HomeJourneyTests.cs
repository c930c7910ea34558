using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Testing;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

/// <summary>Issue 20: the dental office manager answers "is my IT provider safe?" from the home page, on a desktop and on a phone.</summary>
public sealed class HomeJourneyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Practice = "office@smiledental.example";

    [Theory, MemberData(nameof(Providers))]
    public async Task The_practice_home_gives_each_provider_a_verdict_shows_the_backup_alert_on_its_machines_and_says_when_the_letter_is_revoked(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        await RaiseBackupDestructionAsync(server, demo);

        await using var browser = await Browser.LaunchAsync($"home-practice-{provider}".ToLowerInvariant());
        var page = await browser.PageAsync();
        await server.SignInAsync(page, Practice, DemoWorkspace.Password);
        await Expect(page.Locator("h1")).ToContainTextAsync("Smile Dental Group");

        var granite = page.Locator("#provider-granite-peak");
        await Expect(granite.Locator(".verdict")).ToContainTextAsync(
            $"{DemoWorkspace.MspName}: independently assessed 1 Oct 2026 by {DemoWorkspace.AssessorName}, letter valid until ");
        await Expect(granite.Locator(".verdict")).ToContainTextAsync("5 of 110 controls still being fixed, due March 2027");
        await Expect(granite).ToContainTextAsync("What to ask Granite Peak Managed IT LLC");
        await Expect(page.Locator("#provider-cloudvault")).ToContainTextAsync("not connected to an account here");

        // The critical alert on the practice's own machines, with what to do now and whom to call.
        var alert = page.Locator("#home-alerts .alert-card.sev-critical").First;
        await Expect(alert).ToContainTextAsync("Someone deleted or disabled backups");
        await Expect(alert).ToContainTextAsync("What to do now:");
        await Expect(alert).ToContainTextAsync($"Who to call: {DemoWorkspace.MspName} — admin@granitepeak.example");

        // What a dental office does not use is not on its menu.
        var menu = await page.Locator("nav[aria-label=Main]").InnerTextAsync();
        foreach (var hidden in new[] { "Import", "API keys", "Watch settings", "Audit" }) Assert.DoesNotContain(hidden, menu);
        await browser.ShotAsync(page, "home-practice");

        // The assessor firm withdraws the letter; the practice's home says so at once.
        await using var firm = await Browser.LaunchAsync($"home-firm-{provider}".ToLowerInvariant());
        var assessor = await firm.PageAsync();
        await server.SignInAsync(assessor, "lead@northgate.example", DemoWorkspace.Password);
        await assessor.GotoAsync(server.Url($"/supply-chain/letters/{demo.Letter}/revoke"));
        await assessor.FillAsync("#reason", "Scope was misstated");
        await assessor.ClickAsync("#revoke-confirm");
        await Expect(assessor.Locator("#revoked")).ToBeVisibleAsync();

        await page.ReloadAsync();
        await Expect(granite.Locator(".badge")).ToHaveTextAsync("Letter withdrawn");
        await Expect(granite.Locator(".verdict")).ToContainTextAsync("(reason given: Scope was misstated)");
        await Expect(page.Locator("main")).ToContainTextAsync($"Supply chain: {DemoWorkspace.MspName}'s letter was revoked");
        await browser.ShotAsync(page, "home-practice-letter-withdrawn");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_customer_pages_fit_a_phone_without_sideways_scrolling_and_have_no_serious_accessibility_violations(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        await RaiseBackupDestructionAsync(server, demo);
        await using var phone = await Browser.LaunchAsync($"home-phone-{provider}".ToLowerInvariant(), width: PageChecks.PhoneWidth, height: 844, bypassCsp: true);
        var page = await phone.PageAsync();
        await server.SignInAsync(page, Practice, DemoWorkspace.Password);
        foreach (var (path, name) in new[]
                 {
                     ("/", "home"), ("/supply-chain", "supply-chain"), ("/supply-chain/notices", "notices"), ("/supply-chain/questionnaires", "questionnaires"),
                     ($"/letters/{demo.Letter}", "letter"), ("/requirements/3.1.12", "requirement"), ("/watch/alerts", "alerts"),
                 })
        {
            await page.GotoAsync(server.Url(path));
            await phone.ShotAsync(page, $"phone-{name}");
            await PageChecks.AssertPhoneReadyAsync(page, path);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_msp_and_an_assessor_firm_each_get_their_own_home_and_menu(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        await Demo.EnsureAsync(server.Installation);

        await using var mspBrowser = await Browser.LaunchAsync($"home-msp-{provider}".ToLowerInvariant(), bypassCsp: true);
        var msp = await mspBrowser.PageAsync();
        await server.SignInAsync(msp, "admin@granitepeak.example", DemoWorkspace.Password);
        await Expect(msp.Locator("h1")).ToHaveTextAsync(DemoWorkspace.MspName);
        await Expect(msp.Locator("#msp-letters")).ToContainTextAsync($"from {DemoWorkspace.AssessorName}");
        await Expect(msp.Locator("#msp-letters")).ToContainTextAsync("in force");
        await Expect(msp.Locator("#msp-customers")).ToContainTextAsync("Smile Dental Group");
        await Expect(msp.Locator("#msp-trust")).ToContainTextAsync("Not published");
        await Expect(msp.Locator("#first-run")).ToContainTextAsync("Send your RMM's audit logs");
        await Expect(msp.Locator("#rmm-settings")).ToContainTextAsync("/api/v1/watch/events?format=kaseya-vsa");
        var menu = await msp.Locator("nav[aria-label=Main]").InnerTextAsync();
        foreach (var shown in new[] { "Import", "Engagements", "Watch settings", "Trust page", "API keys" }) Assert.Contains(shown, menu);
        Assert.Empty(await PageChecks.SeriousViolationsAsync(msp));
        await mspBrowser.ShotAsync(msp, "home-msp");

        await using var firmBrowser = await Browser.LaunchAsync($"home-assessor-{provider}".ToLowerInvariant(), bypassCsp: true);
        var firm = await firmBrowser.PageAsync();
        await server.SignInAsync(firm, "lead@northgate.example", DemoWorkspace.Password);
        await Expect(firm.Locator("h1")).ToHaveTextAsync(DemoWorkspace.AssessorName);
        await Expect(firm.Locator("#issued-letters")).ToContainTextAsync($"{DemoWorkspace.MspName}");
        menu = await firm.Locator("nav[aria-label=Main]").InnerTextAsync();
        Assert.Contains("Letters", menu);
        Assert.DoesNotContain("Watch settings", menu);
        Assert.Empty(await PageChecks.SeriousViolationsAsync(firm));
        await firmBrowser.ShotAsync(firm, "home-assessor");
    }

    /// <summary>Granite Peak maps its RMM tenant to the practice and its VSA logs a script deleting shadow copies there; waits for the alert.</summary>
    private static async Task RaiseBackupDestructionAsync(AppServer server, DemoSummary demo)
    {
        var (_, key) = await new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System)
            .CreateApiKeyAsync("admin@granitepeak.example", demo.MspOrganization, "home test", [], "test");
        using var api = server.Api(key);
        var practice = demo.CustomerOrganizations[0];
        var mapped = await api.PutAsJsonAsync("/api/v1/watch/tenants/smile-dental", new { customer_organization_id = practice });
        mapped.EnsureSuccessStatusCode();
        Assert.Equal("active", JsonDocument.Parse(await mapped.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        var at = DateTimeOffset.UtcNow.AddMinutes(-20);
        var lines = new StringBuilder();
        foreach (var (computer, i) in new[] { "FRONTDESK-01", "RECEPTION" }.Select((c, i) => (c, i)))
            lines.Append(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["time"] = at.AddSeconds(30 * i).ToString("yyyy-MM-ddTHH:mm:ssZ"), ["source"] = "kaseya-vsa", ["msp"] = demo.MspOrganization.ToString(),
                ["tenant"] = "smile-dental", ["actor"] = "tech02", ["action"] = "script.run", ["target"] = computer,
                ["detail"] = new Dictionary<string, string> { ["command_line"] = "vssadmin delete shadows /all /quiet" },
            })).Append('\n');
        (await api.PostAsync("/api/v1/watch/events", new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson"))).EnsureSuccessStatusCode();
        for (var i = 0; i < 300; i++)
        {
            var found = JsonDocument.Parse(await api.GetStringAsync("/api/v1/watch/alerts?rule=backup-destruction"));
            if (found.RootElement.GetProperty("items").GetArrayLength() > 0) return;
            await Task.Delay(100);
        }
        Assert.Fail("no backup-destruction alert was raised");
    }
}
