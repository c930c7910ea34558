using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

/// <summary>Issue 14's journey in real browsers: the MSP asks, the firm accepts and assesses, a second member reviews, the lead issues, the MSP and /verify see the letter.</summary>
public sealed class EngagementJourneyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Msp = "Granite Peak Managed IT LLC";
    private const string Firm = "Northgate Security Assessors LLC";

    [Theory, MemberData(nameof(Providers))]
    public async Task An_MSP_asks_a_firm_which_accepts_assesses_reviews_and_issues_and_the_MSP_and_verify_see_the_letter(DatabaseProvider provider)
    {
        var kek = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var server = await AppServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Keys:EncryptionKey"] = kek });
        var (_, mspEmail, _) = await server.NewAccountAsync(Msp, OrganizationKinds.Msp);
        var (firm, leadEmail, leadKey) = await server.NewAccountAsync(Firm, OrganizationKinds.Assessor);
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        await accounts.CreateUserAsync("assessor@northgate.example", firm, Roles.Assessor, AppServer.Password, "test");
        await accounts.CreateUserAsync("qa@northgate.example", firm, Roles.Assessor, AppServer.Password, "test");
        // The firm's assessment of the MSP (its findings, with methods, recorded in its workspace) and the firm's signing key held by the installation.
        using var firmApi = server.Api(leadKey);
        var assessment = await AppServer.ImportExampleAsync(firmApi);
        (await firmApi.PostAsync("/api/v1/firm-key", null)).EnsureSuccessStatusCode();

        // The MSP asks the firm.
        await using var mspBrowser = await Browser.LaunchAsync($"engagement-msp-{provider}".ToLowerInvariant());
        var msp = await mspBrowser.PageAsync();
        await server.SignInAsync(msp, mspEmail);
        await msp.ClickAsync("nav >> text=Engagements");
        await msp.FillAsync("#firm", Firm);
        await msp.SelectOptionAsync("#framework", "nist-sp800-171r2");
        await msp.FillAsync("#scope", "Head office, 42 endpoints and the Microsoft 365 tenant");
        await msp.FillAsync("#target-date", DateTime.UtcNow.AddDays(45).ToString("yyyy-MM-dd"));
        await msp.ClickAsync("#request-form button[type=submit]");
        await Expect(msp.Locator("#stage")).ToHaveTextAsync("Requested, waiting for the firm");
        var engagement = msp.Url[(msp.Url.LastIndexOf('/') + 1)..];
        await mspBrowser.ShotAsync(msp, "engagement-requested");

        // The lead accepts, confirming independence and naming the team, links the assessment and moves to fieldwork and QA.
        await using var leadBrowser = await Browser.LaunchAsync($"engagement-lead-{provider}".ToLowerInvariant());
        var lead = await leadBrowser.PageAsync();
        await server.SignInAsync(lead, leadEmail);
        await lead.GotoAsync(server.Url("/engagements"));
        await lead.ClickAsync($"a[href='/engagements/{engagement}']");
        await lead.ClickAsync("#accept-form button[type=submit]");
        await Expect(lead.Locator("[role=alert]")).ToContainTextAsync("confirm every part of the independence statement");
        foreach (var box in new[] { "noOwnership", "notDesigned", "feeNotContingent" }) await lead.CheckAsync($"input[name={box}]");
        await lead.CheckAsync("#accept-form input[name=assessors] >> nth=0");
        await lead.ClickAsync("#accept-form button[type=submit]");
        await Expect(lead.Locator("#stage")).ToHaveTextAsync("Accepted");
        await lead.SelectOptionAsync("#assessment", assessment.ToString());
        await lead.ClickAsync("#link-form button[type=submit]");
        await lead.ClickAsync("#next-form button");
        await Expect(lead.Locator("#stage")).ToContainTextAsync("Preparation");
        await lead.ClickAsync("#next-form button");
        await Expect(lead.Locator("#stage")).ToContainTextAsync("Fieldwork");

        // The MSP reads the firm's assessment but cannot change it.
        await msp.ReloadAsync();
        await msp.ClickAsync("text=Open the firm's assessment");
        await Expect(msp.Locator("main")).ToContainTextAsync(Msp);

        await lead.ClickAsync("#next-form button");
        await Expect(lead.Locator("#stage")).ToHaveTextAsync("Quality review");
        await Expect(lead.Locator("main")).ToContainTextAsync("A member of the firm other than you signs off the quality review first.");

        // A second member of the firm signs off the quality review.
        await using var qaBrowser = await Browser.LaunchAsync($"engagement-qa-{provider}".ToLowerInvariant());
        var qa = await qaBrowser.PageAsync();
        await server.SignInAsync(qa, "qa@northgate.example");
        await qa.GotoAsync(server.Url($"/engagements/{engagement}"));
        await qa.ClickAsync("#qa-form button");
        await Expect(qa.Locator("#qa")).ToContainTextAsync("qa@northgate.example");

        // The lead turns on an authenticator, then issues with its current code (the page asks before signing).
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Totp.SecretBytes);
        await using (var db = server.Installation.OpenDb())
        {
            var user = await db.Users.FirstAsync(u => u.Email == leadEmail);
            (user.TotpSecret, user.MfaEnabled) = (Base32.Encode(secret), true);
            await db.SaveChangesAsync();
        }
        await lead.ReloadAsync();
        lead.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await lead.FillAsync("#code", "000000");
        await lead.ClickAsync("#issue-form button[type=submit]");
        await Expect(lead.Locator("[role=alert]")).ToContainTextAsync("that code is not right");
        await lead.FillAsync("#code", Totp.Compute(secret, Totp.StepAt(DateTimeOffset.UtcNow)));
        await lead.ClickAsync("#issue-form button[type=submit]");
        await Expect(lead.Locator("#verdict strong")).ToHaveTextAsync("Valid");
        var letter = lead.Url[(lead.Url.LastIndexOf('/') + 1)..];
        await leadBrowser.ShotAsync(lead, "engagement-letter");

        // The MSP sees the letter at once, on the engagement and its dashboard; /verify says it is genuine.
        await msp.GotoAsync(server.Url($"/engagements/{engagement}"));
        await Expect(msp.Locator("#stage")).ToHaveTextAsync("Letter issued");
        await Expect(msp.Locator("#letter-link")).ToHaveAttributeAsync("href", $"/letters/{letter}");
        await msp.GotoAsync(server.Url("/"));
        await Expect(msp.Locator("#dashboard-engagements")).ToContainTextAsync("View the letter");
        await mspBrowser.ShotAsync(msp, "engagement-dashboard");
        using var http = new HttpClient();
        var bundle = await http.GetByteArrayAsync(server.Url($"/api/v1/letters/{letter}"));
        await msp.GotoAsync(server.Url("/verify"));
        await msp.SetInputFilesAsync("#file", new FilePayload { Name = "letter.json", MimeType = "application/json", Buffer = bundle });
        await msp.ClickAsync("button[type=submit]");
        await Expect(msp.Locator("#verdict strong")).ToHaveTextAsync("Genuine and valid");
        Assert.Contains("\"lead_assessor\"", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(
            System.Text.Json.JsonDocument.Parse(bundle).RootElement.GetProperty("envelope").GetProperty("payload").GetString()!)));
    }
}
