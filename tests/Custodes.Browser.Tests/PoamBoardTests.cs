using Custodes.Application;
using Custodes.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

/// <summary>The POA&amp;M board as a person uses it: changing a plan starts from what is written, moving keeps the plan, the history shows whole before/after values, and removing asks first.</summary>
public sealed class PoamBoardTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static ILocator Card(IPage page, string id) => page.Locator($"article[id='p-{id}']");

    [Theory, MemberData(nameof(Providers))]
    public async Task Changing_a_plan_is_prefilled_and_moving_an_item_keeps_its_plan_and_history_shows_before_and_after(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var (_, email, key) = await server.NewAccountAsync("Northgate Security Assessors LLC", "assessor");
        using var api = server.Api(key);
        var id = await AppServer.ImportExampleAsync(api);
        await using var browser = await Browser.LaunchAsync($"poam-board-{provider}".ToLowerInvariant());
        var page = await browser.PageAsync();
        await server.SignInAsync(page, email);
        await page.GotoAsync(server.Url($"/assessments/{id}/poam"));

        // "Change the plan" opens the form filled with what is written.
        await Card(page, "3.11.3").Locator("a:has-text('Change the plan')").ClickAsync();
        await Expect(page.Locator("#plan-form h3")).ToHaveTextAsync("Plan for 3.11.3");
        await Expect(page.Locator("#planned")).ToHaveValueAsync("2026-12-15");
        await Expect(page.Locator("#owner")).ToHaveValueAsync("IT manager");
        await Expect(page.Locator("#milestones")).ToHaveValueAsync("Patch 4 medium findings; reduce SLA breaches to zero");
        await Expect(page.Locator("#st")).ToHaveValueAsync("open");
        await browser.ShotAsync(page, "prefilled");

        // Moving 3.11.3 to In progress changes its status only.
        await page.GotoAsync(server.Url($"/assessments/{id}/poam"));
        var card = Card(page, "3.11.3");
        await card.Locator("select[name=status]").SelectOptionAsync("in-progress");
        await card.Locator("button:has-text('Move')").ClickAsync();
        await Expect(page.Locator("[role=status]")).ToHaveTextAsync("Saved.");
        var moved = page.Locator("section[aria-labelledby='col-InProgress'] article[id='p-3.11.3']");
        await Expect(moved).ToContainTextAsync("Planned: 2026-12-15");
        await Expect(moved).ToContainTextAsync("owner IT manager");
        await Expect(moved).ToContainTextAsync("Patch 4 medium findings; reduce SLA breaches to zero");
        await browser.ShotAsync(page, "moved");

        // An edit through the prefilled form changes only what was changed.
        await moved.Locator("a:has-text('Change the plan')").ClickAsync();
        await Expect(page.Locator("#st")).ToHaveValueAsync("in-progress");
        await page.FillAsync("#owner", "Security lead");
        await page.ClickAsync("#plan-form button[type=submit]");
        await Expect(page.Locator("[role=status]")).ToHaveTextAsync("Saved.");
        await Expect(moved).ToContainTextAsync("Planned: 2026-12-15");
        await Expect(moved).ToContainTextAsync("owner Security lead");
        await Expect(moved).ToContainTextAsync("Patch 4 medium findings");

        // The history keeps the whole plan before and after the move.
        await page.GotoAsync(server.Url($"/assessments/{id}/history"));
        var move = page.Locator("#history tbody tr:has-text('poam.set')").Last;
        var before = await move.Locator("td").Nth(3).InnerTextAsync();
        var after = await move.Locator("td").Nth(4).InnerTextAsync();
        Assert.Contains("\"status\":\"open\"", before);
        Assert.Contains("\"status\":\"in-progress\"", after);
        foreach (var kept in new[] { "2026-12-15", "IT manager", "Patch 4 medium findings" })
        {
            Assert.Contains(kept, before);
            Assert.Contains(kept, after);
        }
        await browser.ShotAsync(page, "history");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Removing_a_plan_asks_first_also_without_javascript(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var (_, email, key) = await server.NewAccountAsync("Northgate Security Assessors LLC", "assessor");
        using var api = server.Api(key);
        var id = await AppServer.ImportExampleAsync(api);
        await using var browser = await Browser.LaunchAsync($"poam-remove-{provider}".ToLowerInvariant(), javaScript: false);
        var page = await browser.PageAsync();
        await server.SignInAsync(page, email);
        await page.GotoAsync(server.Url($"/assessments/{id}/poam"));

        await Card(page, "3.3.6").Locator("a:has-text('Remove the plan')").ClickAsync();
        var confirm = page.Locator("#confirm-remove");
        await Expect(confirm).ToContainTextAsync("Remove the written plan for 3.3.6?");
        await browser.ShotAsync(page, "confirm");
        // Nothing is removed by asking.
        await Expect(Card(page, "3.3.6")).ToContainTextAsync("Select SIEM");

        await confirm.Locator("a:has-text('Cancel')").ClickAsync();
        await Expect(page.Locator("#confirm-remove")).ToHaveCountAsync(0);
        await Expect(Card(page, "3.3.6")).ToContainTextAsync("Select SIEM");

        await Card(page, "3.3.6").Locator("a:has-text('Remove the plan')").ClickAsync();
        await page.ClickAsync("#confirm-remove button:has-text('Yes, remove the plan for 3.3.6')");
        await Expect(page.Locator("[role=status]")).ToHaveTextAsync("Saved.");
        // 3.3.6 is still not met, so it stays on the plan of action, now without a written plan.
        await Expect(Card(page, "3.3.6")).ToContainTextAsync("No plan written yet");
        await Expect(Card(page, "3.3.6")).Not.ToContainTextAsync("Select SIEM");
    }
}
