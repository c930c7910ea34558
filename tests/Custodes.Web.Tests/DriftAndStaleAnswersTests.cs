using System.Net;
using System.Text.RegularExpressions;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Application.Watch;
using Custodes.Testing;
using Custodes.Watch.Detection;
using Microsoft.Extensions.Time.Testing;

namespace Custodes.Web.Tests;

/// <summary>Issue 18's posture drift and issue 20's stale answers, as the demo's practice, MSP and assessor see them.</summary>
public sealed class DriftAndStaleAnswersTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static string VersionIn(string html) => Regex.Match(html, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_critical_alert_open_two_days_shows_as_posture_drift_to_the_practice_the_assessor_and_on_the_alert(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        var twoDaysAgo = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2));
        var (alert, _) = await new AlertStore(server.Installation, new AuditTrail(TimeProvider.System), twoDaysAgo).SaveAsync(demo.MspOrganization, null, new Alert
        {
            Rule = RuleIds.BackupDestruction, Severity = Severity.Critical, Msp = "granite-peak", Actor = "tech-jordan", Tenants = ["smile-dental"],
            FirstSeen = twoDaysAgo.GetUtcNow(), LastSeen = twoDaysAgo.GetUtcNow(), EventCount = 3, Summary = "vssadmin delete shadows on 1 tenant",
        }, [], growing: false);

        using var practice = server.Session();
        await practice.SignInAsync("office@smiledental.example", DemoWorkspace.Password);
        var (_, home, _) = await practice.GetAsync("/");
        Assert.Contains("id=\"posture-drift\"", home);
        Assert.Contains($"{DemoWorkspace.MspName}: Backups deleted", home);
        Assert.Contains("<strong class=\"requirement\">3.8.9</strong>", home);
        Assert.Contains($"ask {DemoWorkspace.MspName} what happened", home);
        Assert.DoesNotContain("tech-jordan", home);

        using var assessor = server.Session();
        await assessor.SignInAsync("lead@northgate.example", DemoWorkspace.Password);
        var (_, letters, _) = await assessor.GetAsync("/supply-chain/letters");
        Assert.Contains("Posture drift since your letters", letters);
        Assert.Contains($"id=\"drift-{demo.Letter}\"", letters);
        Assert.Contains("3.8.9 (backups or recovery points were deleted or switched off)", letters);

        using var msp = server.Session();
        await msp.SignInAsync("admin@granitepeak.example", DemoWorkspace.Password);
        var (_, page, _) = await msp.GetAsync($"/watch/alerts/{alert.Id}");
        Assert.Contains("id=\"requirements\"", page);
        Assert.Contains("<strong class=\"requirement\">3.8.9</strong>", page);
        var resolved = await msp.PostFormAsync($"/watch/alerts/{alert.Id}", [new("version", VersionIn(page)), new("note", "restored from offsite copy")], $"/watch/alerts/{alert.Id}?handler=resolve");
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        // Resolving ends this drift (the demo's own open mfa-disabled alert may still show as drift of its own).
        Assert.DoesNotContain($"data-rule=\"{RuleIds.BackupDestruction}\"", (await practice.GetAsync("/")).Html);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task After_the_providers_letter_is_revoked_the_signed_questionnaire_says_out_of_date_in_its_page_the_list_and_the_notice(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        using var practice = server.Session();
        await practice.SignInAsync("office@smiledental.example", DemoWorkspace.Password);
        var proposal = "/supply-chain/questionnaires?template=cyber-insurance-msp";
        var saved = await practice.PostFormAsync(proposal, [new("template", "cyber-insurance-msp")], "/supply-chain/questionnaires?handler=save");
        var page = saved.Headers.Location!.ToString();
        var (_, draft, _) = await practice.GetAsync(page);
        var questions = Regex.Matches(draft, "name=\"a_([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        var reviewed = await practice.PostFormAsync(page, [.. questions.Select(q => new KeyValuePair<string, string>($"a_{q}", "accept")), new("version", VersionIn(draft))], page + "?handler=review");
        var signed = await practice.PostFormAsync(page, [new("version", VersionIn(await reviewed.Content.ReadAsStringAsync())), new("confirm", "true")], page + "?handler=signoff");
        var signedHtml = await signed.Content.ReadAsStringAsync();
        Assert.Contains("Signed off", signedHtml);
        Assert.DoesNotContain("id=\"out-of-date\"", signedHtml);

        using var assessor = server.Session();
        await assessor.SignInAsync("lead@northgate.example", DemoWorkspace.Password);
        var revoke = await assessor.PostFormAsync($"/supply-chain/letters/{demo.Letter!.Value}/revoke", [new("reason", "MFA was not enforced")]);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        var (_, stale, _) = await practice.GetAsync(page);
        Assert.Contains("id=\"out-of-date\"", stale);
        Assert.Contains($"{DemoWorkspace.MspName}&#x27;s attestation letter", stale);
        Assert.Contains("data-question=\"msp-mfa\"", stale);
        Assert.Contains("id=\"revise-from-current-facts\"", stale);
        var (_, list, _) = await practice.GetAsync("/supply-chain/questionnaires");
        Assert.Contains("class=\"badge out-of-date\"", list);
        var (_, notices, _) = await practice.GetAsync("/supply-chain/notices");
        Assert.Contains("Questionnaires now out of date", notices);

        var revised = await practice.PostFormAsync(page, [], page + "?handler=revise");
        Assert.Equal(HttpStatusCode.Redirect, revised.StatusCode);
        var (_, revision, _) = await practice.GetAsync(revised.Headers.Location!.ToString());
        Assert.Contains("revision 2", revision);
        Assert.Contains("answers proposed again from the current facts", revision);
        var (_, original, _) = await practice.GetAsync(page);
        Assert.Contains("id=\"continue-revision\"", original);
        Assert.Contains("what is stored still hashes to it", original);
    }
}
