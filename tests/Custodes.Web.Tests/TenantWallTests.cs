using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Testing;

namespace Custodes.Web.Tests;

public sealed class TenantWallTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static readonly string ExamplePath = Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json");

    internal static async Task<Guid> ImportAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/v1/assessments", new StringContent(File.ReadAllText(ExamplePath), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_organizations_pages_and_files_answer_404_and_the_attempt_is_recorded(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, assessorKey) = await server.NewAccountAsync("Northgate");
        var assessor = server.Client(assessorKey);
        var id = await ImportAsync(assessor);
        var upload = new MultipartFormDataContent { { new ByteArrayContent("cmdb"u8.ToArray()), "file", "cmdb.csv" }, { new StringContent("3.4.1"), "targets" } };
        var evidence = (await (await assessor.PostAsync($"/api/v1/assessments/{id}/evidence", upload)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var (customerOrg, customerEmail, customerKey) = await server.NewAccountAsync("Smile Dental", "customer");
        using var customer = server.Session();
        await customer.SignInAsync(customerEmail);
        foreach (var path in new[] { $"/assessments/{id}", $"/assessments/{id}/poam", $"/assessments/{id}/history", $"/assessments/{id}/diff", $"/assessments/{id}/shares",
                     $"/assessments/{id}?handler=export&format=json", $"/assessments/{id}/evidence/{evidence}" })
        {
            var (status, html, _) = await customer.GetAsync(path);
            Assert.True(status == HttpStatusCode.NotFound, $"{path} answered {status}");
            Assert.DoesNotContain("Granite Peak", html);
        }
        var forged = await customer.PostFormAsync("/", [new("target", "3.1.1"), new("version", "1"), new("status", "not-met")], $"/assessments/{id}?handler=determination");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        var api = server.Client(customerKey);
        foreach (var path in new[] { $"/api/v1/assessments/{id}", $"/api/v1/assessments/{id}/score", $"/api/v1/assessments/{id}/poam", $"/api/v1/assessments/{id}/history",
                     $"/api/v1/assessments/{id}/evidence", $"/api/v1/evidence/{evidence}", $"/api/v1/assessments/{id}/shares" })
        {
            var response = await api.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await api.PutAsJsonAsync($"/api/v1/assessments/{id}/determinations/3.1.1", new { status = "not-met" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync($"/api/v1/assessments/{id}/shares", new { organization_id = customerOrg })).StatusCode);

        var score = await (await assessor.GetAsync($"/api/v1/assessments/{id}/score")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(103, score.GetProperty("score").GetInt32());
        var entries = await new AuditLog(server.Installation, new AuditTrail(TimeProvider.System)).ListAsync(customerOrg, new AuditFilter(Action: "security.not_found"), 0, 100);
        Assert.True(entries.Count >= 10);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_shared_assessment_is_readable_by_the_recipient_and_nothing_else_crosses(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, mspEmail, mspKey) = await server.NewAccountAsync("Granite Peak Managed IT LLC", "msp");
        var msp = server.Client(mspKey);
        var shared = await ImportAsync(msp);
        var privateOne = await ImportAsync(msp);
        var (customerOrg, customerEmail, customerKey) = await server.NewAccountAsync("Smile Dental", "customer");
        var share = await msp.PostAsJsonAsync($"/api/v1/assessments/{shared}/shares", new { organization_id = customerOrg });
        Assert.Equal(HttpStatusCode.Created, share.StatusCode);

        var customer = server.Client(customerKey);
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/api/v1/assessments/{shared}/score")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/api/v1/assessments/{shared}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/api/v1/assessments/{privateOne}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/api/v1/assessments/{shared}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.PutAsJsonAsync($"/api/v1/assessments/{shared}/determinations/3.1.1", new { status = "not-met" })).StatusCode);
        var list = await customer.GetFromJsonAsync<JsonElement>("/api/v1/shared-assessments");
        Assert.Equal(shared, Assert.Single(list.EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(0, (await customer.GetFromJsonAsync<JsonElement>("/api/v1/assessments")).GetProperty("items").GetArrayLength());

        using var page = server.Session();
        await page.SignInAsync(customerEmail);
        var (status, html, _) = await page.GetAsync($"/assessments/{shared}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("shared by Granite Peak Managed IT LLC (read-only)", html);
        Assert.DoesNotContain("handler=determination", html);
        Assert.Contains("Granite Peak", (await page.GetAsync("/")).Html);

        Assert.Equal(HttpStatusCode.NoContent, (await msp.DeleteAsync($"/api/v1/assessments/{shared}/shares/{customerOrg}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/api/v1/assessments/{shared}/score")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await page.GetAsync($"/assessments/{shared}")).Status);
    }
}
