using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Custodes.Application;
using Custodes.Assessments;
using Custodes.Testing;

namespace Custodes.Web.Tests;

public sealed class WorkspaceTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static async Task<(WebSession Session, HttpClient Api, Guid Id)> StartAsync(RunningServer server)
    {
        var (_, email, key) = await server.NewAccountAsync("Northgate");
        var api = server.Client(key);
        var id = await TenantWallTests.ImportAsync(api);
        var session = server.Session();
        await session.SignInAsync(email);
        return (session, api, id);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_workspace_shows_every_requirement_and_objective_with_the_score(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (session, _, id) = await StartAsync(server);
        var (status, html, _) = await session.GetAsync($"/assessments/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(110, System.Text.RegularExpressions.Regex.Matches(html, "<details class=\"req\"").Count);
        Assert.Equal(320, System.Text.RegularExpressions.Regex.Matches(html, "<tr id=\"o-").Count);
        Assert.Contains("<title id=\"gauge-t\">SPRS score</title>", html);
        Assert.Contains("103 of 110", html);
        Assert.Contains("Requirements by family", html);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_background_save_answers_the_new_version_score_and_statuses(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (session, _, id) = await StartAsync(server);
        var page = $"/assessments/{id}";
        var response = await session.PostFormAsync(page, [new("target", "3.1.1"), new("version", "1"), new("status", "unassessed"), new("o_3.1.1[a]", "not-met")],
            $"{page}?handler=determination", json: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal(2, body.GetProperty("version").GetInt32());
        Assert.Equal("not-met", body.GetProperty("statuses").GetProperty("3.1.1").GetString());
        Assert.Contains("98 of 110", body.GetProperty("score_html").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_save_against_an_older_version_says_it_changed_and_overwrites_nothing(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (session, api, id) = await StartAsync(server);
        await api.PutAsJsonAsync($"/api/v1/assessments/{id}/determinations/3.1.2", new { status = "not-met", note = "colleague's finding" });
        var page = $"/assessments/{id}";
        var stale = await session.PostFormAsync(page, [new("target", "3.1.2"), new("version", "1"), new("status", "met")], $"{page}?handler=determination");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("changed since you opened it", await stale.Content.ReadAsStringAsync());
        var score = await api.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{id}/score");
        Assert.Equal("not-met", score.GetProperty("requirements").GetProperty("3.1.2").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_contradiction_is_refused_with_the_reason(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (session, _, id) = await StartAsync(server);
        var page = $"/assessments/{id}";
        var response = await session.PostFormAsync(page, [new("target", "3.1.1"), new("version", "1"), new("status", "met"), new("o_3.1.1[b]", "not-met")], $"{page}?handler=determination");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("contradicts its objectives", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_and_export_round_trip_and_bad_files_name_the_line(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (session, _, id) = await StartAsync(server);
        var json = await session.Http.GetByteArrayAsync($"/assessments/{id}?handler=export&format=json");
        var yaml = await session.Http.GetByteArrayAsync($"/assessments/{id}?handler=export&format=yaml");
        Assert.Equal(AssessmentFile.Parse(json, "json").Assessment.Requirements.Count, AssessmentFile.Parse(yaml, "yaml").Assessment.Requirements.Count);

        var (_, html, _) = await session.GetAsync("/assessments/import");
        var form = new MultipartFormDataContent { { new ByteArrayContent(yaml), "file", "exported.yaml" }, { new StringContent(WebSession.Token(html)!), "__RequestVerificationToken" } };
        var imported = await session.Http.PostAsync("/assessments/import", form);
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);

        var bad = new MultipartFormDataContent { { new ByteArrayContent("schema: custodes.assessment/v1\nframework: nist-sp800-171r2\norganization: X\nrequirements:\n  3.1.1: maybe\n"u8.ToArray()), "file", "bad.yaml" },
            { new StringContent(WebSession.Token(html)!), "__RequestVerificationToken" } };
        var refused = await session.Http.PostAsync("/assessments/import", bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var text = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("bad.yaml:5", text);
        Assert.Contains("invalid status", text);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_evidence_upload_over_the_limit_is_refused_with_a_clear_message(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Web:EvidenceMaxBytes"] = "2048" });
        var (session, _, id) = await StartAsync(server);
        var (_, html, _) = await session.GetAsync($"/assessments/{id}");
        var token = WebSession.Token(html)!;
        var small = new MultipartFormDataContent { { new ByteArrayContent(new byte[100]), "file", "small.txt" }, { new StringContent("3.4.1"), "targets" }, { new StringContent(token), "__RequestVerificationToken" } };
        var ok = await session.Http.PostAsync($"/assessments/{id}/evidence", small);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.EndsWith("notice=uploaded", ok.Headers.Location!.OriginalString);
        var big = new MultipartFormDataContent { { new ByteArrayContent(new byte[200_000]), "file", "big.txt" }, { new StringContent("3.4.1"), "targets" }, { new StringContent(token), "__RequestVerificationToken" } };
        var refused = await session.Http.PostAsync($"/assessments/{id}/evidence", big);
        Assert.EndsWith("notice=too-large", refused.Headers.Location!.OriginalString);
        var (_, after, _) = await session.GetAsync(refused.Headers.Location!.OriginalString);
        Assert.Contains("larger than the evidence limit of 2 KB", after);
        Assert.Contains("small.txt", after);
        Assert.DoesNotContain("big.txt", after);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_page_script_gets_an_evidence_refusal_as_problem_details_and_an_upload_as_the_new_evidence(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Web:EvidenceMaxBytes"] = "2048" });
        var (session, _, id) = await StartAsync(server);
        var (_, html, _) = await session.GetAsync($"/assessments/{id}");
        var token = WebSession.Token(html)!;
        async Task<HttpResponseMessage> UploadAsync(int bytes, string name)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/assessments/{id}/evidence")
            {
                Content = new MultipartFormDataContent { { new ByteArrayContent(new byte[bytes]), "file", name }, { new StringContent("3.4.1"), "targets" }, { new StringContent(token), "__RequestVerificationToken" } },
            };
            request.Headers.Add("X-Requested-With", "fetch");
            request.Headers.Accept.ParseAdd("application/json");
            return await session.Http.SendAsync(request);
        }

        var ok = await UploadAsync(100, "small.txt");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var added = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Uploaded small.txt.", added.GetProperty("message").GetString());
        Assert.StartsWith($"/assessments/{id}/evidence/", added.GetProperty("evidence").GetProperty("href").GetString());
        Assert.Equal(2, added.GetProperty("version").GetInt32());
        Assert.False(added.TryGetProperty("ok", out _));

        var refused = await UploadAsync(200_000, "big.txt");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Contains("larger than the evidence limit of 2 KB", problem.GetProperty("detail").GetString());
        Assert.False(problem.TryGetProperty("ok", out _));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_refused_page_form_keeps_the_page_and_says_why_with_the_status_of_the_refusal(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (session, _, id) = await StartAsync(server);
        // Bad input (an unknown POA&M status) on the POA&M board: the same board, the reason on it, 400; nothing written.
        var bad = await session.PostFormAsync($"/assessments/{id}/poam", [new("version", "1"), new("requirement", "3.5.3"), new("status", "someday")], $"/assessments/{id}/poam?handler=set");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("Not saved: ", badHtml);
        Assert.Contains("POA&amp;M", badHtml);
        // A stale version on the same board: the stale-write message of every assessment page, with the page's status for a stale write.
        var stale = await session.PostFormAsync($"/assessments/{id}/poam", [new("version", "0"), new("requirement", "3.5.3"), new("status", "open")], $"/assessments/{id}/poam?handler=set");
        Assert.Equal((HttpStatusCode)Pages.FormRefusals.StaleStatus, stale.StatusCode);
        Assert.Contains("changed since you opened it", await stale.Content.ReadAsStringAsync());
        // Not found is the one error page, not a message on a form.
        var missing = await session.PostFormAsync($"/assessments/{id}/poam", [new("version", "1"), new("requirement", "3.5.3"), new("status", "open")], $"/assessments/{Guid.NewGuid()}/poam?handler=set");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_POAM_board_history_compare_and_audit_pages_render(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (session, api, id) = await StartAsync(server);
        await TenantWallTests.ImportAsync(api);
        await api.PutAsJsonAsync($"/api/v1/assessments/{id}/determinations/3.5.3", new { status = "not-met", partial = "mfa-remote-and-privileged-only" });
        var poam = await session.PostFormAsync($"/assessments/{id}/poam", [new("version", "2"), new("requirement", "3.5.3"), new("status", "in-progress"), new("planned", "2027-01-15"), new("owner", "Ops")],
            $"/assessments/{id}/poam?handler=set");
        Assert.Equal(HttpStatusCode.Redirect, poam.StatusCode);
        var (_, board, _) = await session.GetAsync($"/assessments/{id}/poam");
        Assert.Contains("In progress (", board);
        Assert.Contains("POA&amp;M burndown", board);
        Assert.Contains("2027-03-30", board);
        Assert.Contains("poam.set", (await session.GetAsync($"/assessments/{id}/history")).Html);
        Assert.Contains("Requirements that differ (1)", (await session.GetAsync($"/assessments/{id}/diff")).Html);
        var (_, audit, _) = await session.GetAsync("/audit?action=poam");
        Assert.Contains("poam.set", audit);
        var csv = await session.Http.GetStringAsync("/audit?handler=export&format=csv");
        Assert.StartsWith("sequence,at,actor", csv);
    }
}
