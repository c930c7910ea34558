using Custodes.Application;
using Custodes.Application.Demo;
using Custodes.Testing;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

/// <summary>Issue 15's trust page in a real browser: the MSP's owner publishes it, an outsider reads it without signing in and sees a revocation.</summary>
public sealed class TrustPageJourneyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_msp_publishes_its_trust_page_an_outsider_reads_it_signed_out_and_sees_the_revocation_and_unpublishing_removes_it(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        await using var msp = await Browser.LaunchAsync($"trust-msp-{provider}".ToLowerInvariant());
        var owner = await msp.PageAsync();
        await server.SignInAsync(owner, "admin@granitepeak.example", DemoWorkspace.Password);
        await owner.ClickAsync("nav >> text=Trust page");
        await Expect(owner.Locator("#trust-unpublished")).ToBeVisibleAsync();
        // A capitalised address is refused in plain words, naming what to type instead.
        await owner.FillAsync("#trust-slug", "Granite-Peak");
        await owner.EvaluateAsync("document.getElementById('trust-slug').removeAttribute('pattern')");
        await owner.ClickAsync("#trust-publish");
        await Expect(owner.Locator("#trust-problem")).ToContainTextAsync("capital letters");
        await owner.FillAsync("#trust-slug", "granite-peak");
        await owner.ClickAsync("#trust-publish");
        await Expect(owner.Locator("#trust-url")).ToHaveTextAsync(server.Url("/trust/granite-peak"));
        await msp.ShotAsync(owner, "trust-settings-published");

        // An insurer with no account: no sign-in, the letter in force, how to check it.
        await using var outsider = await Browser.LaunchAsync($"trust-outsider-{provider}".ToLowerInvariant());
        var reader = await outsider.PageAsync();
        await reader.GotoAsync(server.Url("/trust/granite-peak"));
        await Expect(reader.Locator("h1")).ToHaveTextAsync(DemoWorkspace.MspName);
        await Expect(reader.Locator("#verdict")).ToContainTextAsync("Letter of attestation in force");
        await Expect(reader.Locator($"tr[data-letter='{demo.Letter}']")).ToContainTextAsync(DemoWorkspace.AssessorName);
        await Expect(reader.Locator("main")).ToContainTextAsync("How to check a letter yourself");
        await outsider.ShotAsync(reader, "trust-page-valid");

        // The assessor firm revokes the letter, in its own browser.
        await using var firm = await Browser.LaunchAsync($"trust-firm-{provider}".ToLowerInvariant());
        var assessor = await firm.PageAsync();
        await server.SignInAsync(assessor, "lead@northgate.example", DemoWorkspace.Password);
        await assessor.GotoAsync(server.Url($"/supply-chain/letters/{demo.Letter}/revoke"));
        await assessor.FillAsync("#reason", "Scope was misstated");
        await assessor.ClickAsync("#revoke-confirm");
        await Expect(assessor.Locator("#revoked")).ToBeVisibleAsync();

        // The public copy is at most two seconds old: the outsider reloads until it shows.
        var row = reader.Locator($"tr[data-letter='{demo.Letter}']");
        for (var i = 0; i < 30 && !(await row.InnerTextAsync()).Contains("Withdrawn (revoked)"); i++)
        {
            await Task.Delay(500);
            await reader.ReloadAsync();
        }
        await Expect(row).ToContainTextAsync("Withdrawn (revoked)");
        await Expect(reader.Locator("#verdict")).ToContainTextAsync("No letter in force");
        await Expect(reader.Locator($"tr[data-letter='{demo.Letter}']")).ToContainTextAsync("Scope was misstated");
        await outsider.ShotAsync(reader, "trust-page-revoked");

        await owner.ReloadAsync();
        await owner.CheckAsync("#trust-confirm");
        await owner.ClickAsync("#trust-unpublish");
        await Expect(owner.Locator("#trust-unpublished")).ToBeVisibleAsync();
        var gone = await reader.GotoAsync(server.Url("/trust/granite-peak"));
        Assert.Equal(404, gone!.Status);
    }
}
