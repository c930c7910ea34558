using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.SupplyChain;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>An organization's public trust page (contracts §11): published by an owner, readable by anyone, private data never on it, gone when unpublished.</summary>
public sealed class TrustPageTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Trust_json_follows_the_contract_shows_a_revocation_with_its_reason_and_answers_404_once_unpublished(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        using var owner = await MspOwnerAsync(server, demo);
        using var anonymous = server.Client();

        var published = await owner.PutAsJsonAsync("/api/v1/trust", new { slug = "granite-peak" });
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.EndsWith("/trust/granite-peak", (await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString());

        var response = await anonymous.GetAsync("/trust/granite-peak.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["schema", "organization", "generated_at", "letters", "watch", "matrix"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("custodes.trust/v1", json.GetProperty("schema").GetString());
        Assert.Equal(DemoWorkspace.MspName, json.GetProperty("organization").GetProperty("name").GetString());
        Assert.Equal("granite-peak", json.GetProperty("organization").GetProperty("slug").GetString());
        Assert.True(DateTimeOffset.TryParse(json.GetProperty("generated_at").GetString(), out _));
        var letter = Assert.Single(json.GetProperty("letters").EnumerateArray());
        foreach (var (name, kind) in new[] { ("letter_id", JsonValueKind.String), ("issuer", JsonValueKind.String), ("framework", JsonValueKind.String),
                     ("scope", JsonValueKind.String), ("score", JsonValueKind.Number), ("cmmc", JsonValueKind.Object), ("issued_at", JsonValueKind.String),
                     ("valid_until", JsonValueKind.String), ("status", JsonValueKind.String), ("log_origin", JsonValueKind.String), ("log_index", JsonValueKind.Number),
                     ("bundle_url", JsonValueKind.String) })
            Assert.Equal(kind, letter.GetProperty(name).ValueKind);
        Assert.Equal(demo.Letter.ToString(), letter.GetProperty("letter_id").GetString());
        Assert.Equal("valid", letter.GetProperty("status").GetString());
        Assert.Equal(DemoWorkspace.AssessorName, letter.GetProperty("issuer").GetString());
        Assert.Equal(JsonValueKind.Null, letter.GetProperty("revoked_at").ValueKind);
        var watch = json.GetProperty("watch");
        Assert.Equal(["watched_since", "last_event_at"], watch.EnumerateObject().Select(p => p.Name));

        // The bundle the JSON points to is the letter file as issued.
        var bundle = await anonymous.GetByteArrayAsync(new Uri(letter.GetProperty("bundle_url").GetString()!).PathAndQuery);
        Assert.Equal((await new LetterStore(server.Installation, TimeProvider.System).FileAsync(demo.Letter!.Value))!.Bundle, bundle);

        using (var attestations = new Attestations(server.Installation))
            await attestations.RevokeAsync(demo.Letter!.Value, "Scope was misstated");
        var revoked = await EventuallyAsync(anonymous, "/trust/granite-peak.json", j => j.GetProperty("letters")[0].GetProperty("status").GetString() == "revoked");
        Assert.Equal("Scope was misstated", revoked.GetProperty("letters")[0].GetProperty("revocation_reason").GetString());
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("letters")[0].GetProperty("revoked_at").ValueKind);
        var page = await EventuallyAsync(anonymous, "/trust/granite-peak", html => html.Contains("Withdrawn (revoked)"));
        Assert.Contains("Withdrawn (revoked)", page);
        Assert.Contains("Scope was misstated", page);
        var badge = await anonymous.GetAsync("/trust/granite-peak/badge.svg");
        Assert.Equal("image/svg+xml", badge.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age=60", badge.Headers.CacheControl?.ToString());
        Assert.Contains(">revoked<", await badge.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync("/api/v1/trust")).StatusCode);
        foreach (var path in new[] { "/trust/granite-peak", "/trust/granite-peak.json", "/trust/granite-peak/badge.svg" })
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Only_an_owner_publishes_a_slug_is_lowercase_and_unique_and_errors_name_the_slug(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, first) = await server.NewTenantAsync("First MSP", "msp");
        var (_, second) = await server.NewTenantAsync("Second MSP", "msp");
        var (_, viewer) = await server.NewTenantAsync("Third MSP", "msp", Roles.Viewer);

        foreach (var bad in new[] { "Acme-IT", "a", "acme_it", "-acme", "acme--it", "" })
        {
            var refused = await first.PutAsJsonAsync("/api/v1/trust", new { slug = bad });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("slug", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await first.PutAsJsonAsync("/api/v1/trust", new { slug = "acme-it" })).StatusCode);
        var taken = await second.PutAsJsonAsync("/api/v1/trust", new { slug = "acme-it" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("taken", await taken.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync("/api/v1/trust", new { slug = "third-msp" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("/api/v1/trust")).StatusCode);

        // Moving the page frees the old address at once.
        Assert.Equal(HttpStatusCode.OK, (await first.PutAsJsonAsync("/api/v1/trust", new { slug = "acme-managed-it" })).StatusCode);
        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/trust/acme-it.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/trust/acme-managed-it.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.PutAsJsonAsync("/api/v1/trust", new { slug = "acme-it" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/trust/nobody-here")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Nothing_private_of_the_workspace_appears_on_the_page_its_JSON_or_its_badge(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        using var owner = await MspOwnerAsync(server, demo);

        // The MSP's own portfolio, with a customer whose name is secret and the matrix the page may show.
        const string secretCustomer = "Zebulon Secret Orthodontics";
        const string secretTool = "https://vsa.secret-instance.example";
        var crm = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "crm-frontrange-it.yaml")).Replace("provider: frontrange-it", "provider: granite-peak", StringComparison.Ordinal);
        var portfolio = new Portfolio
        {
            Organizations =
            [
                new Organization { Id = "zebulon", Name = secretCustomer, Kind = OrganizationKind.Customer, Data = DataClasses.Phi },
                new Organization { Id = "granite-peak", Name = DemoWorkspace.MspName, Kind = OrganizationKind.Msp, CustodesOrganization = demo.MspOrganization.ToString() },
            ],
            Tools = [new Tool { Id = "granite-vsa", Product = ToolProduct.KaseyaVsa, Operator = "granite-peak", Instance = secretTool }],
            Relationships = [new Relationship { Id = "granite-zebulon", Customer = "zebulon", Provider = "granite-peak", Services = Services.HelpDesk, Tools = ["granite-vsa"], Access = AccessLevels.AdminAllEndpoints }],
        };
        var audit = new AuditTrail(TimeProvider.System);
        await new PortfolioStore(server.Installation, audit, TimeProvider.System).ImportAsync(Application.Tenant.Operator(demo.MspOrganization), portfolio,
            [MatrixUpload.Parse(Encoding.UTF8.GetBytes(crm), "crm")], "test");

        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync("/api/v1/trust", new { slug = "granite-peak" })).StatusCode);
        using var anonymous = server.Client();
        var html = await anonymous.GetStringAsync("/trust/granite-peak");
        var json = await anonymous.GetStringAsync("/trust/granite-peak.json");
        var svg = await anonymous.GetStringAsync("/trust/granite-peak/badge.svg");

        Assert.Contains("id=\"matrix\"", html); // what customers inherit is shown…
        Assert.Contains(demo.Letter.ToString()!, json);
        string[] secrets = [secretCustomer, secretTool, "zebulon", .. DemoWorkspace.CustomerNames, "RMM access policy", "CMDB export", "rmm-mfa-policy", "cmdb-export",
            "smile-dental", "office@smiledental.example", "admin@granitepeak.example"];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, json, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, svg, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<HttpClient> MspOwnerAsync(RunningServer server, DemoSummary demo)
    {
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var (_, key) = await accounts.CreateApiKeyAsync("admin@granitepeak.example", demo.MspOrganization, "test", [], "test");
        return server.Client(key);
    }

    /// <summary>The public copies are cached for two seconds: reads until the condition holds, for at most ten.</summary>
    private static async Task<string> EventuallyAsync(HttpClient client, string path, Func<string, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var text = await client.GetStringAsync(path);
            if (condition(text) || DateTime.UtcNow > until) return text;
            await Task.Delay(250);
        }
    }

    private static async Task<JsonElement> EventuallyAsync(HttpClient client, string path, Func<JsonElement, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var json = await client.GetFromJsonAsync<JsonElement>(path);
            if (condition(json) || DateTime.UtcNow > until) return json;
            await Task.Delay(250);
        }
    }
}
