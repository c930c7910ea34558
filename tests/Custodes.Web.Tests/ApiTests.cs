using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;

namespace Custodes.Web.Tests;

public sealed class ApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_OpenAPI_document_describes_every_area_and_Scalar_is_served_locally(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var client = server.Client();
        using var openapi = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        Assert.StartsWith("3.1", openapi.RootElement.GetProperty("openapi").GetString());
        var paths = openapi.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/members", "/api/v1/api-keys", "/api/v1/assessments/{id}/shares", "/api/v1/assessments/{id}/poam/{requirement}",
                     "/api/v1/assessments/{id}/evidence", "/api/v1/evidence/{evidenceId}", "/api/v1/audit", "/api/v1/assessments/{id}/determinations/{target}" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        Assert.False(paths.TryGetProperty("/assessments/{id}/evidence", out _));
        var scalar = await client.GetStringAsync("/scalar");
        Assert.DoesNotContain("cdn.jsdelivr", scalar);
        Assert.DoesNotContain("https://", scalar.Replace("https://github.com", "", StringComparison.Ordinal).Replace("https://scalar.com", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Owners_manage_members_and_roles_and_others_may_not(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, _, ownerKey) = await server.NewAccountAsync("Northgate");
        var owner = server.Client(ownerKey);
        var organization = await owner.GetFromJsonAsync<JsonElement>("/api/v1/organization");
        Assert.Equal(org, organization.GetProperty("id").GetGuid());
        // Members join by invitation (MembershipTests); the installation admin adds directly, as here.
        var bo = await new Custodes.Application.Accounts.AccountStore(server.Installation, new Custodes.Application.Audit.AuditTrail(TimeProvider.System), TimeProvider.System)
            .CreateUserAsync("bo@firm.example", org, Roles.Contributor, null, "test");
        var changed = await owner.PutAsJsonAsync($"/api/v1/members/{bo}", new { role = "viewer" });
        Assert.Equal("viewer", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());
        var bad = await owner.PutAsJsonAsync($"/api/v1/members/{bo}", new { role = "emperor" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var members = await owner.GetFromJsonAsync<JsonElement>("/api/v1/members");
        Assert.Equal(2, members.GetArrayLength());

        var (_, _, assessorKey) = await server.NewAccountAsync("Elsewhere", role: Roles.Assessor);
        var notOwner = server.Client(assessorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await notOwner.PostAsJsonAsync("/api/v1/members", new { email = "x@y.example", role = "owner" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await notOwner.PutAsJsonAsync($"/api/v1/members/{bo}", new { role = "owner" })).StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden ? HttpStatusCode.NotFound : HttpStatusCode.OK);
        var ownerId = members.EnumerateArray().First(m => m.GetProperty("role").GetString() == "owner").GetProperty("user_id").GetGuid();
        var lastOwner = await owner.PutAsJsonAsync($"/api/v1/members/{ownerId}", new { role = "viewer" });
        Assert.Equal(HttpStatusCode.BadRequest, lastOwner.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/members/{bo}")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_API_key_is_shown_once_listed_by_prefix_scoped_and_revocable(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, email, ownerKey) = await server.NewAccountAsync("Northgate");
        var owner = server.Client(ownerKey);
        using var session = server.Session();
        await session.SignInAsync(email);
        var created = await (await session.PostFormAsync("/settings/api-keys", [new("name", "read only"), new("scope", "read")], "/settings/api-keys?handler=create")).Content.ReadAsStringAsync();
        var key = System.Text.RegularExpressions.Regex.Match(created, "id=\"new-key\">(cst_[^<]+)<").Groups[1].Value;
        Assert.NotEmpty(key);
        var list = await owner.GetStringAsync("/api/v1/api-keys");
        Assert.DoesNotContain(key, list);
        var listed = JsonDocument.Parse(list).RootElement.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "read only");
        Assert.StartsWith(listed.GetProperty("prefix").GetString()!, key);
        Assert.Equal(["read"], listed.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var reader = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/assessments")).StatusCode);
        var example = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/v1/assessments", new StringContent(example, System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/members", new { email = "x@y.example", role = "owner" })).StatusCode);

        var revoked = await session.PostFormAsync("/settings/api-keys", [new("id", listed.GetProperty("id").GetGuid().ToString())], "/settings/api-keys?handler=revoke");
        Assert.Contains("The key is revoked", await revoked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/api/v1/assessments")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Evidence_uploads_as_multipart_links_to_targets_and_downloads_intact(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Web:EvidenceMaxBytes"] = "1000" });
        var (_, _, key) = await server.NewAccountAsync("Northgate");
        var client = server.Client(key);
        var id = await TenantWallTests.ImportAsync(client);
        var bytes = RandomNumberGenerator.GetBytes(700);
        var upload = new MultipartFormDataContent
        {
            { new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file", "scan.bin" },
            { new StringContent("Vulnerability scan"), "name" },
            { new StringContent("3.11.2, 3.11.2[a]"), "targets" },
        };
        var response = await client.PostAsync($"/api/v1/assessments/{id}/evidence", upload);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var item = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), item.GetProperty("sha256").GetString());
        Assert.Equal(bytes, await client.GetByteArrayAsync(item.GetProperty("download").GetString()));
        var listed = await client.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{id}/evidence");
        var entry = listed.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "Vulnerability scan");
        Assert.Equal(new[] { "3.11.2", "3.11.2[a]" }, entry.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToArray());

        var tooLarge = new MultipartFormDataContent { { new ByteArrayContent(new byte[1001]), "file", "big.bin" } };
        var refused = await client.PostAsync($"/api/v1/assessments/{id}/evidence", tooLarge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("larger than the evidence limit", await refused.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task POAM_items_change_under_If_Match_and_carry_CMMC_flags(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, key) = await server.NewAccountAsync("Northgate");
        var client = server.Client(key);
        var id = await TenantWallTests.ImportAsync(client);
        var before = await client.GetAsync($"/api/v1/assessments/{id}/poam");
        var etag = before.Headers.ETag!.Tag;
        var view = await before.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("2027-03-30", view.GetProperty("closeout_due").GetString());

        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/assessments/{id}/poam/3.1.1") { Content = JsonContent.Create(new { status = "open", planned_completion = "2027-06-01" }) };
        put.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(put)).StatusCode);
        var flags = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{id}/poam")).GetProperty("flags").EnumerateArray()
            .Where(f => f.GetProperty("requirement_id").GetString() == "3.1.1").Select(f => f.GetProperty("kind").GetString()).ToArray();
        Assert.Contains("open-item-for-met-requirement", flags);

        var stale = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/assessments/{id}/poam/3.1.1");
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(stale)).StatusCode);
        var bad = await client.PutAsJsonAsync($"/api/v1/assessments/{id}/poam/3.99.1", new { status = "open" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_audit_trail_exports_as_JSON_pages_and_CSV(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, key) = await server.NewAccountAsync("Northgate");
        var client = server.Client(key);
        var id = await TenantWallTests.ImportAsync(client);
        await client.PutAsJsonAsync($"/api/v1/assessments/{id}/determinations/3.1.1", new { status = "not-met", note = "shared admin" });
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/audit?page_size=2");
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.NotNull(page.GetProperty("next").GetString());
        var determinations = await client.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=determination");
        var entry = Assert.Single(determinations.GetProperty("items").EnumerateArray());
        Assert.Contains("\"status\":\"met\"", entry.GetProperty("before").GetString());
        Assert.Contains("shared admin", entry.GetProperty("after").GetString());
        var csv = await client.GetAsync("/api/v1/audit?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sequence,at,actor,action,entity_type,entity_id,before,after,hash", lines[0]);
        Assert.Contains(lines, l => l.Contains("determination.set", StringComparison.Ordinal));
        var history = await client.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{id}/history");
        Assert.Equal(new[] { "determination.set", "assessment.imported" }, history.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray());
    }
}
