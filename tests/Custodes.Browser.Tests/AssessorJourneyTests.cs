using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

public sealed class AssessorJourneyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    private static string Code(string secret, int offset) => Totp.Compute(Base32.Decode(secret), Totp.StepAt(DateTimeOffset.UtcNow) + offset);

    private static ILocator ById(IPage page, string id) => page.Locator($"[id='{id}']");

    /// <summary>Opens a requirement's section (and its family's) as a person would, by clicking their summaries.</summary>
    private static async Task OpenAsync(IPage page, string requirement)
    {
        var family = page.Locator($"details.family:has([id='r-{requirement}'])");
        if (await family.GetAttributeAsync("open") is null) await family.Locator("summary").First.ClickAsync();
        var details = ById(page, "r-" + requirement);
        if (await details.GetAttributeAsync("open") is null) await details.Locator("summary").First.ClickAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_assessor_signs_up_enrols_MFA_signs_in_again_assesses_uploads_evidence_and_exports(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        await using var browser = await Browser.LaunchAsync($"journey-{provider}".ToLowerInvariant());
        var page = await browser.PageAsync();
        var email = "ana@northgate.example";

        await page.GotoAsync(server.Url("/account/sign-up"));
        await browser.ShotAsync(page, "sign-up");
        await page.FillAsync("#email", email);
        await page.FillAsync("#name", "Ana Assessor");
        await page.FillAsync("#password", AppServer.Password);
        await page.FillAsync("#org", "Northgate Security Assessors LLC");
        await page.CheckAsync("input[name=Kind][value=assessor]");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/settings/security?welcome=1");

        await page.ClickAsync("text=Set up multi-factor sign-in");
        var secret = (await page.Locator("#totp-secret").InnerTextAsync()).Trim();
        await Expect(page.Locator(".qr img")).ToBeVisibleAsync();
        await browser.ShotAsync(page, "mfa-enrol");
        await page.FillAsync("#confirm-code", Code(secret, 0));
        await page.ClickAsync("text=Turn on multi-factor sign-in");
        await Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await browser.ShotAsync(page, "recovery-codes");

        await page.ClickAsync("header button:has-text('Sign out')");
        await page.WaitForURLAsync("**/account/sign-in");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", AppServer.Password);
        await page.ClickAsync("main button[type=submit]");
        await page.WaitForURLAsync("**/account/sign-in/code**");
        await browser.ShotAsync(page, "sign-in-code");
        // The enrolment code was for this step and cannot be replayed: the next step's code is accepted (one step of drift).
        await page.FillAsync("#code", Code(secret, 1));
        await page.ClickAsync("main button[type=submit]");
        await Expect(page.Locator("h1")).ToContainTextAsync("Northgate");
        await browser.ShotAsync(page, "dashboard-empty");

        await page.GotoAsync(server.Url("/assessments/import"));
        await page.SetInputFilesAsync("#file", Path.Combine(Samples, "example-msp.json"));
        await page.ClickAsync("main form button:has-text('Import')");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Granite Peak Managed IT LLC");
        var panel = page.Locator("#score-panel");
        await Expect(panel).ToContainTextAsync("103 of 110");
        await browser.ShotAsync(page, "workspace");

        // A requirement-level determination: saved in the background, the score panel refreshes.
        await OpenAsync(page, "3.1.1");
        await ById(page, "s-3.1.1").SelectOptionAsync("not-met");
        await ById(page, "n-3.1.1").FillAsync("Shared local admin account on the RMM server.");
        await ById(page, "r-3.1.1").Locator("button:has-text('Save 3.1.1')").ClickAsync();
        await Expect(panel).ToContainTextAsync("98 of 110");
        await Expect(ById(page, "b-3.1.1")).ToHaveTextAsync("Not met");

        // Objective level: the requirement follows its objectives.
        await OpenAsync(page, "3.1.2");
        await ById(page, "s-3.1.2").SelectOptionAsync("unassessed");
        await ById(page, "s-3.1.2[a]").SelectOptionAsync("met");
        await ById(page, "s-3.1.2[b]").SelectOptionAsync("not-met");
        await ById(page, "r-3.1.2").Locator("button:has-text('Save 3.1.2')").ClickAsync();
        await Expect(panel).ToContainTextAsync("93 of 110");
        await Expect(ById(page, "b-3.1.2")).ToHaveTextAsync("Not met");

        // Evidence, uploaded with progress by the page's script.
        await ById(page, "e-3.1.1").SetInputFilesAsync(Path.Combine(Samples, "evidence", "access-review-2026q3.txt"));
        await ById(page, "r-3.1.1").Locator("button:has-text('Upload')").ClickAsync();
        await Expect(ById(page, "r-3.1.1").Locator("ul.evidence")).ToContainTextAsync("access-review-2026q3.txt");
        await browser.ShotAsync(page, "workspace-after-changes");

        // A save after the evidence upload still carries the current version (the page updated it).
        await ById(page, "s-3.1.1").SelectOptionAsync("met");
        await ById(page, "r-3.1.1").Locator("button:has-text('Save 3.1.1')").ClickAsync();
        await Expect(panel).ToContainTextAsync("98 of 110");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-json"));
        var exported = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.json");
        await download.SaveAsAsync(exported);
        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(exported)))
        {
            Assert.Equal("met", json.RootElement.GetProperty("requirements").GetProperty("3.1.1").GetProperty("status").GetString());
            Assert.Equal("not-met", json.RootElement.GetProperty("objectives").GetProperty("3.1.2[b]").GetString());
            Assert.StartsWith("sha256:", json.RootElement.GetProperty("requirements").GetProperty("3.1.1").GetProperty("evidence")[0].GetString());
        }
        File.Delete(exported);

        var workspace = page.Url;
        foreach (var (path, name, heading) in new[]
                 {
                     ("/poam", "poam", "Plan of action and milestones"), ("/history", "history", "History"), ("/diff", "compare", "Compare assessments"), ("/shares", "sharing", "Sharing"),
                 })
        {
            await page.GotoAsync(workspace + path);
            await Expect(page.Locator("h1")).ToHaveTextAsync(heading);
            await browser.ShotAsync(page, name);
        }
        foreach (var (path, name) in new[] { ("/", "dashboard"), ("/members", "members"), ("/audit", "audit"), ("/settings/security", "security"), ("/settings/api-keys", "api-keys") })
        {
            await page.GotoAsync(server.Url(path));
            await browser.ShotAsync(page, name);
        }
        await page.FillAsync("#key-name", "nightly export");
        await page.ClickAsync("text=Create key");
        var key = (await page.Locator("#new-key").InnerTextAsync()).Trim();
        using var api = new HttpClient { BaseAddress = new Uri(server.Address) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var list = JsonDocument.Parse(await api.GetStringAsync("/api/v1/assessments"));
        Assert.Equal(1, list.RootElement.GetProperty("items").GetArrayLength());

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(workspace);
        await browser.ShotAsync(page, "workspace-phone");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Without_JavaScript_a_determination_saves_by_reloading_the_page(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var (_, email, key) = await server.NewAccountAsync("Northgate", "assessor");
        using var api = server.Api(key);
        var id = await AppServer.ImportExampleAsync(api);

        await using var browser = await Browser.LaunchAsync($"nojs-{provider}".ToLowerInvariant(), javaScript: false);
        var page = await browser.PageAsync();
        await server.SignInAsync(page, email);
        await page.GotoAsync(server.Url($"/assessments/{id}"));
        await OpenAsync(page, "3.13.1");
        await ById(page, "s-3.13.1").SelectOptionAsync("not-met");
        await ById(page, "r-3.13.1").Locator("button:has-text('Save 3.13.1')").ClickAsync();
        await page.WaitForURLAsync("**saved=3.13.1**");
        await Expect(page.Locator("#score-panel")).ToContainTextAsync("98 of 110");
        await browser.ShotAsync(page, "saved-without-js");

        // A second tab's form still carries the old version: the save is refused and says why.
        await api.PutAsync($"/api/v1/assessments/{id}/determinations/3.13.2", new StringContent("{\"status\": \"not-met\"}", Encoding.UTF8, "application/json"));
        await OpenAsync(page, "3.13.1");
        await ById(page, "s-3.13.1").SelectOptionAsync("met");
        await ById(page, "r-3.13.1").Locator("button:has-text('Save 3.13.1')").ClickAsync();
        await Expect(page.Locator("#page-error")).ToContainTextAsync("changed since you opened it");
        await browser.ShotAsync(page, "stale-save");
        var score = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/assessments/{id}/score"));
        Assert.Equal("not-met", score.RootElement.GetProperty("requirements").GetProperty("3.13.1").GetString());
    }
}
