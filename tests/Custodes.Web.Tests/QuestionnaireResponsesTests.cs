using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.SupplyChain.Questionnaires;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>Questionnaires stored, reviewed and signed off through <c>/api/v1/questionnaires/responses</c>, on both databases.</summary>
public sealed class QuestionnaireResponsesTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Responses = "/api/v1/questionnaires/responses";

    /// <summary>An MSP with its own assessment to answer from, its owner's email and API client.</summary>
    private static async Task<(Guid Organization, string Email, HttpClient Owner)> MspAsync(RunningServer server, string name = "Granite Peak Managed IT")
    {
        var (org, email, key) = await server.NewAccountAsync(name, "msp");
        var owner = server.Client(key);
        var assessment = new StringContent(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")), Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsync("/api/v1/assessments", assessment)).StatusCode);
        return (org, email, owner);
    }

    /// <summary>Another member of <paramref name="organization"/>, with an API key of their own.</summary>
    private static async Task<HttpClient> MemberAsync(RunningServer server, Guid organization, string role, params string[] scopes)
    {
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var email = $"{role}-{Guid.NewGuid():N}@example.test";
        await accounts.CreateUserAsync(email, organization, role, null, "test");
        var (_, key) = await accounts.CreateApiKeyAsync(email, organization, "test", scopes, "test");
        return server.Client(key);
    }

    private static async Task<(JsonElement View, string ETag)> CreateAsync(HttpClient client, string template = "cyber-insurance-msp")
    {
        var response = await client.PostAsJsonAsync(Responses, new { template });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"{Responses}/{view.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
        return (view, response.Headers.ETag!.Tag);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? etag, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (etag is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return client.SendAsync(request);
    }

    /// <summary>A review accepting every proposed answer (after the first <paramref name="skip"/>).</summary>
    private static object AcceptAll(JsonElement view, int skip = 0) => new
    {
        answers = view.GetProperty("questionnaire").GetProperty("answers").EnumerateArray().Skip(skip)
            .Select(a => new { question_id = a.GetProperty("question_id").GetString(), state = "reviewed" }).ToArray(),
    };

    /// <summary>Creates a questionnaire, accepts every answer and signs it off as the owner; the signed view and its ETag.</summary>
    private static async Task<(JsonElement View, string ETag)> SignedAsync(HttpClient owner)
    {
        var (view, etag) = await CreateAsync(owner);
        var id = view.GetProperty("id").GetGuid();
        var reviewed = await SendAsync(owner, HttpMethod.Patch, $"{Responses}/{id}", etag, AcceptAll(view));
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        var signed = await SendAsync(owner, HttpMethod.Post, $"{Responses}/{id}/sign-off", reviewed.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        return (await signed.Content.ReadFromJsonAsync<JsonElement>(), signed.Headers.ETag!.Tag);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_proposal_is_stored_as_a_draft_reviewed_and_signed_off_by_its_reviewer(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, email, owner) = await MspAsync(server);

        var (draft, etag) = await CreateAsync(owner);
        var id = draft.GetProperty("id").GetGuid();
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal("proposed", draft.GetProperty("source").GetString());
        Assert.Equal(12, draft.GetProperty("pending").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("content_sha256").ValueKind);
        var first = draft.GetProperty("questionnaire").GetProperty("answers")[0];
        Assert.True(first.GetProperty("evidence").GetArrayLength() > 0 || first.GetProperty("confidence").GetString() == "no-evidence");

        var edit = new { answers = new[] { new { question_id = first.GetProperty("question_id").GetString(), state = "edited", answer = "partial", comment = "MFA on the RMM, not yet on the backup console" } } };
        var edited = await SendAsync(owner, HttpMethod.Patch, $"{Responses}/{id}", etag, edit);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var answer = (await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("questionnaire").GetProperty("answers")[0];
        Assert.Equal(("edited", "partial", email), (answer.GetProperty("state").GetString(), answer.GetProperty("final").GetString(), answer.GetProperty("reviewed_by").GetString()));
        Assert.Equal(first.GetProperty("proposed").GetString(), answer.GetProperty("proposed").GetString());

        var early = await SendAsync(owner, HttpMethod.Post, $"{Responses}/{id}/sign-off", edited.Headers.ETag!.Tag);
        await AssertProblemAsync(early, HttpStatusCode.BadRequest, "not reviewed yet");

        var reviewed = await SendAsync(owner, HttpMethod.Patch, $"{Responses}/{id}", edited.Headers.ETag!.Tag, AcceptAll(draft, skip: 1));
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        var signed = await SendAsync(owner, HttpMethod.Post, $"{Responses}/{id}/sign-off", reviewed.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var view = await signed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("signed-off", view.GetProperty("status").GetString());
        Assert.Equal(email, view.GetProperty("questionnaire").GetProperty("sign_off").GetProperty("by").GetString());
        Assert.Matches("^[0-9a-f]{64}$", view.GetProperty("content_sha256").GetString());
        Assert.True(view.GetProperty("content_verified").GetBoolean());
        Assert.Empty(view.GetProperty("pending").EnumerateArray());

        var page = await owner.GetFromJsonAsync<JsonElement>($"{Responses}?page_size=1");
        var line = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal((id, "signed-off", email), (line.GetProperty("id").GetGuid(), line.GetProperty("status").GetString(), line.GetProperty("signed_off_by").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        var history = await owner.GetFromJsonAsync<JsonElement>($"{Responses}/{id}/history");
        Assert.Equal("questionnaire.signed_off", history.GetProperty("items")[0].GetProperty("action").GetString());

        using var openapi = JsonDocument.Parse(await server.Client().GetStringAsync("/openapi/v1.json"));
        Assert.True(openapi.RootElement.GetProperty("paths").TryGetProperty("/api/v1/questionnaires/responses/{id}/sign-off", out var signOff));
        Assert.Equal("SignOffQuestionnaire", signOff.GetProperty("post").GetProperty("operationId").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_stale_ETag_is_refused_with_412_and_nothing_changes(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, owner) = await MspAsync(server);
        var (draft, etag) = await CreateAsync(owner);
        var id = draft.GetProperty("id").GetGuid();
        var answers = draft.GetProperty("questionnaire").GetProperty("answers");
        var one = new { answers = new[] { new { question_id = answers[0].GetProperty("question_id").GetString(), state = "reviewed" } } };
        var two = new { answers = new[] { new { question_id = answers[1].GetProperty("question_id").GetString(), state = "reviewed" } } };
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(owner, HttpMethod.Patch, $"{Responses}/{id}", etag, one)).StatusCode);

        await AssertProblemAsync(await SendAsync(owner, HttpMethod.Patch, $"{Responses}/{id}", etag, two), HttpStatusCode.PreconditionFailed, "changed since you read it");
        await AssertProblemAsync(await SendAsync(owner, HttpMethod.Post, $"{Responses}/{id}/sign-off", etag), HttpStatusCode.PreconditionFailed, "changed since you read it");
        await AssertProblemAsync(await SendAsync(owner, HttpMethod.Delete, $"{Responses}/{id}", etag), HttpStatusCode.PreconditionFailed, "changed since you read it");

        var now = await owner.GetAsync($"{Responses}/{id}");
        Assert.NotEqual(etag, now.Headers.ETag!.Tag);
        var stored = (await now.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("questionnaire").GetProperty("answers");
        Assert.Equal(("reviewed", "proposed"), (stored[0].GetProperty("state").GetString(), stored[1].GetProperty("state").GetString()));
        var notModified = new HttpRequestMessage(HttpMethod.Get, $"{Responses}/{id}") { Headers = { IfNoneMatch = { now.Headers.ETag } } };
        Assert.Equal(HttpStatusCode.NotModified, (await owner.SendAsync(notModified)).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_viewer_or_a_read_only_key_cannot_review_or_sign_off(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, _, owner) = await MspAsync(server);
        var viewer = await MemberAsync(server, org, Roles.Viewer);
        var readOnly = await MemberAsync(server, org, Roles.Owner, ApiKeyScopes.Read);
        var (draft, etag) = await CreateAsync(owner);
        var id = draft.GetProperty("id").GetGuid();
        var reviewed = await SendAsync(owner, HttpMethod.Patch, $"{Responses}/{id}", etag, AcceptAll(draft));
        var ready = reviewed.Headers.ETag!.Tag;

        foreach (var client in new[] { viewer, readOnly })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Responses}/{id}")).StatusCode);
            await AssertProblemAsync(await SendAsync(client, HttpMethod.Post, $"{Responses}/{id}/sign-off", ready), HttpStatusCode.Forbidden, "cannot change data");
            await AssertProblemAsync(await SendAsync(client, HttpMethod.Patch, $"{Responses}/{id}", ready, AcceptAll(draft)), HttpStatusCode.Forbidden, "cannot change data");
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync(Responses, new { template = "msp-security" })).StatusCode);
        }
        var still = await owner.GetFromJsonAsync<JsonElement>($"{Responses}/{id}");
        Assert.Equal("draft", still.GetProperty("status").GetString());
        var contributor = await MemberAsync(server, org, Roles.Contributor);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(contributor, HttpMethod.Post, $"{Responses}/{id}/sign-off", ready)).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_signed_off_questionnaire_refuses_every_change_with_409_and_a_revision_starts_from_it(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, owner) = await MspAsync(server);
        var (signed, etag) = await SignedAsync(owner);
        var id = signed.GetProperty("id").GetGuid();

        await AssertProblemAsync(await SendAsync(owner, HttpMethod.Patch, $"{Responses}/{id}", etag, AcceptAll(signed)), HttpStatusCode.Conflict, "start a new revision");
        await AssertProblemAsync(await SendAsync(owner, HttpMethod.Post, $"{Responses}/{id}/sign-off", etag), HttpStatusCode.Conflict, "no longer changes");
        await AssertProblemAsync(await SendAsync(owner, HttpMethod.Delete, $"{Responses}/{id}", etag), HttpStatusCode.Conflict, "cannot be deleted");
        Assert.Equal(signed.GetProperty("content_sha256").GetString(), (await owner.GetFromJsonAsync<JsonElement>($"{Responses}/{id}")).GetProperty("content_sha256").GetString());

        var started = await owner.PostAsync($"{Responses}/{id}/revisions", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var revision = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, id, "draft"), (revision.GetProperty("revision").GetInt32(), revision.GetProperty("revision_of").GetGuid(), revision.GetProperty("status").GetString()));
        Assert.Empty(revision.GetProperty("pending").EnumerateArray());
        await AssertProblemAsync(await owner.PostAsync($"{Responses}/{id}/revisions", null), HttpStatusCode.Conflict, "already started");
        var revisionId = revision.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(owner, HttpMethod.Delete, $"{Responses}/{revisionId}", started.Headers.ETag!.Tag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"{Responses}/{revisionId}")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_tenants_questionnaire_answers_404_never_its_data(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, owner) = await MspAsync(server);
        var (signed, etag) = await SignedAsync(owner);
        var id = signed.GetProperty("id").GetGuid();
        var (_, otherEmail, other) = await MspAsync(server, "Another MSP");

        foreach (var path in new[] { $"{Responses}/{id}", $"{Responses}/{id}/export?format=xlsx", $"{Responses}/{id}/history" })
        {
            var response = await other.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(signed.GetProperty("content_sha256").GetString()!, await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(other, HttpMethod.Patch, $"{Responses}/{id}", etag, AcceptAll(signed))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(other, HttpMethod.Post, $"{Responses}/{id}/sign-off", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"{Responses}/{id}/revisions", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(other, HttpMethod.Delete, $"{Responses}/{id}", null)).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>(Responses)).GetProperty("items").EnumerateArray());

        using var session = server.Session();
        await session.SignInAsync(otherEmail);
        var page = $"/supply-chain/questionnaires/{id}";
        foreach (var path in new[] { page, $"{page}?handler=download&format=json" })
        {
            var (status, html, _) = await session.GetAsync(path);
            Assert.True(status == HttpStatusCode.NotFound, $"{path} answered {status}");
            Assert.DoesNotContain("Granite Peak", html);
        }
        var forged = await session.PostFormAsync("/supply-chain/questionnaires", [new("version", "1")], $"{page}?handler=revision");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        var (_, list, _) = await session.GetAsync("/supply-chain/questionnaires");
        Assert.DoesNotContain(id.ToString(), list);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_signed_questionnaire_exports_as_json_xlsx_and_csv_that_read_back_to_its_content_hash(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, owner) = await MspAsync(server);
        var (signed, _) = await SignedAsync(owner);
        var id = signed.GetProperty("id").GetGuid();
        var sealedHash = signed.GetProperty("content_sha256").GetString();

        var json = await owner.GetAsync($"{Responses}/{id}/export");
        Assert.Equal("cyber-insurance-msp-r1-signed-off.json", json.Content.Headers.ContentDisposition?.FileNameStar ?? json.Content.Headers.ContentDisposition?.FileName);
        var jsonBytes = await json.Content.ReadAsByteArrayAsync();
        Assert.Equal(sealedHash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Custodes.Attestation.CanonicalJson.Canonicalize(jsonBytes))));
        // Anyone can recompute it without Custodes: the one-liner docs/questionnaires.md gives.
        var python = ExternalTools.Find("python3", "/usr/bin/python3") ?? throw new InvalidOperationException("python3 is not installed");
        var file = Path.Combine(Path.GetTempPath(), $"questionnaire-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(file, jsonBytes);
        try
        {
            var run = ExternalTools.Capture(python, ["-c", "import hashlib,json,sys; d=json.load(open(sys.argv[1],encoding='utf-8')); print(hashlib.sha256(json.dumps(d,sort_keys=True,separators=(',',':'),ensure_ascii=False).encode()).hexdigest())", file], Path.GetTempPath());
            Assert.Equal(sealedHash, run.Stdout.Trim());
        }
        finally
        {
            File.Delete(file);
        }

        foreach (var (format, type) in new[] { ("xlsx", QuestionnaireDownloadType), ("csv", "text/csv") })
        {
            var exported = await owner.GetByteArrayAsync($"{Responses}/{id}/export?format={format}");
            var content = new ByteArrayContent(exported);
            content.Headers.ContentType = new MediaTypeHeaderValue(type);
            var read = await owner.PostAsync("/api/v1/questionnaires/import", content);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var back = JsonSerializer.Deserialize<QuestionnaireResponse>(await read.Content.ReadAsStringAsync(), Common.Json.Options)!;
            Assert.Equal(sealedHash, QuestionnaireJson.Sha256(back));
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_filled_file_imported_with_save_becomes_a_draft_to_review_and_sign(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, email, owner) = await MspAsync(server);
        var (signed, _) = await SignedAsync(owner);
        var xlsx = new ByteArrayContent(await owner.GetByteArrayAsync($"{Responses}/{signed.GetProperty("id").GetGuid()}/export?format=xlsx"));
        xlsx.Headers.ContentType = new MediaTypeHeaderValue(QuestionnaireDownloadType);

        var saved = await owner.PostAsync("/api/v1/questionnaires/import?save=true", xlsx);
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var draft = await saved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("draft", "import", 1), (draft.GetProperty("status").GetString(), draft.GetProperty("source").GetString(), draft.GetProperty("revision").GetInt32()));
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("questionnaire").GetProperty("sign_off").ValueKind);
        Assert.Empty(draft.GetProperty("pending").EnumerateArray());
        Assert.Equal(2, (await owner.GetFromJsonAsync<JsonElement>(Responses)).GetProperty("items").GetArrayLength());

        var signedAgain = await SendAsync(owner, HttpMethod.Post, $"{Responses}/{draft.GetProperty("id").GetGuid()}/sign-off", saved.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, signedAgain.StatusCode);
        Assert.Equal(email, (await signedAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("questionnaire").GetProperty("sign_off").GetProperty("by").GetString());

        var bad = new StringContent("# schema: custodes.questionnaire/v1\r\n# template: msp-security\r\n", Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsync("/api/v1/questionnaires/import?save=true", bad)).StatusCode);
        Assert.Equal(2, (await owner.GetFromJsonAsync<JsonElement>(Responses)).GetProperty("items").GetArrayLength());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_bad_review_is_a_problem_naming_the_field_and_changes_nothing(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, owner) = await MspAsync(server);
        var (draft, etag) = await CreateAsync(owner);
        var id = draft.GetProperty("id").GetGuid();
        var question = draft.GetProperty("questionnaire").GetProperty("answers")[0].GetProperty("question_id").GetString();

        var bad = await SendAsync(owner, HttpMethod.Patch, $"{Responses}/{id}", etag, new { answers = new object[] { new { question_id = question, state = "reviewed" }, new { question_id = question, state = "approved" } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("$.answers[1].state", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString());
        var empty = await SendAsync(owner, HttpMethod.Patch, $"{Responses}/{id}", etag, new { answers = new object?[] { null } });
        Assert.Equal("$.answers[0]", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString());
        await AssertProblemAsync(await owner.PostAsJsonAsync(Responses, new { template = "no-such-template" }), HttpStatusCode.NotFound, "no questionnaire template");

        var stored = await owner.GetAsync($"{Responses}/{id}");
        Assert.Equal(etag, stored.Headers.ETag!.Tag);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task On_the_pages_without_JavaScript_a_proposal_is_saved_reviewed_signed_off_and_downloaded(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, email, key) = await server.NewAccountAsync("Granite Peak Managed IT", "msp");
        var assessment = new StringContent(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")), Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Created, (await server.Client(key).PostAsync("/api/v1/assessments", assessment)).StatusCode);
        using var session = server.Session();
        await session.SignInAsync(email);
        var proposal = "/supply-chain/questionnaires?template=cyber-insurance-msp";
        var (_, proposed, _) = await session.GetAsync(proposal);
        Assert.Contains("id=\"saved-none\"", proposed);
        var questions = System.Text.RegularExpressions.Regex.Matches(proposed, "name=\"a_([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(12, questions.Length);

        // Saved with the first answer already replaced: a draft with that review, opened on its own page.
        var saved = await session.PostFormAsync(proposal, [new("template", "cyber-insurance-msp"), new($"a_{questions[0]}", "no"), new($"c_{questions[0]}", "no MFA on the backup console")],
            "/supply-chain/questionnaires?handler=save");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = saved.Headers.Location!.ToString();
        Assert.Matches("^/supply-chain/questionnaires/[0-9a-f-]{36}$", page);
        var (_, draft, _) = await session.GetAsync(page);
        Assert.Contains("draft: 1 of 12 answers reviewed", draft);
        Assert.Contains("<option value=\"no\" selected=\"selected\">answer no</option>", draft);
        Assert.Contains("value=\"no MFA on the backup console\"", draft);

        static string VersionIn(string html) => System.Text.RegularExpressions.Regex.Match(html, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        var signTooEarly = await session.PostFormAsync(page, [new("version", VersionIn(draft)), new("confirm", "true")], page + "?handler=signoff");
        Assert.Equal(HttpStatusCode.BadRequest, signTooEarly.StatusCode);
        Assert.Contains("not reviewed yet", await signTooEarly.Content.ReadAsStringAsync());

        var review = questions.Skip(1).SelectMany(q => new KeyValuePair<string, string>[] { new($"a_{q}", "accept"), new($"c_{q}", "") })
            .Append(new("version", VersionIn(draft))).ToList();
        var reviewed = await session.PostFormAsync(page, review, page + "?handler=review");
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        var reviewedHtml = await reviewed.Content.ReadAsStringAsync();
        Assert.Contains("Review saved.", reviewedHtml);
        Assert.Contains("draft: 12 of 12 answers reviewed", reviewedHtml);

        // The form read before the review carries the old version: refused, nothing overwritten.
        var stale = await session.PostFormAsync(page, [new("version", VersionIn(draft)), new($"a_{questions[1]}", "proposed")], page + "?handler=review");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("your changes were not saved", await stale.Content.ReadAsStringAsync());

        using var viewer = server.Session();
        var viewerEmail = $"viewer-{Guid.NewGuid():N}@example.test";
        await new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System).CreateUserAsync(viewerEmail, org, Roles.Viewer, RunningServer.Password, "test");
        await viewer.SignInAsync(viewerEmail);
        var (_, viewerHtml, _) = await viewer.GetAsync(page);
        Assert.DoesNotContain("id=\"sign-off\"", viewerHtml);
        Assert.DoesNotContain("name=\"a_", viewerHtml);
        var refused = await viewer.PostFormAsync(page, [new("version", VersionIn(reviewedHtml)), new("confirm", "true")], page + "?handler=signoff");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var signed = await session.PostFormAsync(page, [new("version", VersionIn(reviewedHtml)), new("confirm", "true")], page + "?handler=signoff");
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var signedHtml = await signed.Content.ReadAsStringAsync();
        Assert.Contains($"signed off by {email}", signedHtml);
        Assert.Matches("id=\"content-sha256\">[0-9a-f]{64}<", signedHtml);
        Assert.Contains("what is stored still hashes to it", signedHtml);
        Assert.Contains("id=\"start-revision\"", signedHtml);
        Assert.DoesNotContain("name=\"a_", signedHtml);

        var xlsx = await session.Http.GetAsync(page + "?handler=download&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal((byte)'P', (await xlsx.Content.ReadAsByteArrayAsync())[0]);
        var (_, list, _) = await session.GetAsync("/supply-chain/questionnaires");
        Assert.Contains($"<a href=\"{page}\">", list);
        Assert.Contains("signed-off", list);
    }

    private const string QuestionnaireDownloadType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
