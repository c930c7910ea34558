using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;
using Custodes.Watch.Events;
using Custodes.Watch.Simulation;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

public sealed class WatchAlertsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task An_msp_finds_the_attack_on_the_alert_timeline_and_acknowledges_it(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var (_, email, key) = await server.NewAccountAsync("msp-01", "msp");
        using var api = new HttpClient { BaseAddress = new Uri(server.Address) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var events = new StringBuilder();
        foreach (var e in new Simulator(new SimulationOptions { Msps = 1, Tenants = 12, Days = 9, Seed = 2, Attack = AttackScenarios.Parse("dental-2019") }).Events())
            events.Append(EventJson.Serialize(e)).Append('\n');
        (await api.PostAsync("/api/v1/watch/events", new StringContent(events.ToString(), Encoding.UTF8, "application/x-ndjson"))).EnsureSuccessStatusCode();
        for (var i = 0; i < 300; i++)
        {
            var page = JsonDocument.Parse(await api.GetStringAsync("/api/v1/watch/alerts?rule=backup-destruction"));
            if (page.RootElement.GetProperty("items").GetArrayLength() > 0) break;
            await Task.Delay(100);
        }

        await using var browser = await Browser.LaunchAsync($"watch-{provider}".ToLowerInvariant());
        var tab = await browser.PageAsync();
        await server.SignInAsync(tab, email);
        await tab.ClickAsync("nav >> text=Watch");
        await Expect(tab.Locator("h1")).ToHaveTextAsync("Watch alerts");
        await tab.SelectOptionAsync("#f-severity", "critical");
        await tab.ClickAsync("form.row button[type=submit]");
        var row = tab.Locator("#alerts tbody tr", new() { HasText = "backup-destruction" }).First;
        await Expect(row).ToContainTextAsync("tech02");
        await browser.ShotAsync(tab, "watch-timeline");

        await row.Locator("a").ClickAsync();
        await Expect(tab.Locator("#actor")).ToHaveTextAsync("tech02");
        await Expect(tab.Locator("#tenants")).ToContainTextAsync("dental-0001");
        await Expect(tab.Locator("#events tbody tr")).Not.ToHaveCountAsync(0);
        await tab.FillAsync("#note", "Called tech02; account disabled.");
        await tab.ClickAsync("#status-form button:has-text('Acknowledge')");
        await Expect(tab.Locator("[role=status]")).ToHaveTextAsync("Alert acknowledged.");
        await Expect(tab.Locator("#status")).ToContainTextAsync("acknowledged");
        await browser.ShotAsync(tab, "watch-alert-acknowledged");

        await tab.GotoAsync(server.Url("/watch/alerts?status=acknowledged"));
        await Expect(tab.Locator("#alerts tbody tr")).ToHaveCountAsync(1);
    }
}
