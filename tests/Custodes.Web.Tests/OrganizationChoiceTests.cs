using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Organizations;
using Custodes.Application.Watch;
using Custodes.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Web.Tests;

/// <summary>Organizations by name: unique names, sign-up's choice of kind, and pickers that offer only organizations the tenant knows.</summary>
public sealed class OrganizationChoiceTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_second_organization_of_the_same_kind_cannot_take_a_name_ignoring_case_and_spacing(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var first = await AccountsTests.SignUpAsync(server, "ana@northgate.example", "Northgate Security Assessors LLC");
        using var second = server.Session();
        var refused = await second.PostFormAsync("/account/sign-up",
            [new("Email", "eve@copycat.example"), new("Password", RunningServer.Password), new("Organization", "  northgate   SECURITY assessors llc "), new("Kind", "assessor")]);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("already exists", await refused.Content.ReadAsStringAsync());
        await using (var db = server.Installation.OpenDb())
            Assert.False(db.Users.Any(u => u.Email == "eve@copycat.example"));
        // Another kind may carry the name: an MSP is not mistaken for the assessor firm.
        using var msp = await AccountsTests.SignUpAsync(server, "it@northgate-msp.example", "Northgate Security Assessors LLC", "msp");

        var organizations = new OrganizationStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var error = await Assert.ThrowsAsync<Common.BadInputException>(() => organizations.CreateAsync("NORTHGATE SECURITY ASSESSORS LLC", "assessor", "test"));
        Assert.Contains("already exists", error.Message);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Sign_up_asks_which_kind_of_organization_and_chooses_none_by_itself(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var session = server.Session();
        var (_, page, _) = await session.GetAsync("/account/sign-up");
        Assert.DoesNotContain("checked", page.Split("id=\"kind\"")[1].Split("</fieldset>")[0]);
        Assert.Contains("IT provider (MSP)", page);
        Assert.Contains("Business that uses IT providers", page);
        var missing = await session.PostFormAsync("/account/sign-up",
            [new("Email", "ana@firm.example"), new("Password", RunningServer.Password), new("Organization", "Ana's firm")]);
        Assert.Contains("choose what kind of organization", await missing.Content.ReadAsStringAsync());
        await using var db = server.Installation.OpenDb();
        Assert.False(db.Organizations.Any(o => o.Name == "Ana's firm"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Sharing_offers_known_organizations_by_name_and_finds_others_only_by_their_exact_name(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, email, key) = await server.NewAccountAsync("Northgate");
        // The assessed organization has an account: it is offered. An unrelated one is not.
        var (subject, _) = await server.NewTenantAsync("Granite Peak Managed IT LLC", "msp");
        await server.NewTenantAsync("Quiet Neighbour Dental", "customer");
        var created = await server.Client(key).PostAsync("/api/v1/assessments",
            new StringContent(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")), System.Text.Encoding.UTF8, "application/json"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var session = server.Session();
        await session.SignInAsync(email);
        var (_, page, _) = await session.GetAsync($"/assessments/{id}/shares");
        var offered = page.Split("<datalist id=\"share-candidates\">")[1].Split("</datalist>")[0];
        Assert.Contains("Granite Peak Managed IT LLC", offered);
        Assert.DoesNotContain("Quiet Neighbour Dental", offered);

        var byName = await session.PostFormAsync($"/assessments/{id}/shares", [new("organization", "granite peak managed it llc")], $"/assessments/{id}/shares?handler=share");
        Assert.Contains("Shared with Granite Peak Managed IT LLC", await byName.Content.ReadAsStringAsync());
        var exact = await session.PostFormAsync($"/assessments/{id}/shares", [new("organization", "Quiet Neighbour Dental")], $"/assessments/{id}/shares?handler=share");
        Assert.Contains("Shared with Quiet Neighbour Dental", await exact.Content.ReadAsStringAsync());
        var unknown = await session.PostFormAsync($"/assessments/{id}/shares", [new("organization", "Quiet Neighbour")], $"/assessments/{id}/shares?handler=share");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("named exactly", await unknown.Content.ReadAsStringAsync());
        Assert.NotEqual(Guid.Empty, subject);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Watch_tenant_mapping_offers_the_MSPs_customers_by_name(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (msp, email, _) = await server.NewAccountAsync("Granite Peak IT", "msp");
        var (smile, _) = await server.NewTenantAsync("Smile Dental", "customer");
        await server.NewTenantAsync("Someone Else's Dental", "customer");
        await server.Services.GetRequiredService<WatchMspStore>().MapTenantAsync(new Tenant(msp, Roles.Owner, "test"), "smile-dental", smile);
        using var session = server.Session();
        await session.SignInAsync(email);
        var (status, page, _) = await session.GetAsync("/watch/settings");
        Assert.Equal(HttpStatusCode.OK, status);
        var offered = page.Split("<datalist id=\"customer-candidates\">")[1].Split("</datalist>")[0];
        Assert.Contains("Smile Dental", offered);
        Assert.DoesNotContain("Someone Else", offered);
        var unknown = await session.PostFormAsync("/watch/settings", [new("tenant", "front-desk"), new("customer", "Nobody Dental")], "/watch/settings?handler=map");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("no customer organization is named exactly", await unknown.Content.ReadAsStringAsync());
        var byName = await session.PostFormAsync("/watch/settings", [new("tenant", "smile-front"), new("customer", "smile dental")], "/watch/settings?handler=map");
        Assert.DoesNotContain("named exactly", await byName.Content.ReadAsStringAsync());
    }
}
