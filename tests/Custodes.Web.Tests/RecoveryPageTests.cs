using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>The recovery pages on the demo (contracts §13), through HTTP, on both databases: the MSP's schedule, its forms, the practice's dashboard line.</summary>
public sealed class RecoveryPageTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_msp_sees_who_has_no_way_back_and_what_would_shorten_the_restore(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        await Demo.EnsureAsync(server.Installation);
        using var msp = server.Session();
        await msp.SignInAsync("admin@granitepeak.example", DemoWorkspace.Password);

        var (status, html, _) = await msp.GetAsync("/supply-chain/recovery");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<svg class=\"chart gantt\"", html);
        Assert.Contains("<svg class=\"chart cumulative\"", html);
        // 43 customers behind the VSA; Bayside's backup is a NAS run through Granite Peak's console, and eight practices have none.
        Assert.Contains("<strong>43</strong> organizations are encrypted at once", html);
        Assert.Contains("id=\"critical-bayside-dentistry\"", html);
        Assert.Contains("the attacker can delete it with Granite Peak Managed IT LLC&#x27;s own tools", html);
        Assert.Contains("id=\"critical-practice-01\"", html);
        Assert.DoesNotContain("id=\"critical-smile-dental\"", html);
        Assert.Contains("<td>One more crew</td>", html);
        Assert.Contains("<td>Critical backups fixed</td>", html);

        // A surge partner typed into the what-if form shortens the makespan.
        var (_, surge, _) = await msp.GetAsync("/supply-chain/recovery?provider=granite-peak&partner=Rapid+IR&partnerCrews=10&partnerDelay=4");
        Assert.Contains("Rapid IR: 10 crews joining after 4 hours", surge);
        var (_, bad, _) = await msp.GetAsync("/supply-chain/recovery?provider=granite-peak&partnerCrews=0&partnerDelay=4");
        Assert.Contains("The surge partner&#x27;s crews must be a number from 1 to 10000.", bad);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_forms_change_capacity_and_backup_and_refuse_bad_values_naming_the_field(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        await Demo.EnsureAsync(server.Installation);
        using var msp = server.Session();
        await msp.SignInAsync("admin@granitepeak.example", DemoWorkspace.Password);
        const string capacity = "/supply-chain/recovery/capacity?provider=granite-peak";
        var (_, form, _) = await msp.GetAsync(capacity);
        Assert.Contains("value=\"Summit Incident Response\"", form);

        var refused = await msp.PostFormAsync(capacity, [new("Form.Version", "1"), new("Form.Crews", "three"), new("Form.HoursPerEndpoint", "1.5"), new("Form.HoursPerServer", "6")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Contains("The number of crews must be a whole number, found &#x27;three&#x27;.", refusedHtml);
        Assert.Contains("id=\"crews\" name=\"Form.Crews\" value=\"three\" inputmode=\"numeric\" aria-describedby=\"crews-hint\" aria-invalid=\"true\"", refusedHtml);

        var zero = await msp.PostFormAsync(capacity, [new("Form.Version", "1"), new("Form.Crews", "0")]);
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("Expected from 1 to 10000 crews, found 0.", await zero.Content.ReadAsStringAsync());

        var saved = await msp.PostFormAsync(capacity, [new("Form.Version", "1"), new("Form.Crews", "6"), new("Form.HoursPerEndpoint", "1,5"), new("Form.HoursPerServer", "6"),
            new("Form.SurgeName[0]", "Summit Incident Response"), new("Form.SurgeCrews[0]", "3"), new("Form.SurgeDelay[0]", "36"), new("Form.Priority", "bayside-dentistry")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/supply-chain/recovery?provider=granite-peak&saved=2", saved.Headers.Location!.OriginalString);
        var (_, after, _) = await msp.GetAsync("/supply-chain/recovery?provider=granite-peak&saved=2");
        Assert.Contains("states 6 crews", after);
        Assert.Contains("<tr id=\"row-bayside-dentistry\"><td>1</td>", after);

        // A form opened on version 1 is now stale: refused, nothing overwritten.
        var stale = await msp.PostFormAsync(capacity, [new("Form.Version", "1"), new("Form.Crews", "1")]);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("the portfolio changed since you opened it", await stale.Content.ReadAsStringAsync());

        const string backup = "/supply-chain/recovery/backup?customer=bayside-dentistry&provider=granite-peak";
        var badDate = await msp.PostFormAsync(backup, [new("Form.Version", "2"), new("Form.Servers", "1"), new("Form.HasBackup", "true"), new("Form.LastRestoreTest", "last week")]);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("aria-invalid=\"true\"", await badDate.Content.ReadAsStringAsync());
        var fixedBackup = await msp.PostFormAsync(backup, [new("Form.Version", "2"), new("Form.Servers", "1"), new("Form.HasBackup", "true"), new("Form.Immutable", "true"),
            new("Form.Offsite", "true"), new("Form.LastRestoreTest", DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd")), new("Form.Holder", "cloudvault")]);
        Assert.Equal(HttpStatusCode.Redirect, fixedBackup.StatusCode);
        var (_, fixedPage, _) = await msp.GetAsync("/supply-chain/recovery?provider=granite-peak");
        Assert.DoesNotContain("id=\"critical-bayside-dentistry\"", fixedPage);

        // A viewer may read the schedule but not change it.
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var demo = await Demo.EnsureAsync(server.Installation);
        await accounts.CreateUserAsync("viewer@granitepeak.example", demo.MspOrganization, Application.Roles.Viewer, RunningServer.Password, "test");
        using var viewer = server.Session();
        await viewer.SignInAsync("viewer@granitepeak.example");
        var (viewerStatus, viewerHtml, _) = await viewer.GetAsync("/supply-chain/recovery");
        Assert.Equal(HttpStatusCode.OK, viewerStatus);
        Assert.DoesNotContain("id=\"edit-capacity\"", viewerHtml);
        var forbidden = await viewer.PostFormAsync(capacity, [new("Form.Version", "3"), new("Form.Crews", "9")]);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_practice_dashboard_says_how_long_it_would_wait_and_its_backups(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        await Demo.EnsureAsync(server.Installation);
        using var practice = server.Session();
        await practice.SignInAsync("office@smiledental.example", DemoWorkspace.Password);
        var (_, dashboard, _) = await practice.GetAsync("/");
        Assert.Contains("id=\"recovery-outlook\"", dashboard);
        // Smile Dental: 14 computers × 1.5 h + 1 server × 6 h = 27 h on Granite Peak's first crew: 2 days.
        Assert.Contains("If Granite Peak Managed IT LLC were hit today", dashboard);
        Assert.Contains("you would wait about <strong>2 days</strong> (27 hours)", dashboard);
        Assert.Contains("Your backups: a tested, immutable, offsite copy (last restore test", dashboard);

        // The insurer's questions rest on the same facts.
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var demo = await Demo.EnsureAsync(server.Installation);
        var (_, key) = await accounts.CreateApiKeyAsync("office@smiledental.example", demo.CustomerOrganizations[0], "test", [], "test");
        var json = await server.Client(key).GetFromJsonAsync<JsonElement>("/api/v1/questionnaires/cyber-insurance-msp");
        var answer = json.GetProperty("answers").EnumerateArray().Single(a => a.GetProperty("question_id").GetString() == "backups-protected");
        Assert.Equal("yes", answer.GetProperty("proposed").GetString());
        Assert.Contains("immutable, offsite, run by cloudvault", answer.GetProperty("evidence")[0].GetString());
    }
}
