using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Testing;

namespace Custodes.Web.Tests;

public sealed class AssessmentsApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static readonly string ExamplePath = Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json");

    private static StringContent Example() => new(File.ReadAllText(ExamplePath), Encoding.UTF8, "application/json");

    private static async Task<Guid> CreateAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/v1/assessments", Example());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = json.RootElement.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/assessments/{id}", response.Headers.Location?.ToString());
        return id;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Health_and_the_OpenAPI_document_answer_without_a_key(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var client = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        using var openapi = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = openapi.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/assessments", out _));
        Assert.True(paths.TryGetProperty("/api/v1/assessments/{id}/score", out _));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_API_needs_a_valid_key(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client().GetAsync("/api/v1/assessments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client("cst_not-a-real-key").GetAsync("/api/v1/assessments")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_posted_assessment_scores_exactly_as_the_CLI_does(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, client) = await server.NewTenantAsync("Northgate");
        var id = await CreateAsync(client);
        var served = await client.GetStringAsync($"/api/v1/assessments/{id}/score");
        var expected = JsonSerializer.Serialize(ScoreAssessment.Score(DocumentFiles.ReadAssessment(ExamplePath).Assessment), Common.Json.Options);
        Assert.Equal(expected, served);
        Assert.Equal(served, await client.GetStringAsync($"/api/v1/assessments/{id}/score"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_stored_assessment_reads_back_as_the_same_document_with_an_ETag(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, client) = await server.NewTenantAsync("Northgate");
        var id = await CreateAsync(client);
        var response = await client.GetAsync($"/api/v1/assessments/{id}");
        Assert.Equal($"\"{id:N}-1\"", response.Headers.ETag?.Tag);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(AssessmentFile.ToJson(DocumentFiles.ReadAssessment(ExamplePath).Assessment), body);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Bad_input_is_a_problem_naming_path_and_line_and_stores_nothing(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, client) = await server.NewTenantAsync("Northgate");
        var response = await client.PostAsync("/api/v1/assessments", new StringContent(
            "{\"schema\": \"custodes.assessment/v1\", \"framework\": \"nist-sp800-171r2\", \"organization\": \"X\",\n \"requirements\": {\"3.5.3\": {\"status\": \"not-met\", \"partial\": \"bogus\"}}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("$.requirements['3.5.3'].partial", problem.RootElement.GetProperty("path").GetString());
        Assert.Equal(2, problem.RootElement.GetProperty("line").GetInt32());
        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/v1/assessments"));
        Assert.Equal(0, list.RootElement.GetProperty("items").GetArrayLength());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Yaml_bodies_are_accepted(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, client) = await server.NewTenantAsync("Northgate");
        var yaml = AssessmentFile.ToYaml(DocumentFiles.ReadAssessment(ExamplePath).Assessment);
        var response = await client.PostAsync("/api/v1/assessments", new ByteArrayContent(yaml) { Headers = { ContentType = new MediaTypeHeaderValue("application/yaml") } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_tenants_assessment_answers_404_never_its_data(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, owner) = await server.NewTenantAsync("Northgate");
        var (_, intruder) = await server.NewTenantAsync("Smile Dental", "customer");
        var id = await CreateAsync(owner);
        foreach (var path in new[] { $"/api/v1/assessments/{id}", $"/api/v1/assessments/{id}/score" })
        {
            var response = await intruder.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Granite Peak", await response.Content.ReadAsStringAsync());
        }
        var put = await intruder.PutAsync($"/api/v1/assessments/{id}", Example());
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        using var list = JsonDocument.Parse(await intruder.GetStringAsync("/api/v1/assessments"));
        Assert.Equal(0, list.RootElement.GetProperty("items").GetArrayLength());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_stale_If_Match_is_refused_with_412_and_nothing_changes(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, client) = await server.NewTenantAsync("Northgate");
        var id = await CreateAsync(client);
        var first = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/assessments/{id}/determinations/3.1.1")
        {
            Content = new StringContent("{\"status\": \"not-met\", \"note\": \"shared admin account\"}", Encoding.UTF8, "application/json"),
            Headers = { IfMatch = { new EntityTagHeaderValue($"\"{id:N}-1\"") } },
        };
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(first)).StatusCode);
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/assessments/{id}/determinations/3.1.2")
        {
            Content = new StringContent("{\"status\": \"not-met\"}", Encoding.UTF8, "application/json"),
            Headers = { IfMatch = { new EntityTagHeaderValue($"\"{id:N}-1\"") } },
        };
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(stale)).StatusCode);
        using var score = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/assessments/{id}/score"));
        Assert.Equal("not-met", score.RootElement.GetProperty("requirements").GetProperty("3.1.1").GetString());
        Assert.Equal("met", score.RootElement.GetProperty("requirements").GetProperty("3.1.2").GetString());
        Assert.Equal(98, score.RootElement.GetProperty("score").GetInt32());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_oversized_body_is_refused_with_413(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, client) = await server.NewTenantAsync("Northgate");
        var response = await client.PostAsync("/api/v1/assessments", new ByteArrayContent(new byte[AssessmentFile.MaxBytes + 1]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Viewers_may_read_but_not_write(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, viewer) = await server.NewTenantAsync("Northgate", role: Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/assessments", Example())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/assessments")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Lists_are_paged(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, client) = await server.NewTenantAsync("Northgate");
        for (var i = 0; i < 3; i++) await CreateAsync(client);
        using var page1 = JsonDocument.Parse(await client.GetStringAsync("/api/v1/assessments?page_size=2"));
        Assert.Equal(2, page1.RootElement.GetProperty("items").GetArrayLength());
        var next = page1.RootElement.GetProperty("next").GetString()!;
        using var page2 = JsonDocument.Parse(await client.GetStringAsync(next));
        Assert.Equal(1, page2.RootElement.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page2.RootElement.GetProperty("next").ValueKind);
    }
}
