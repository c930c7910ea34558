using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Demo;
using Custodes.Testing;
using Custodes.Watch.Events;
using Custodes.Watch.Simulation;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

/// <summary>What a first user hits in the web app: the letter's verdict, revoking with care, errors in words, and a phone-width screen.</summary>
public sealed class FirstUserTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Green = "rgb(17, 104, 58)"; // --ok in letters.css
    private const string Red = "rgb(163, 22, 27)"; // --bad

    /// <summary>Console errors a Content-Security-Policy violation causes (an inline style or script the policy blocks).</summary>
    private static List<string> WatchCsp(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add($"{page.Url}: {message.Text}");
        };
        return violations;
    }

    private static Task<string> BackgroundAsync(IPage page, string selector) =>
        page.Locator(selector).EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

    [Theory, MemberData(nameof(Providers))]
    public async Task The_letter_verdict_is_a_coloured_banner_and_revoking_is_confirmed_with_subject_customers_and_a_reason(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        using var http = new HttpClient();
        var bundle = await http.GetByteArrayAsync(server.Url($"/api/v1/letters/{demo.Letter}"));
        await using var browser = await Browser.LaunchAsync($"first-user-{provider}".ToLowerInvariant());
        var page = await browser.PageAsync();
        var csp = WatchCsp(page);

        // A valid letter: a green banner that says so in words.
        await page.GotoAsync(server.Url($"/letters/{demo.Letter}"));
        await Expect(page.Locator("#verdict")).ToBeVisibleAsync();
        await Expect(page.Locator("#verdict strong")).ToHaveTextAsync("Valid");
        Assert.Equal(Green, await BackgroundAsync(page, "#verdict"));
        await browser.ShotAsync(page, "letter-valid");

        await page.GotoAsync(server.Url("/verify"));
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "letter.json", MimeType = "application/json", Buffer = bundle });
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#verdict strong")).ToHaveTextAsync("Genuine and valid");
        Assert.Equal(Green, await BackgroundAsync(page, "#verdict"));

        // Junk pasted into the verify page: what is wrong, in words.
        await page.FillAsync("#letter", "this is not a letter");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#verdict")).ToContainTextAsync("This is not a Custodes letter file: it is not valid JSON (line 1).");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("LineNumber");
        Assert.Equal(Red, await BackgroundAsync(page, "#verdict"));
        await browser.ShotAsync(page, "verify-junk");

        // An unknown address: an HTML page in the app's style, not JSON.
        var missing = await page.GotoAsync(server.Url("/letters/not-a-guid"));
        Assert.Equal(404, missing!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Page not found");
        await Expect(page.Locator("header.top .brand")).ToBeVisibleAsync();
        Assert.Equal("rgb(11, 79, 138)", await BackgroundAsync(page, "header.top"));
        await browser.ShotAsync(page, "not-found");

        // The issuer revokes: the confirmation names the letter, its subject and whose score drops, and insists on a reason.
        await using var firm = await Browser.LaunchAsync($"first-user-firm-{provider}".ToLowerInvariant());
        var assessor = await firm.PageAsync();
        var firmCsp = WatchCsp(assessor);
        await server.SignInAsync(assessor, "lead@northgate.example", DemoWorkspace.Password);
        await assessor.GotoAsync(server.Url("/supply-chain/letters"));
        await assessor.ClickAsync($"a[href='/supply-chain/letters/{demo.Letter}/revoke']");
        await Expect(assessor.Locator("#revoke-subject")).ToHaveTextAsync(DemoWorkspace.MspName);
        await Expect(assessor.Locator("#impact")).ToContainTextAsync("1 customer organization will see its score drop");
        await Expect(assessor.Locator("#impact-customers")).ToContainTextAsync(DemoWorkspace.CustomerNames[0]);
        await Expect(assessor.Locator("#revoke-confirm")).ToContainTextAsync("1 customer score will drop");
        await firm.ShotAsync(assessor, "revoke-confirmation");
        // The browser will not send a blank reason; neither does the server accept one when the browser's check is bypassed.
        await assessor.ClickAsync("#revoke-confirm");
        await Expect(assessor.Locator("#revoke-subject")).ToBeVisibleAsync();
        Assert.False(await assessor.Locator("#reason").EvaluateAsync<bool>("e => e.checkValidity()"));
        await assessor.Locator("#reason").EvaluateAsync("e => e.removeAttribute('required')");
        await assessor.FillAsync("#reason", "   ");
        await assessor.ClickAsync("#revoke-confirm");
        await Expect(assessor.Locator("#revoke-error")).ToContainTextAsync("Write the reason for revoking the letter");
        await assessor.FillAsync("#reason", "Scope was misstated");
        await assessor.ClickAsync("#revoke-confirm");
        await Expect(assessor.Locator("#revoked")).ToContainTextAsync("1 customer organization(s)");

        // The revoked letter: a red banner with date, issuer and reason, on its page and on the verify page.
        await page.GotoAsync(server.Url($"/letters/{demo.Letter}"));
        await Expect(page.Locator("#verdict strong")).ToHaveTextAsync("Revoked");
        await Expect(page.Locator("#verdict")).ToContainTextAsync($"by {DemoWorkspace.AssessorName}: Scope was misstated. Do not rely on it.");
        Assert.Equal(Red, await BackgroundAsync(page, "#verdict"));
        Assert.Equal("rgb(255, 255, 255)", await page.Locator("#verdict").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await browser.ShotAsync(page, "letter-revoked");
        await page.GotoAsync(server.Url("/verify"));
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "letter.json", MimeType = "application/json", Buffer = bundle });
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#verdict strong")).ToHaveTextAsync("Revoked");
        Assert.Equal(Red, await BackgroundAsync(page, "#verdict"));
        await browser.ShotAsync(page, "verify-revoked");

        Assert.Empty(csp);
        Assert.Empty(firmCsp);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task No_main_page_scrolls_sideways_on_a_390_pixel_phone(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        var wide = new List<string>();

        async Task CheckAsync(Browser browser, IPage page, string path, string name)
        {
            await page.GotoAsync(server.Url(path));
            await browser.ShotAsync(page, $"390-{name}");
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            if (width > 390) wide.Add($"{path} is {width} px wide");
        }

        await using (var visitor = await Browser.LaunchAsync($"phone-visitor-{provider}".ToLowerInvariant(), width: 390, height: 844))
        {
            var page = await visitor.PageAsync();
            await CheckAsync(visitor, page, $"/letters/{demo.Letter}", "letter");
            await CheckAsync(visitor, page, "/verify", "verify");
            await CheckAsync(visitor, page, "/letters/not-a-guid", "not-found");
        }
        await using (var firm = await Browser.LaunchAsync($"phone-firm-{provider}".ToLowerInvariant(), width: 390, height: 844))
        {
            var page = await firm.PageAsync();
            await server.SignInAsync(page, "lead@northgate.example", DemoWorkspace.Password);
            await CheckAsync(firm, page, "/", "dashboard");
            await CheckAsync(firm, page, $"/assessments/{demo.Assessment}", "workspace");
            await CheckAsync(firm, page, "/supply-chain/letters", "letters");
            await CheckAsync(firm, page, $"/supply-chain/letters/{demo.Letter}/revoke", "revoke");
        }
        await using (var practice = await Browser.LaunchAsync($"phone-practice-{provider}".ToLowerInvariant(), width: 390, height: 844))
        {
            var page = await practice.PageAsync();
            await server.SignInAsync(page, "office@smiledental.example", DemoWorkspace.Password);
            await CheckAsync(practice, page, "/supply-chain", "supply-chain");
            await CheckAsync(practice, page, "/supply-chain/notices", "notices");
        }
        // Watch with real alerts (the 2019 dental attack): tables of actors, tenants and command lines.
        var (_, mspEmail, mspKey) = await server.NewAccountAsync("msp-01", "msp");
        using (var api = server.Api(mspKey))
        {
            var events = new StringBuilder();
            foreach (var e in new Simulator(new SimulationOptions { Msps = 1, Tenants = 12, Days = 9, Seed = 2, Attack = AttackScenarios.Parse("dental-2019") }).Events())
                events.Append(EventJson.Serialize(e)).Append('\n');
            (await api.PostAsync("/api/v1/watch/events", new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson"))).EnsureSuccessStatusCode();
            string? alert = null;
            for (var i = 0; i < 300 && alert is null; i++)
            {
                var items = JsonDocument.Parse(await api.GetStringAsync("/api/v1/watch/alerts?rule=backup-destruction")).RootElement.GetProperty("items");
                if (items.GetArrayLength() > 0) alert = items[0].GetProperty("id").GetString();
                else await Task.Delay(100);
            }
            Assert.NotNull(alert);
            await using var msp = await Browser.LaunchAsync($"phone-msp-{provider}".ToLowerInvariant(), width: 390, height: 844);
            var page = await msp.PageAsync();
            await server.SignInAsync(page, mspEmail);
            await CheckAsync(msp, page, "/watch/alerts", "watch");
            await CheckAsync(msp, page, $"/watch/alerts/{alert}", "watch-alert");
            await CheckAsync(msp, page, "/watch/settings", "watch-settings");
        }
        Assert.Empty(wide);
    }
}
