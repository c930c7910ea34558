using Custodes.Application;
using Custodes.Application.Demo;
using Custodes.Testing;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

/// <summary>Issue 17 in a real browser on the demo: the MSP's restore schedule, a what-if, its capacity form, and the practice's dashboard line.</summary>
public sealed class RecoveryJourneyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_msp_sees_its_restore_schedule_tries_a_surge_partner_and_states_more_crews(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        await Demo.EnsureAsync(server.Installation);
        await using var browser = await Browser.LaunchAsync($"recovery-{provider}".ToLowerInvariant());

        var msp = await browser.PageAsync();
        await server.SignInAsync(msp, "admin@granitepeak.example", DemoWorkspace.Password);
        await msp.GotoAsync(server.Url("/supply-chain/recovery"));
        await Expect(msp.Locator("svg.gantt")).ToBeVisibleAsync();
        await Expect(msp.Locator("svg.cumulative")).ToBeVisibleAsync();
        await Expect(msp.Locator("#critical")).ToContainTextAsync("Bayside Family Dentistry");
        await Expect(msp.Locator("#critical")).ToContainTextAsync("What to do:");
        var before = await msp.Locator("#makespan").InnerTextAsync();
        await browser.ShotAsync(msp, "recovery-schedule");

        await msp.FillAsync("#partner", "Rapid IR");
        await msp.FillAsync("#partnerCrews", "6");
        await msp.FillAsync("#partnerDelay", "8");
        await msp.ClickAsync("#what-if-form button[type=submit]");
        await Expect(msp.Locator("#what-if")).ToContainTextAsync("Rapid IR: 6 crews joining after 8 hours");

        await msp.ClickAsync("#edit-capacity");
        await msp.FillAsync("#crews", "six");
        await msp.ClickAsync("#save-capacity");
        await Expect(msp.Locator("#error")).ToContainTextAsync("The number of crews must be a whole number");
        await Expect(msp.Locator("#crews")).ToHaveAttributeAsync("aria-invalid", "true");
        await msp.FillAsync("#crews", "9");
        await msp.ClickAsync("#save-capacity");
        await Expect(msp.Locator("#saved")).ToContainTextAsync("Saved");
        Assert.NotEqual(before, await msp.Locator("#makespan").InnerTextAsync());

        // The practice's dashboard, in a browser of its own.
        await using var office = await Browser.LaunchAsync($"recovery-office-{provider}".ToLowerInvariant());
        var practice = await office.PageAsync();
        await server.SignInAsync(practice, "office@smiledental.example", DemoWorkspace.Password);
        await practice.GotoAsync(server.Url("/"));
        await Expect(practice.Locator("#recovery-wait")).ToContainTextAsync("you would wait about 2 days");
        await Expect(practice.Locator("#recovery-backup")).ToContainTextAsync("a tested, immutable, offsite copy");
        await office.ShotAsync(practice, "recovery-dashboard");
    }
}
