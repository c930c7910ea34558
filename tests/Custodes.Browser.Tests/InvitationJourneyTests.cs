using Custodes.Application;
using Custodes.Testing;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

public sealed class InvitationJourneyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task An_invited_person_accepts_in_the_browser_and_switches_between_organizations(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var (_, ownerEmail, _) = await server.NewAccountAsync("Northgate Security Assessors LLC", "assessor");
        var (_, boEmail, _) = await server.NewAccountAsync("Bright Smile Dental", "customer");

        // The owner invites Bo; without a mail server the page shows the link to pass on.
        await using var ownerBrowser = await Browser.LaunchAsync($"invite-owner-{provider}".ToLowerInvariant());
        var owner = await ownerBrowser.PageAsync();
        await server.SignInAsync(owner, ownerEmail);
        await owner.GotoAsync(server.Url("/members"));
        await owner.FillAsync("#m-email", boEmail);
        await owner.SelectOptionAsync("#m-role", "viewer");
        await owner.ClickAsync("text=Send invitation");
        await Expect(owner.Locator("[role=status]").First).ToContainTextAsync($"Invitation created for {boEmail}");
        var link = await owner.Locator("#invitation-link").InnerTextAsync();
        await Expect(owner.Locator("#invitations")).ToContainTextAsync(boEmail);
        await Expect(owner.Locator("#members")).Not.ToContainTextAsync(boEmail);
        await ownerBrowser.ShotAsync(owner, "members-invited");

        // Bo signs in to their own organization and sees the invitation waiting.
        await using var boBrowser = await Browser.LaunchAsync($"invite-bo-{provider}".ToLowerInvariant());
        var bo = await boBrowser.PageAsync();
        await server.SignInAsync(bo, boEmail);
        await Expect(bo.Locator("h1")).ToContainTextAsync("Bright Smile Dental");
        await Expect(bo.Locator("#invitations-notice")).ToContainTextAsync("Northgate Security Assessors LLC (as viewer)");
        await Expect(bo.Locator("#org-switcher")).ToHaveCountAsync(0);
        await boBrowser.ShotAsync(bo, "invitation-waiting");

        await bo.GotoAsync(server.Url(new Uri(link).PathAndQuery));
        await Expect(bo.Locator("h1")).ToContainTextAsync("Invitation to join Northgate Security Assessors LLC");
        await bo.ClickAsync("text=Accept and join Northgate Security Assessors LLC");
        await Expect(bo.Locator("h1")).ToContainTextAsync("Northgate Security Assessors LLC");
        await Expect(bo.Locator("[role=status]").First).ToContainTextAsync("You joined Northgate Security Assessors LLC");
        await boBrowser.ShotAsync(bo, "joined");

        // The switcher moves between Bo's organizations.
        await bo.SelectOptionAsync("#switch-org", new Microsoft.Playwright.SelectOptionValue { Label = "Bright Smile Dental (owner)" });
        await bo.ClickAsync("#org-switcher button");
        await Expect(bo.Locator("h1")).ToContainTextAsync("Bright Smile Dental");
        await Expect(bo.Locator(".who")).ToContainTextAsync("Bright Smile Dental (owner)");
        await boBrowser.ShotAsync(bo, "switched");

        // The used link says so.
        await bo.GotoAsync(server.Url(new Uri(link).PathAndQuery));
        await Expect(bo.Locator("#invitation-state")).ToContainTextAsync("already used");

        // The owner sees Bo as a member now; withdrawing another invitation asks first.
        await owner.GotoAsync(server.Url("/members"));
        await Expect(owner.Locator("#members")).ToContainTextAsync(boEmail);
        await owner.FillAsync("#m-email", "someone@elsewhere.example");
        await owner.ClickAsync("text=Send invitation");
        string? asked = null;
        owner.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await owner.ClickAsync("#invitations button");
        await Expect(owner.Locator("[role=status]").First).ToContainTextAsync("Invitation withdrawn");
        Assert.Contains("someone@elsewhere.example", asked);
    }
}
