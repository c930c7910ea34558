using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>Revoking a letter is public and final: it is confirmed with what it will do, and never done without a reason, through any door.</summary>
public sealed class RevokeLetterTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_revoke_page_names_the_letter_subject_and_customers_whose_score_drops_and_refuses_an_empty_reason(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        using var assessor = server.Session();
        await assessor.SignInAsync("lead@northgate.example", DemoWorkspace.Password);

        // The list links to the confirmation; it revokes nothing itself.
        var (_, list, _) = await assessor.GetAsync("/supply-chain/letters");
        Assert.Contains($"href=\"/supply-chain/letters/{demo.Letter}/revoke\"", list);
        Assert.DoesNotContain("handler=revoke", list);

        var (status, confirm, _) = await assessor.GetAsync($"/supply-chain/letters/{demo.Letter}/revoke");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<dd id=\"revoke-subject\">{DemoWorkspace.MspName}</dd>", confirm);
        Assert.Contains("<strong>1 customer organization will see its score drop</strong>", confirm);
        Assert.Contains(DemoWorkspace.CustomerNames[0], confirm);
        Assert.Contains("cannot be undone", confirm);

        foreach (var blank in new[] { "", "   \n\t " })
        {
            var refused = await assessor.PostFormAsync($"/supply-chain/letters/{demo.Letter}/revoke", [new("reason", blank)]);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Write the reason for revoking the letter", await refused.Content.ReadAsStringAsync());
        }
        using var stillValid = server.Client();
        Assert.Equal("valid", (await stillValid.GetFromJsonAsync<JsonElement>($"/api/v1/letters/{demo.Letter}/status")).GetProperty("status").GetString());

        var done = await assessor.PostFormAsync($"/supply-chain/letters/{demo.Letter}/revoke", [new("reason", "Scope was misstated")]);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("1 customer organization(s) inheriting from it were recomputed and notified", await done.Content.ReadAsStringAsync());
        Assert.Equal("revoked", (await stillValid.GetFromJsonAsync<JsonElement>($"/api/v1/letters/{demo.Letter}/status")).GetProperty("status").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_API_previews_a_revocation_and_answers_400_naming_the_reason_when_it_is_blank(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var (_, key) = await accounts.CreateApiKeyAsync("lead@northgate.example", demo.AssessorOrganization, "test", [], "test");
        var api = server.Client(key);

        var impact = await api.GetFromJsonAsync<JsonElement>($"/api/v1/letters/{demo.Letter}/revocation-impact");
        Assert.Equal(1, impact.GetProperty("score_drops").GetInt32());
        var customer = Assert.Single(impact.GetProperty("customers").EnumerateArray());
        Assert.Equal(DemoWorkspace.CustomerNames[0], customer.GetProperty("name").GetString());
        Assert.True(customer.GetProperty("score_after").GetInt32() < customer.GetProperty("score_before").GetInt32());

        foreach (var body in new object[] { new { reason = "  " }, new { reason = (string?)null }, new { } })
        {
            var refused = await api.PostAsJsonAsync($"/api/v1/letters/{demo.Letter}/revocation", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("reason", problem.GetProperty("path").GetString());
        }

        // Another firm's key: not found, as any other tenant's resource.
        var (otherOrg, otherEmail) = await OtherFirmAsync(server.Installation);
        var (_, otherKey) = await accounts.CreateApiKeyAsync(otherEmail, otherOrg, "test", [], "test");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client(otherKey).PostAsJsonAsync($"/api/v1/letters/{demo.Letter}/revocation", new { reason = "mine now" })).StatusCode);

        var revoked = await api.PostAsJsonAsync($"/api/v1/letters/{demo.Letter}/revocation", new { reason = "Scope was misstated" });
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var result = await revoked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("revoked", result.GetProperty("status").GetString());
        Assert.Equal(1, result.GetProperty("supply_chain_notices").GetInt32());
    }

    private static async Task<(Guid Organization, string Email)> OtherFirmAsync(Installation installation)
    {
        var audit = new AuditTrail(TimeProvider.System);
        var org = await new Application.Organizations.OrganizationStore(installation, audit, TimeProvider.System).CreateAsync("Other Assessors LLC", "assessor", "test");
        var email = "owner@other-assessors.example";
        await new AccountStore(installation, audit, TimeProvider.System).CreateUserAsync(email, org, Roles.Owner, RunningServer.Password, "test");
        return (org, email);
    }
}
