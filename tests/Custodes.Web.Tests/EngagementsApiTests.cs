using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>The engagement API's refusals as HTTP answers, on both databases: each a 4xx problem that says what to do, nothing half-written.</summary>
public sealed class EngagementsApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Refusals_answer_400_403_409_and_422_with_what_to_do_and_another_tenant_gets_404(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Keys:EncryptionKey"] = Convert.ToBase64String(new byte[32]) });
        var (_, msp) = await server.NewTenantAsync("Granite Peak Managed IT LLC", "msp");
        var (_, other) = await server.NewTenantAsync("Other Managed IT", "msp");
        var (firm, lead) = await server.NewTenantAsync("Northgate Security Assessors LLC", "assessor");
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var assessor = await accounts.CreateUserAsync("assessor@northgate.example", firm, Roles.Assessor, null, "test");
        var target = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);

        var toMsp = await ProblemAsync(await msp.PostAsJsonAsync("/api/v1/engagements", new { firm = "Other Managed IT", framework = "cmmc-l2", scope = "All", target_date = target }), HttpStatusCode.BadRequest);
        Assert.Contains("not an assessor firm", toMsp.GetProperty("detail").GetString());
        var created = await msp.PostAsJsonAsync("/api/v1/engagements", new { firm = "Northgate Security Assessors LLC", framework = "cmmc-l2", scope = "All", target_date = target });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/engagements/{id}")).StatusCode);

        var noReason = await ProblemAsync(await lead.PostAsJsonAsync($"/api/v1/engagements/{id}/decline", new { reason = "" }), HttpStatusCode.BadRequest);
        Assert.Equal("reason", noReason.GetProperty("path").GetString());
        await lead.PostAsJsonAsync($"/api/v1/engagements/{id}/acceptance", new { assessors = new[] { assessor }, no_ownership_interest = true, did_not_design_implement_or_operate = true, fee_not_contingent = true, c3pao_rules = true });
        Assert.Equal(HttpStatusCode.Conflict, (await lead.PostAsJsonAsync($"/api/v1/engagements/{id}/letter", new { code = "123456" })).StatusCode);
        var self = await ProblemAsync(await lead.PostAsync($"/api/v1/engagements/{id}/qa-signoff", null), HttpStatusCode.Forbidden);
        Assert.Contains("lead", self.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await msp.PostAsync($"/api/v1/engagements/{id}/next-stage", null)).StatusCode);

        // The firm sends itself a request: not independent, 422 naming why.
        var own = await ProblemAsync(await lead.PostAsJsonAsync("/api/v1/engagements", new { firm = firm.ToString(), framework = "cmmc-l2", scope = "All", target_date = target }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Not independent", own.GetProperty("title").GetString());
        var engagement = JsonDocument.Parse(await msp.GetStringAsync($"/api/v1/engagements/{id}")).RootElement;
        Assert.Equal("accepted", engagement.GetProperty("stage").GetString());
        Assert.Equal(JsonValueKind.Null, engagement.GetProperty("letter_id").ValueKind);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_MSP_submits_evidence_and_a_self_assessment_file_the_firm_downloads_them_and_from_fieldwork_on_a_change_is_409(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Keys:EncryptionKey"] = Convert.ToBase64String(new byte[32]) });
        var (_, msp) = await server.NewTenantAsync("Granite Peak Managed IT LLC", "msp");
        var (firm, lead) = await server.NewTenantAsync("Northgate Security Assessors LLC", "assessor");
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var assessor = await accounts.CreateUserAsync("assessor@northgate.example", firm, Roles.Assessor, null, "test");
        var example = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment;
        var file = Custodes.Assessments.AssessmentFile.ToJson(example with { Framework = "cmmc-l2", Organization = "Granite Peak Managed IT LLC" });
        var created = await msp.PostAsJsonAsync("/api/v1/engagements", new { firm = "Northgate Security Assessors LLC", framework = "cmmc-l2", scope = "All", target_date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30) });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await lead.PostAsJsonAsync($"/api/v1/engagements/{id}/acceptance", new { assessors = new[] { assessor }, no_ownership_interest = true, did_not_design_implement_or_operate = true, fee_not_contingent = true, c3pao_rules = true })).StatusCode);
        var firmAssessment = JsonDocument.Parse(await (await lead.PostAsync("/api/v1/assessments", new ByteArrayContent(file) { Headers = { ContentType = new("application/json") } })).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await lead.PutAsJsonAsync($"/api/v1/engagements/{id}/assessment", new { assessment_id = firmAssessment })).StatusCode);

        static MultipartFormDataContent Upload(string name, byte[] bytes) =>
            new() { { new ByteArrayContent(bytes) { Headers = { ContentType = new("text/plain") } }, "file", name } };
        var policy = "Passwords: 14 characters, MFA everywhere."u8.ToArray();
        var uploaded = await msp.PostAsync($"/api/v1/engagements/{id}/evidence", Upload("password-policy.txt", policy));
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var evidenceId = Guid.Parse(uploaded.Headers.Location!.OriginalString.Split('/')[^1]);
        var submitted = await msp.PutAsync($"/api/v1/engagements/{id}/self-assessment", new ByteArrayContent(file) { Headers = { ContentType = new("application/json") } });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        // The firm changes nothing of the submission.
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.DeleteAsync($"/api/v1/engagements/{id}/evidence/{evidenceId}")).StatusCode);

        var seen = JsonDocument.Parse(await lead.GetStringAsync($"/api/v1/engagements/{id}/submission")).RootElement;
        var selfId = seen.GetProperty("self_assessment_id").GetGuid();
        Assert.Equal(evidenceId, seen.GetProperty("evidence")[0].GetProperty("id").GetGuid());
        Assert.Equal(policy, await lead.GetByteArrayAsync($"/api/v1/engagements/{id}/evidence/{evidenceId}"));
        Assert.Equal(HttpStatusCode.OK, (await lead.GetAsync($"/api/v1/assessments/{selfId}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await lead.PostAsync($"/api/v1/engagements/{id}/next-stage", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await lead.PostAsync($"/api/v1/engagements/{id}/next-stage", null)).StatusCode);
        var late = await ProblemAsync(await msp.PostAsync($"/api/v1/engagements/{id}/evidence", Upload("late.txt", [1, 2, 3])), HttpStatusCode.Conflict);
        Assert.Contains("frozen", late.GetProperty("detail").GetString());
        await ProblemAsync(await msp.DeleteAsync($"/api/v1/engagements/{id}/evidence/{evidenceId}"), HttpStatusCode.Conflict);
        await ProblemAsync(await msp.DeleteAsync($"/api/v1/engagements/{id}/self-assessment"), HttpStatusCode.Conflict);
        await ProblemAsync(await msp.PutAsync($"/api/v1/engagements/{id}/self-assessment", new ByteArrayContent(file) { Headers = { ContentType = new("application/json") } }), HttpStatusCode.Conflict);

        var after = JsonDocument.Parse(await lead.GetStringAsync($"/api/v1/engagements/{id}/submission")).RootElement;
        Assert.Equal(selfId, after.GetProperty("self_assessment_id").GetGuid());
        Assert.Equal(evidenceId, Assert.Single(after.GetProperty("evidence").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await lead.GetAsync($"/api/v1/assessments/{selfId}")).StatusCode);
    }
}
