using System.Text;
using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Application.SupplyChain;
using Custodes.Application.Trust;
using Custodes.Assessments;
using Custodes.Reports;
using Custodes.SupplyChain;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Tenant = Custodes.Application.Tenant;

namespace Custodes.Browser.Tests;

/// <summary>Issue 20's customer journey as far as the provider pages go, on a phone-sized screen (390 px wide), in a real browser.</summary>
public sealed class ProviderJourneyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const int PhoneWidth = 390;

    private static async Task FitsThePhoneAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= PhoneWidth, $"{page.Url} is {width} px wide on a {PhoneWidth} px screen: it scrolls sideways");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_practice_signs_up_adds_its_it_provider_by_form_sees_its_letter_verdict_and_is_told_in_plain_words_when_the_letter_is_revoked(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        var clock = TimeProvider.System;
        var audit = new AuditTrail(clock);
        // The MSP publishes its trust page, with the responsibility matrix it records for itself (what its customers inherit).
        var msp = new Tenant(demo.MspOrganization, Roles.Owner, "user:admin@granitepeak.example");
        await new TrustPages(server.Installation, audit, clock).PublishAsync(msp, "granite-peak");
        var portfolios = new PortfolioStore(server.Installation, audit, clock);
        var matrix = (await portfolios.LoadAsync(new Tenant(demo.CustomerOrganizations[0], Roles.Owner, "test")))!.Matrices["granite-peak"];
        await portfolios.ImportAsync(msp, new Portfolio
        {
            Organizations = [new Organization { Id = "granite-peak", Name = DemoWorkspace.MspName, Kind = OrganizationKind.Msp, CustodesOrganization = demo.MspOrganization.ToString() }],
        }, [new MatrixUpload(matrix, Encoding.UTF8.GetString(ResponsibilityMatrixFile.ToYaml(matrix)), "crm")]);

        await using var browser = await Browser.LaunchAsync($"provider-journey-{provider}".ToLowerInvariant(), width: PhoneWidth, height: 844);
        var page = await browser.PageAsync();
        await page.GotoAsync(server.Url("/account/sign-up"));
        await page.FillAsync("#email", "office@harbordental.example");
        await page.FillAsync("#password", AppServer.Password);
        await page.FillAsync("#org", "Harbor Dental Care");
        await page.CheckAsync("input[name=Kind][value=customer]");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/sign-up"));

        // The practice's own assessment (its answers to the 110 requirements), as its IT person would import it.
        Guid practice;
        await using (var db = server.Installation.OpenDb())
            practice = await db.Organizations.Where(o => o.Name == "Harbor Dental Care").Select(o => o.Id).SingleAsync();
        var own = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "portfolio", "dental-001-assessment.yaml")).Assessment with { Organization = "Harbor Dental Care" };
        await new AssessmentStore(server.Installation, audit, clock).ImportAsync(new Tenant(practice, Roles.Owner, "test"), AssessmentFile.Validate(own, "Harbor Dental Care's assessment"));

        // Add the IT provider by form: found by name, chosen, and described in words.
        await page.GotoAsync(server.Url("/supply-chain/providers"));
        await Expect(page.Locator("#no-providers")).ToBeVisibleAsync();
        await FitsThePhoneAsync(page);
        await page.ClickAsync("#add-provider");
        await page.FillAsync("#q", "granite");
        await page.ClickAsync("#search");
        await Expect(page.Locator("#search-results")).ToContainTextAsync($"independently assessed by {DemoWorkspace.AssessorName}");
        await FitsThePhoneAsync(page);
        await page.ClickAsync($"a[aria-label='Link {DemoWorkspace.MspName}']");
        await Expect(page.Locator("#linked")).ToContainTextAsync(DemoWorkspace.MspName);
        await Expect(page.Locator("#name")).ToHaveValueAsync(DemoWorkspace.MspName);
        await page.CheckAsync("#service-on-premises-it");
        await page.CheckAsync("#service-microsoft-365");
        await page.CheckAsync("#tool-kaseya-vsa");
        await page.CheckAsync("#access-admin-all-endpoints");
        await page.FillAsync("#endpoints", "nine");
        await page.ClickAsync("#save-provider");
        // A wrong entry is named beside its field; fixed, the provider is added.
        await Expect(page.Locator("#error-endpoints")).ToContainTextAsync("the number of computers must be a whole number");
        await FitsThePhoneAsync(page);
        await page.FillAsync("#endpoints", "9");
        await page.ClickAsync("#save-provider");
        await Expect(page.Locator("#message")).ToHaveTextAsync($"Added {DemoWorkspace.MspName}.");
        var card = page.Locator("#providers li.card").First;
        await Expect(card).ToContainTextAsync("Independently assessed.");
        await Expect(card).ToContainTextAsync($"by {DemoWorkspace.AssessorName}; letter valid until");
        await Expect(card).ToContainTextAsync("Kaseya VSA");
        await FitsThePhoneAsync(page);
        await browser.ShotAsync(page, "providers-390");

        await page.GotoAsync(server.Url("/supply-chain"));
        var effective = int.Parse(await page.Locator("#effective-score").InnerTextAsync());
        var ownScore = int.Parse(await page.Locator("#own-score").InnerTextAsync());
        Assert.True(effective > ownScore, $"linked, the provider's letter counts for the practice ({ownScore} → {effective})");
        await Expect(page.Locator("#relationships")).ToContainTextAsync("Independently assessed.");
        await Expect(page.Locator("#inherited")).ToContainTextAsync("covered: their letter confirms it");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("no-status");
        await FitsThePhoneAsync(page);

        // The assessor firm withdraws the letter.
        await using var firm = await Browser.LaunchAsync($"provider-journey-firm-{provider}".ToLowerInvariant());
        var assessor = await firm.PageAsync();
        await server.SignInAsync(assessor, "lead@northgate.example", DemoWorkspace.Password);
        await assessor.GotoAsync(server.Url($"/supply-chain/letters/{demo.Letter}/revoke"));
        await assessor.FillAsync("#reason", "Scope was misstated");
        await assessor.ClickAsync("#revoke-confirm");
        await Expect(assessor.Locator("#revoked")).ToBeVisibleAsync();

        // The practice's pages say so in words: the score, the provider's verdict, and the notice with what to do.
        await page.GotoAsync(server.Url("/supply-chain"));
        await Expect(page.Locator(".notice").First).ToContainTextAsync($"{DemoWorkspace.MspName}'s assessment letter was withdrawn (revoked)");
        Assert.True(int.Parse(await page.Locator("#effective-score").InnerTextAsync()) < effective);
        await Expect(page.Locator("#inherited")).ToContainTextAsync("not confirmed: their letter was revoked");
        await FitsThePhoneAsync(page);
        await page.GotoAsync(server.Url("/supply-chain/providers"));
        await Expect(card).ToContainTextAsync("Its letter was revoked.");
        await Expect(card).ToContainTextAsync("Scope was misstated");
        await page.GotoAsync(server.Url("/supply-chain/notices"));
        var notice = page.Locator("article.notice").First;
        await Expect(notice).ToContainTextAsync($"{DemoWorkspace.MspName}'s letter was withdrawn (revoked)");
        await Expect(notice).ToContainTextAsync("Reason given by the assessor: Scope was misstated");
        await Expect(notice).ToContainTextAsync("What to do now");
        await Expect(notice.Locator(".requirements-lost li").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^3\.\d+\.\d+ \S.+"));
        await FitsThePhoneAsync(page);
        await browser.ShotAsync(page, "notice-390");

        // Removing the provider asks first and says what changes.
        await page.GotoAsync(server.Url("/supply-chain/providers"));
        await page.ClickAsync($"a[aria-label='Remove {DemoWorkspace.MspName}']");
        await Expect(page.Locator("#remove-warning")).ToContainTextAsync("This changes your records, not the provider's access.");
        await Expect(page.Locator("#effect-reach")).ToContainTextAsync("9 computers");
        await FitsThePhoneAsync(page);
    }
}
