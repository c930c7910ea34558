using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ClosedXML.Excel;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Organizations;
using Custodes.Application.Transparency;
using Custodes.Assessments;
using Custodes.Assessments.Poam;
using Custodes.Catalogs;
using Custodes.Application.SupplyChain;
using Custodes.Attestation;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>A superseded letter as the public, the firm and inheriting customers see it, and the CMMC deliverables over HTTP, on both databases.</summary>
public sealed class LetterSupersessionAndDeliverablesTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_superseded_letter_says_so_publicly_and_the_practice_keeps_inheriting_without_a_notice(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        var old = demo.Letter!.Value;
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var (_, practiceKey) = await accounts.CreateApiKeyAsync("office@smiledental.example", demo.CustomerOrganizations[0], "test", [], "test");
        var practice = server.Client(practiceKey);
        var before = (await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/inheritance")).GetProperty("score").GetInt32();

        // The firm issues a new letter about the same MSP that replaces the old one.
        var clock = TimeProvider.System;
        var audit = new AuditTrail(clock);
        var installation = server.Installation;
        var issue = new IssueLetter(installation, audit, new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), clock),
            new SigningKeyRegistry(installation, audit, clock), clock);
        var stored = await new AssessmentStore(installation, audit, clock).GetAsync(Tenant.Operator(demo.AssessorOrganization), demo.Assessment);
        using var key = Ed25519SigningKey.Generate();
        var issued = await issue.HandleAsync(new IssueLetterRequest
        {
            Assessment = AssessmentFile.Validate(stored.Assessment, "demo"), Source = "demo", AssessmentId = demo.Assessment, Key = key,
            Issuer = DemoWorkspace.AssessorName, Supersedes = old, Actor = "test",
        });

        var anonymous = server.Client();
        var status = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/letters/{old}/status");
        Assert.Equal("valid", status.GetProperty("status").GetString());
        Assert.Equal(issued.LetterId, status.GetProperty("superseded_by").GetGuid());
        Assert.Equal(old, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/letters/{issued.LetterId}/status")).GetProperty("supersedes").GetGuid());

        var page = await anonymous.GetStringAsync($"/letters/{old}");
        Assert.Contains("Superseded", page);
        Assert.Contains($"href=\"/letters/{issued.LetterId}\"", page);
        Assert.DoesNotContain("Revoked", page);

        // No gap for the practice: the same score through the new letter, and no notice.
        Assert.Equal(before, (await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/inheritance")).GetProperty("score").GetInt32());
        Assert.Empty((await practice.GetFromJsonAsync<JsonElement>("/api/v1/supply-chain/notices")).EnumerateArray());

        using var firm = server.Session();
        await firm.SignInAsync("lead@northgate.example", DemoWorkspace.Password);
        var (code, letters, _) = await firm.GetAsync("/supply-chain/letters");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Contains($"superseded by <a href=\"/letters/{issued.LetterId}\">", letters);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_deliverables_list_every_evidence_file_by_its_hash_and_the_workbook_names_the_provider_inherited_from(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        var firm = server.Client(demo.ApiKey);

        var list = await firm.GetAsync($"/api/v1/assessments/{demo.Assessment}/deliverables/artifacts.sha256");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var bytes = await list.Content.ReadAsByteArrayAsync();
        var listHash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(listHash, list.Headers.GetValues("Custodes-List-Sha256").Single());
        var json = await firm.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{demo.Assessment}/deliverables/artifacts.json");
        Assert.Equal(listHash, json.GetProperty("sha256").GetString());
        var artifacts = json.GetProperty("artifacts").EnumerateArray().ToArray();
        Assert.NotEmpty(artifacts);
        // Each listed hash is the hash of the stored file's bytes, recomputed here.
        foreach (var artifact in artifacts)
        {
            var sha = artifact.GetProperty("sha256").GetString()!;
            var file = Path.Combine(server.Installation.EvidenceDirectory, "sha256", sha[..2], sha);
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));
        }
        // Another organization's assessment is not found.
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var (_, practiceKey) = await accounts.CreateApiKeyAsync("office@smiledental.example", demo.CustomerOrganizations[0], "test", [], "test");
        var practice = server.Client(practiceKey);
        Assert.Equal(HttpStatusCode.NotFound, (await practice.GetAsync($"/api/v1/assessments/{demo.Assessment}/deliverables/artifacts.sha256")).StatusCode);

        var own = (await practice.GetFromJsonAsync<JsonElement>("/api/v1/assessments")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var workbook = await practice.GetAsync($"/api/v1/assessments/{own}/deliverables/cmmc-results.xlsx");
        Assert.Equal(HttpStatusCode.OK, workbook.StatusCode);
        using var wb = new XLWorkbook(new MemoryStream(await workbook.Content.ReadAsByteArrayAsync()));
        var inherited = wb.Worksheet("Requirements").RowsUsed().Skip(1).Where(r => r.Cell(10).GetString() is "full" or "partial").ToArray();
        Assert.NotEmpty(inherited);
        Assert.All(inherited, r => Assert.Contains(DemoWorkspace.MspName, r.Cell(11).GetString()));
        Assert.Contains(wb.Worksheet("Objectives").RowsUsed().Skip(1), r => r.Cell(9).GetString() == "full" && r.Cell(10).GetString().Contains(DemoWorkspace.MspName));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_conditional_letter_whose_closeout_passed_unmet_reads_expired_with_the_reason_everywhere(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var installation = server.Installation;
        // Issued 200 days ago from a conditional assessment: its 180-day closeout passed 20 days ago.
        var then = DateTimeOffset.UtcNow.AddDays(-200);
        var assessedOn = DateOnly.FromDateTime(then.UtcDateTime);
        var open = CatalogSet.NistR2.Requirements.First(r => r.Points == 1 && !PoamRules.NeverOnPoam.Contains(r.Id));
        var assessment = new Assessment
        {
            Framework = Frameworks.NistR2, Organization = "Conditional MSP LLC", Scope = "Corporate network", AssessedOn = assessedOn, Ssp = true,
            Objectives = CatalogSet.NistR2.Requirements.SelectMany(r => r.Objectives)
                .ToDictionary(o => o, o => Finding.Of(o == open.Objectives[0] ? Status.NotMet : Status.Met), StringComparer.Ordinal),
            Poam = [new PoamItem { Id = open.Id, PlannedCompletion = assessedOn.AddDays(90), Milestones = "Fix and re-test" }],
        };
        var past = new FakeTimeProvider(then);
        var audit = new AuditTrail(past);
        // The issuer is an existing assessor firm (contracts §10).
        var firm = await new OrganizationStore(installation, audit, past).CreateAsync("Northgate Security Assessors LLC", OrganizationKinds.Assessor, "test");
        var issue = new IssueLetter(installation, audit, new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), past),
            new SigningKeyRegistry(installation, audit, past), past);
        using var key = Ed25519SigningKey.Generate();
        var issued = await issue.HandleAsync(new IssueLetterRequest
        {
            Assessment = AssessmentFile.Validate(assessment, "conditional"), Source = "conditional", Key = key, Issuer = firm.ToString(), Actor = "test",
        });
        var due = PoamRules.CloseoutDue(assessedOn);

        var anonymous = server.Client();
        // Before the hourly check runs, the letter is still valid, with its closeout date shown.
        Assert.Contains($"{due:yyyy-MM-dd} (passed)", await anonymous.GetStringAsync($"/letters/{issued.LetterId}"));

        var system = TimeProvider.System;
        var changes = new LetterChanges(installation, new PortfolioStore(installation, new AuditTrail(system), system),
            new ProviderLetters(installation, new SigningKeyRegistry(installation, new AuditTrail(system), system)), new AuditTrail(system), system);
        Assert.Equal([issued.LetterId], await changes.ExpireUnmetCloseoutsAsync());

        var status = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/letters/{issued.LetterId}/status");
        Assert.Equal("expired", status.GetProperty("status").GetString());
        Assert.Contains($"not closed out by {due:yyyy-MM-dd}", status.GetProperty("expiry_reason").GetString());
        var page = await anonymous.GetStringAsync($"/letters/{issued.LetterId}");
        Assert.Contains("Expired", page);
        Assert.Contains($"not closed out by {due:yyyy-MM-dd}", page);

        // The verify page no longer calls the (still correctly signed) letter valid.
        using var form = new MultipartFormDataContent { { new ByteArrayContent(issued.ToUtf8Bytes()), "file", "letter.json" } };
        var verify = await (await anonymous.PostAsync("/verify", form)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Genuine and valid", verify);
        Assert.Contains($"ended on {due.AddDays(1):yyyy-MM-dd}", verify);
    }
}
