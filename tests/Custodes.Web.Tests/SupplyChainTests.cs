using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Application.Evidence;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Organizations;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Custodes.Web.Tests;

/// <summary>The supply-chain journey of issue 6 on the demo workspace, through HTTP, on both databases.</summary>
public sealed class SupplyChainTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static async Task<(DemoSummary Demo, HttpClient Practice)> DemoAsync(RunningServer server)
    {
        var demo = await Demo.EnsureAsync(server.Installation);
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var (_, key) = await accounts.CreateApiKeyAsync("office@smiledental.example", demo.CustomerOrganizations[0], "test", [], "test");
        return (demo, server.Client(key));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_practice_inherits_from_its_attested_msp_and_a_revocation_drops_its_score_with_a_notice(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (demo, practice) = await DemoAsync(server);

        var before = await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/inheritance");
        var own = before.GetProperty("own_score").GetInt32();
        var effective = before.GetProperty("score").GetInt32();
        Assert.True(effective > own, $"inheriting from the attested MSP raises the score ({own} → {effective})");
        Assert.True(before.GetProperty("inheritance").GetProperty("holding").GetInt32() > 0);

        using var session = server.Session();
        await session.SignInAsync("office@smiledental.example", DemoWorkspace.Password);
        var (status, html, _) = await session.GetAsync("/supply-chain");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<svg class=\"chart portfolio-graph\"", html);
        Assert.Contains(DemoWorkspace.BackupProviderName, html);
        Assert.Contains($"<strong id=\"effective-score\">{effective}</strong>", html);
        // Every requirement id a customer sees links to its text, the full text as a tooltip, and the link leads to that text.
        Assert.Contains("<a class=\"requirement\" href=\"/requirements/3.8.9\" title=\"", html);
        var (requirementStatus, requirementHtml, _) = await session.GetAsync("/requirements/3.8.9");
        Assert.Equal(HttpStatusCode.OK, requirementStatus);
        Assert.Contains("backup", requirementHtml, StringComparison.OrdinalIgnoreCase);
        // The blast radius page reads the graph alone: its provider list and the what-if of the most concentrated provider or tool.
        var (radiusStatus, radiusHtml, _) = await session.GetAsync("/supply-chain/blast-radius");
        Assert.Equal(HttpStatusCode.OK, radiusStatus);
        Assert.Contains("<h2 id=\"what-if\">If ", radiusHtml);
        Assert.Contains(DemoWorkspace.BackupProviderName, radiusHtml);

        using var assessor = server.Session();
        await assessor.SignInAsync("lead@northgate.example", DemoWorkspace.Password);
        var revoke = await assessor.PostFormAsync($"/supply-chain/letters/{demo.Letter!.Value}/revoke", [new("reason", "Scope was misstated")]);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Contains("1 customer organization(s)", await revoke.Content.ReadAsStringAsync());

        // Requirements the MSP alone was responsible for are now not met (the practice cannot count them), so the score drops below the effective one.
        var dropped = (await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/inheritance")).GetProperty("score").GetInt32();
        Assert.True(dropped < effective, $"the revocation drops the score ({effective} → {dropped})");
        var notices = await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/notices");
        var notice = Assert.Single(notices.EnumerateArray());
        Assert.Equal("revoked", notice.GetProperty("change").GetString());
        Assert.Equal(effective, notice.GetProperty("score_before").GetInt32());
        Assert.Equal(dropped, notice.GetProperty("score_after").GetInt32());
        Assert.Equal("granite-peak", notice.GetProperty("provider").GetString());
        Assert.Equal(demo.Letter.Value, notice.GetProperty("letter_id").GetGuid());
        Assert.Contains("3.8.9", notice.GetProperty("requirements_lost").EnumerateArray().Select(r => r.GetString()));

        var (_, dashboard, _) = await session.GetAsync("/");
        Assert.Contains("Supply chain: Granite Peak Managed IT LLC's letter was revoked", dashboard);
        var (_, noticePage, _) = await session.GetAsync("/supply-chain/notices");
        Assert.Contains("Scope was misstated", noticePage);
        Assert.Contains("<li><a class=\"requirement\" href=\"/requirements/3.8.9\"", noticePage);

        var xlsx = await practice.GetAsync("/api/v1/questionnaires/cyber-insurance-msp?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal((byte)'P', (await xlsx.Content.ReadAsByteArrayAsync())[0]);
        var json = await practice.GetFromJsonAsync<JsonElement>("/api/v1/questionnaires/cyber-insurance-msp");
        Assert.Equal(12, json.GetProperty("answers").GetArrayLength());
        Assert.Contains(json.GetProperty("answers").EnumerateArray(), a => a.GetProperty("evidence").GetArrayLength() > 0);

        var audit = await new AuditLog(server.Installation, new AuditTrail(TimeProvider.System)).ListAsync(demo.CustomerOrganizations[0], new AuditFilter(), 0, 200);
        Assert.Contains(audit, e => e.Action == "supply-chain.notice");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Editing_the_attested_assessment_after_issuance_changes_nothing_customers_inherit_and_the_firm_sees_what_changed(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (demo, practice) = await DemoAsync(server);
        var before = await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/inheritance");

        // 3.8.9 is met in the attested assessment and the practice inherits it from the MSP; the firm edits its stored copy afterwards.
        using var firm = server.Client(demo.ApiKey!);
        var edited = await firm.PutAsJsonAsync($"/api/v1/assessments/{demo.Assessment}/determinations/3.8.9", new { status = "not-met", note = "backups found unencrypted after the letter" });
        Assert.Equal(HttpStatusCode.NoContent, edited.StatusCode);
        var stored = await firm.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{demo.Assessment}/score");
        Assert.Equal("not-met", stored.GetProperty("requirements").GetProperty("3.8.9").GetString());

        var after = await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/inheritance");
        Assert.Equal(before.GetProperty("score").GetInt32(), after.GetProperty("score").GetInt32());
        Assert.Equal(before.GetProperty("inheritance").GetProperty("holding").GetInt32(), after.GetProperty("inheritance").GetProperty("holding").GetInt32());

        using var session = server.Session();
        await session.SignInAsync("lead@northgate.example", DemoWorkspace.Password);
        var (_, letters, _) = await session.GetAsync("/supply-chain/letters");
        Assert.Contains("changed: 1 requirement(s)", letters);
        Assert.Contains("(3.8.9)", letters);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_letter_whose_copy_of_the_attested_assessment_does_not_match_its_signature_covers_nothing(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (demo, practice) = await DemoAsync(server);
        var own = (await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/inheritance")).GetProperty("own_score").GetInt32();

        await using (var db = server.Installation.OpenDb())
        {
            var letter = await db.Letters.FindAsync(demo.Letter!.Value);
            var copy = Encoding.UTF8.GetString(letter!.AttestedAssessment!);
            letter.AttestedAssessment = Encoding.UTF8.GetBytes(copy.Replace("\"not-met\"", "\"met\""));
            Assert.NotEqual(copy, Encoding.UTF8.GetString(letter.AttestedAssessment));
            await db.SaveChangesAsync();
        }

        var after = await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/inheritance");
        Assert.Equal(0, after.GetProperty("inheritance").GetProperty("holding").GetInt32());
        Assert.True(after.GetProperty("score").GetInt32() <= own, "nothing is inherited from a letter whose attested copy was altered");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_expired_letter_is_found_by_the_periodic_check_and_notified_once(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, practice) = await DemoAsync(server);
        var installation = server.Installation;
        var audit = new AuditTrail(TimeProvider.System);
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(400));
        var store = new PortfolioStore(installation, audit, later);
        var changes = new LetterChanges(installation, store, new ProviderLetters(installation, new SigningKeyRegistry(installation, audit, later)), audit, later);
        var first = await changes.ProcessPendingAsync();
        Assert.Equal(1, first.Notices);
        Assert.Equal(0, (await changes.ProcessPendingAsync()).Notices);
        var notice = Assert.Single((await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/notices")).EnumerateArray());
        Assert.Equal("expired", notice.GetProperty("change").GetString());
        Assert.True(notice.GetProperty("score_after").GetInt32() < notice.GetProperty("score_before").GetInt32());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_is_all_or_nothing_export_round_trips_and_another_tenant_sees_404(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, msp) = await server.NewTenantAsync("Front Range Dental IT", "msp");
        var sample = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "dental-msp.yaml"));
        var put = await msp.PutAsync("/api/v1/portfolio", new ByteArrayContent(sample));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(1, (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64());
        var exported = await msp.GetByteArrayAsync("/api/v1/portfolio");

        var cycle = """
            schema: custodes.portfolio/v1
            organizations:
              - {id: a, name: A, kind: msp}
              - {id: b, name: B, kind: msp}
            relationships:
              - {customer: a, provider: b}
              - {customer: b, provider: a}
            """;
        var bad = await msp.PutAsync("/api/v1/portfolio", new StringContent(cycle, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("cycle", problem.GetProperty("detail").GetString());
        Assert.StartsWith("$.relationships[", problem.GetProperty("path").GetString());
        Assert.Equal(exported, await msp.GetByteArrayAsync("/api/v1/portfolio"));

        var again = await msp.PutAsync("/api/v1/portfolio", new ByteArrayContent(exported));
        Assert.Equal(2, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64());
        Assert.Equal(exported, await msp.GetByteArrayAsync("/api/v1/portfolio"));

        var radius = await msp.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/blast-radius/frontrange-it");
        Assert.Equal("frontrange-it", radius.GetProperty("root").GetString());
        Assert.True(radius.GetProperty("total_customers").GetInt32() >= 10);

        var (_, other) = await server.NewTenantAsync("Another MSP", "msp");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/supply-chain/blast-radius/frontrange-it")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/portfolio")).StatusCode);
        await other.PutAsync("/api/v1/portfolio", new StringContent("schema: custodes.portfolio/v1\norganizations:\n  - {id: x, name: X, kind: msp}\n", Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/supply-chain/blast-radius/frontrange-it")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/supply-chain/what-if/frontrange-vsa")).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/notices")).EnumerateArray());
    }
}
