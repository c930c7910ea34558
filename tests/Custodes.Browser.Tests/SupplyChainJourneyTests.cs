using Custodes.Application;
using Custodes.Application.Demo;
using Custodes.Testing;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

/// <summary>Issue 6's done-means journey in a real browser on the demo workspace.</summary>
public sealed class SupplyChainJourneyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_practice_sees_its_providers_and_its_score_drops_with_a_notice_when_the_msp_letter_is_revoked(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        await using var browser = await Browser.LaunchAsync($"supply-chain-{provider}".ToLowerInvariant());

        var practice = await browser.PageAsync();
        await server.SignInAsync(practice, "office@smiledental.example", DemoWorkspace.Password);
        await practice.ClickAsync("nav >> text=Supply chain");
        await Expect(practice.Locator("svg.portfolio-graph")).ToBeVisibleAsync();
        await Expect(practice.Locator("#relationships")).ToContainTextAsync(DemoWorkspace.BackupProviderName);
        var before = int.Parse(await practice.Locator("#effective-score").InnerTextAsync());
        var own = int.Parse(await practice.Locator("#own-score").InnerTextAsync());
        Assert.True(before > own, $"the practice inherits from its attested MSP ({own} → {before})");
        await browser.ShotAsync(practice, "supply-chain-portfolio");

        // The assessor firm's lead, in a browser of its own (a second sign-in in the same browser would replace the practice's session).
        await using var firm = await Browser.LaunchAsync($"supply-chain-firm-{provider}".ToLowerInvariant());
        var assessor = await firm.PageAsync();
        await server.SignInAsync(assessor, "lead@northgate.example", DemoWorkspace.Password);
        await assessor.GotoAsync(server.Url("/supply-chain/letters"));
        await assessor.ClickAsync($"a[href='/supply-chain/letters/{demo.Letter}/revoke']");
        await assessor.FillAsync("#reason", "Scope was misstated");
        await assessor.ClickAsync("#revoke-confirm");
        await Expect(assessor.Locator("#revoked")).ToContainTextAsync("1 customer organization(s)");

        await practice.ReloadAsync();
        var after = int.Parse(await practice.Locator("#effective-score").InnerTextAsync());
        Assert.True(after < before, $"revoking the MSP's letter drops the practice's score ({before} → {after})");
        await practice.GotoAsync(server.Url("/"));
        await Expect(practice.Locator("main")).ToContainTextAsync("letter was revoked");
        await practice.GotoAsync(server.Url("/supply-chain/notices"));
        await Expect(practice.Locator("main")).ToContainTextAsync("Scope was misstated");
        await browser.ShotAsync(practice, "supply-chain-notice");

        // The practice answers its insurer's questionnaire from what it now has: saved, reviewed, signed off and kept as signed.
        await practice.GotoAsync(server.Url("/supply-chain/questionnaires"));
        await practice.SelectOptionAsync("#template", "cyber-insurance-msp");
        await practice.ClickAsync("button:has-text('Propose answers')");
        await practice.ClickAsync("#save-proposal");
        await Expect(practice.Locator("#status")).ToContainTextAsync("draft: 0 of 12 answers reviewed");
        foreach (var select in await practice.Locator("#answers select").AllAsync()) await select.SelectOptionAsync("accept");
        await practice.ClickAsync("#save-review");
        await Expect(practice.Locator("#message")).ToContainTextAsync("Review saved.");
        await practice.CheckAsync("#confirm");
        await practice.ClickAsync("#sign-off");
        await Expect(practice.Locator("#status")).ToContainTextAsync("signed off by office@smiledental.example");
        await Expect(practice.Locator("#content-sha256")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        await browser.ShotAsync(practice, "questionnaire-signed-off");
        var download = await practice.RunAndWaitForDownloadAsync(() => practice.ClickAsync("#download-xlsx"));
        Assert.Equal("cyber-insurance-msp-r1-signed-off.xlsx", download.SuggestedFilename);
        await practice.GotoAsync(server.Url("/supply-chain/questionnaires"));
        await Expect(practice.Locator("#saved")).ToContainTextAsync("signed-off");
    }
}
