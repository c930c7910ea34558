using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Testing;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Web.Tests;

/// <summary>Bodies sent to hurt the server: deeply nested documents are answered 400 and the server keeps serving; a caller whose role
/// may not change data is refused before its body is read.</summary>
public sealed class HostileBodyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    // The attack from the security report. Before the depth limit it overflowed the stack: the whole process ended.
    private static readonly string NestedYaml = "a: " + new string('[', 25_000) + new string(']', 25_000);

    private static readonly string ExamplePath = Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json");

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    private static async Task AssertTooDeepAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {body}");
        using var problem = JsonDocument.Parse(body);
        Assert.Contains("nested more than 64 levels deep", problem.RootElement.GetProperty("detail").GetString());
        Assert.StartsWith("$.a[0][0]", problem.RootElement.GetProperty("path").GetString());
        Assert.Equal(1, problem.RootElement.GetProperty("line").GetInt32());
    }

    private static async Task AssertStillServingAsync(RunningServer server, HttpClient client)
    {
        Assert.Equal(HttpStatusCode.OK, (await server.Client().GetAsync("/healthz")).StatusCode);
        var created = await client.PostAsync("/api/v1/assessments", new StringContent(File.ReadAllText(ExamplePath), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Deeply_nested_yaml_is_answered_400_on_every_endpoint_and_the_server_keeps_serving(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, key) = await server.NewAccountAsync("Granite Peak IT", "msp");
        var client = server.Client(key);

        await AssertTooDeepAsync(await client.PostAsync("/api/v1/assessments", Yaml(NestedYaml)), "POST /api/v1/assessments");
        await AssertStillServingAsync(server, client);

        var created = await client.PostAsync("/api/v1/assessments", new StringContent(File.ReadAllText(ExamplePath), Encoding.UTF8, "application/json"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await AssertTooDeepAsync(await client.PutAsync($"/api/v1/assessments/{id}", Yaml(NestedYaml)), "PUT /api/v1/assessments/{id}");
        await AssertStillServingAsync(server, client);

        await AssertTooDeepAsync(await client.PutAsync("/api/v1/portfolio", Yaml(NestedYaml)), "PUT /api/v1/portfolio");
        await AssertStillServingAsync(server, client);

        await AssertTooDeepAsync(await client.PutAsync("/api/v1/portfolio/matrices", Yaml(NestedYaml)), "PUT /api/v1/portfolio/matrices");
        await AssertStillServingAsync(server, client);

        var settings = await client.PutAsJsonAsync("/api/v1/watch/settings", new { settings = NestedYaml });
        await AssertTooDeepAsync(settings, "PUT /api/v1/watch/settings");
        await AssertStillServingAsync(server, client);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/watch/settings", new { settings = "time_zone: America/Chicago\n" })).StatusCode);
    }

    /// <summary>Sends a request by hand: its headers announce <paramref name="declaredLength"/> bytes of body, and only the first few are sent.
    /// A server that reads the body before deciding waits for the rest and never answers; one that refuses first answers at once.</summary>
    private static async Task<(int Status, string Body)> SendPartialAsync(Uri address, string method, string path, string key, string contentType, long declaredLength, string start)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var head = $"{method} {path} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {key}\r\nContent-Type: {contentType}\r\n" +
                   $"Content-Length: {declaredLength}\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(Encoding.UTF8.GetBytes(start));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var text = Encoding.UTF8.GetString(received.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end > 0 && text[..end].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) && text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
                    return (int.Parse(text[9..12]), text[(end + 4)..]);
                if (end > 0 && text[..end].Contains("Content-Length: ", StringComparison.OrdinalIgnoreCase))
                {
                    var length = int.Parse(text[..end].Split("\r\n").First(l => l.StartsWith("Content-Length: ", StringComparison.OrdinalIgnoreCase))["Content-Length: ".Length..]);
                    if (received.Length >= end + 4 + length) return (int.Parse(text[9..12]), text[(end + 4)..]);
                }
                var n = await stream.ReadAsync(buffer, timeout.Token);
                if (n == 0) return (int.Parse(text[9..12]), end > 0 ? text[(end + 4)..] : "");
                received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{method} {path}: no answer in 20 s; the server is waiting for the body, so it reads before it authorizes");
            throw;
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_read_only_key_is_refused_403_before_the_server_reads_its_body(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, email, ownerKey) = await server.NewAccountAsync("Granite Peak IT", "msp");
        var owner = server.Client(ownerKey);
        var created = await owner.PostAsync("/api/v1/assessments", new StringContent(File.ReadAllText(ExamplePath), Encoding.UTF8, "application/json"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // A read-only key of the owner (anyone who signs up can make one on the API keys page), and a viewer's own key.
        var (_, readOnly) = await new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System)
            .CreateApiKeyAsync(email, org, "read", [ApiKeyScopes.Read], "test");
        var (_, viewer) = await server.NewTenantAsync("Smile Dental", "customer", Roles.Viewer);
        var viewerKey = viewer.DefaultRequestHeaders.Authorization!.Parameter!;

        (string Method, string Path, string ContentType)[] changes =
        [
            ("POST", "/api/v1/assessments", "application/yaml"),
            ("PUT", $"/api/v1/assessments/{id}", "application/yaml"),
            ("PUT", $"/api/v1/assessments/{id}/determinations/3.1.1", "application/json"),
            ("PUT", $"/api/v1/assessments/{id}/poam/3.1.2", "application/json"),
            ("POST", $"/api/v1/assessments/{id}/imports", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("POST", $"/api/v1/assessments/{id}/evidence", "multipart/form-data; boundary=x"),
            ("POST", $"/api/v1/assessments/{id}/shares", "application/json"),
            ("PUT", "/api/v1/portfolio", "application/yaml"),
            ("PUT", "/api/v1/portfolio/matrices", "application/yaml"),
            ("POST", "/api/v1/questionnaires/import?save=true", "text/csv"),
            ("POST", "/api/v1/questionnaires/responses", "application/json"),
            ("POST", "/api/v1/watch/events", "application/x-ndjson"),
            ("PUT", "/api/v1/watch/settings", "application/json"),
            ("PUT", "/api/v1/watch/tenants/dental-0001", "application/json"),
            ("POST", $"/api/v1/watch/alerts/{Guid.NewGuid()}/acknowledge", "application/json"),
            ("POST", "/api/v1/alert-channels", "application/json"),
            ("POST", "/api/v1/members", "application/json"),
        ];
        foreach (var key in new[] { readOnly, viewerKey })
        {
            foreach (var (method, path, contentType) in changes)
            {
                // 64 MB announced (more than any endpoint accepts), a nested document begun: refused for the role, not the size or the depth.
                var (status, body) = await SendPartialAsync(server.Address, method, path, key, contentType, 64L * 1024 * 1024, "a: " + new string('[', 4_000));
                Assert.True(status == 403, $"{method} {path}: {status} {body}");
                Assert.Contains(path.Contains("alert-channels") || path.Contains("members") ? "only an owner" : "cannot change data", body);
            }
        }
        // A full body is refused the same way; the owner's key still works.
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client(readOnly).PostAsync("/api/v1/assessments", Yaml(NestedYaml))).StatusCode);
        await AssertStillServingAsync(server, owner);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_api_endpoint_that_changes_data_names_the_role_it_needs_and_only_key_management_and_previews_are_open_to_viewers(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var endpoints = server.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>();
        var open = new List<string>();
        var changes = 0;
        foreach (var endpoint in endpoints)
        {
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!path.StartsWith("/api/", StringComparison.Ordinal)) continue;
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                if (method is "GET" or "HEAD" or "OPTIONS") continue;
                changes++;
                var required = RoleGate.Required(endpoint, method, path);
                Assert.NotNull(required);
                if (required.Allows(Roles.Viewer)) open.Add($"{method} {path}");
                else if (required.When is not null) open.Add($"{method} {path} (unless it saves)");
            }
        }
        Assert.True(changes >= 30, $"only {changes} changing endpoints found");
        Assert.Equal(["DELETE /api/v1/api-keys/{keyId:guid}", "POST /api/v1/api-keys/", "POST /api/v1/questionnaires/import (unless it saves)"], open.Order(StringComparer.Ordinal));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_viewer_may_preview_a_filled_questionnaire_but_not_save_it(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, viewer) = await server.NewTenantAsync("Smile Dental", "customer", Roles.Viewer);
        var csv = new StringContent("not,a,questionnaire\n", Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.PostAsync("/api/v1/questionnaires/import", csv)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/questionnaires/import?save=true", new StringContent("x", Encoding.UTF8, "text/csv"))).StatusCode);
    }
}
