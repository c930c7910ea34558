using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Watch;
using Custodes.Testing;
using Custodes.Watch.Detection;
using Custodes.Web.Tests.Alerting;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Web.Tests;

/// <summary>An MSP's tenant mapping is a request: it reaches a customer organization only once that customer accepts the MSP.</summary>
public sealed class WatchConsentTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Custodes:Alerting:AllowPrivateWebhookTargets"] = "true",
        ["Custodes:Alerting:FirstRetryDelay"] = "00:00:00.200",
        ["Custodes:Alerting:PollInterval"] = "00:00:00.500",
    };

    private static readonly DateTimeOffset Start = new(2019, 8, 29, 3, 12, 7, TimeSpan.Zero);

    private static Alert Touching(string actor, params string[] tenants) => new()
    {
        Rule = RuleIds.BackupDestruction, Severity = Severity.Critical, Msp = "granite-peak", Actor = actor, Tenants = tenants,
        FirstSeen = Start, LastSeen = Start.AddMinutes(1), EventCount = tenants.Length, Summary = "vssadmin delete shadows",
    };

    private static async Task<JsonElement[]> AlertsAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("/api/v1/watch/alerts")).GetProperty("items").EnumerateArray()];

    [Theory, MemberData(nameof(Providers))]
    public async Task An_MSP_cannot_push_alerts_into_a_customer_that_has_not_accepted_it(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings());
        var (msp, mspOwner) = await server.NewTenantAsync("Granite Peak Managed IT", "msp");
        var (victim, victimOwner) = await server.NewTenantAsync("Smile Dental", "customer");
        await AlertDeliveryTests.AddChannelAsync(mspOwner, new { kind = "webhook", url = receiver.Url("msp"), min_severity = "low" });
        await AlertDeliveryTests.AddChannelAsync(victimOwner, new { kind = "webhook", url = receiver.Url("victim"), min_severity = "low" });

        // The attack: the MSP maps one of its tenants to an organization id it learned somewhere.
        var mapped = await mspOwner.PutAsJsonAsync("/api/v1/watch/tenants/smile-dental", new { customer_organization_id = victim });
        Assert.Equal(HttpStatusCode.OK, mapped.StatusCode);
        var reply = await mapped.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Smile Dental", reply);
        var mapping = JsonDocument.Parse(reply).RootElement;
        Assert.Equal("pending", mapping.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, mapping.GetProperty("customer_name").ValueKind);

        var publisher = server.Services.GetRequiredService<AlertPublisher>();
        await publisher.PublishAsync(msp, null, Touching("jdoe", "smile-dental"), [], growing: false);
        await receiver.WaitAsync("msp", 1); // the MSP's own view has it
        Assert.Single(await AlertsAsync(mspOwner));
        await server.AlertDeliveryIdleAsync(); // everything enqueued is sent (and the victim would have had it by now)
        Assert.Empty(receiver.Received("victim"));
        Assert.Empty(await AlertsAsync(victimOwner));
        Assert.Equal(0, (await victimOwner.GetFromJsonAsync<JsonElement>("/api/v1/watch/alerts?customer=" + victim)).GetProperty("items").GetArrayLength());

        // The customer sees who asks, and what it answered decides.
        var requests = await victimOwner.GetFromJsonAsync<JsonElement>("/api/v1/watch/providers");
        var request = Assert.Single(requests.EnumerateArray());
        Assert.Equal("Granite Peak Managed IT", request.GetProperty("msp_name").GetString());
        Assert.Equal("pending", request.GetProperty("state").GetString());
        Assert.Equal(1, request.GetProperty("tenants").GetInt32());

        var declined = await victimOwner.PostAsync($"/api/v1/watch/providers/{msp}/decline", null);
        Assert.Equal("declined", (await declined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        await publisher.PublishAsync(msp, null, Touching("mallory", "smile-dental"), [], growing: false);
        await receiver.WaitAsync("msp", 2);
        await server.AlertDeliveryIdleAsync();
        Assert.Empty(receiver.Received("victim"));
        Assert.Empty(await AlertsAsync(victimOwner));
        // Declined is the customer's answer; it still does not name the customer.
        var listed = Assert.Single((await mspOwner.GetFromJsonAsync<JsonElement>("/api/v1/watch/tenants")).EnumerateArray());
        Assert.Equal("declined", listed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("customer_name").ValueKind);
        await using (var db = server.Installation.OpenDb())
            Assert.Contains("watch.provider_declined", db.Audit.Where(a => a.OrganizationId == victim).Select(a => a.Action).ToList());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Once_the_customer_accepts_the_MSP_its_alerts_and_webhooks_follow(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings());
        var (msp, mspOwner) = await server.NewTenantAsync("Granite Peak Managed IT", "msp");
        var (smile, smileOwner) = await server.NewTenantAsync("Smile Dental", "customer");
        var (_, smileViewer) = await NewMemberAsync(server, smile, Roles.Viewer);
        await AlertDeliveryTests.AddChannelAsync(smileOwner, new { kind = "webhook", url = receiver.Url("smile"), min_severity = "low" });
        await mspOwner.PutAsJsonAsync("/api/v1/watch/tenants/smile-dental", new { customer_organization_id = smile });

        Assert.Equal(HttpStatusCode.Forbidden, (await smileViewer.PostAsync($"/api/v1/watch/providers/{msp}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await smileOwner.PostAsync($"/api/v1/watch/providers/{Guid.NewGuid()}/accept", null)).StatusCode);
        var accepted = await smileOwner.PostAsync($"/api/v1/watch/providers/{msp}/accept", null);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("accepted", (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());

        var listed = Assert.Single((await mspOwner.GetFromJsonAsync<JsonElement>("/api/v1/watch/tenants")).EnumerateArray());
        Assert.Equal("active", listed.GetProperty("status").GetString());
        Assert.Equal("Smile Dental", listed.GetProperty("customer_name").GetString());
        // A tenant mapped after acceptance is in effect at once.
        var second = await (await mspOwner.PutAsJsonAsync("/api/v1/watch/tenants/smile-annex", new { customer_organization_id = smile })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("active", second.GetProperty("status").GetString());

        await server.Services.GetRequiredService<AlertPublisher>().PublishAsync(msp, null, Touching("jdoe", "smile-annex", "oak-family"), [], growing: false);
        var toSmile = JsonDocument.Parse(Assert.Single(await receiver.WaitAsync("smile", 1)).Body).RootElement.GetProperty("alert");
        Assert.Equal(["smile-annex"], toSmile.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Single(await AlertsAsync(smileOwner));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_reply_to_a_mapping_is_the_same_for_an_unknown_id_an_MSP_and_a_customer_that_has_not_accepted(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, mspOwner) = await server.NewTenantAsync("Granite Peak Managed IT", "msp");
        var (customer, _) = await server.NewTenantAsync("Smile Dental", "customer");
        var (otherMsp, _) = await server.NewTenantAsync("Rival IT", "msp");
        var (assessor, _) = await server.NewTenantAsync("Northgate Assessors", "assessor");

        async Task<(HttpStatusCode, string)> MapAsync(string tenant, Guid id)
        {
            var response = await mspOwner.PutAsJsonAsync($"/api/v1/watch/tenants/{tenant}", new { customer_organization_id = id });
            return (response.StatusCode, (await response.Content.ReadAsStringAsync()).Replace(tenant, "T").Replace(id.ToString(), "ID"));
        }
        var real = await MapAsync("t-real", customer);
        Assert.Equal(HttpStatusCode.OK, real.Item1);
        Assert.Equal(real, await MapAsync("t-unknown", Guid.NewGuid()));
        Assert.Equal(real, await MapAsync("t-msp", otherMsp));
        Assert.Equal(real, await MapAsync("t-assessor", assessor));
        foreach (var name in new[] { "Smile Dental", "Rival IT", "Northgate Assessors" })
            Assert.DoesNotContain(name, await mspOwner.GetStringAsync("/api/v1/watch/tenants"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_customer_owner_sees_the_request_in_plain_words_and_accepts_it_on_the_alerts_page(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (msp, mspOwner) = await server.NewTenantAsync("Granite Peak Managed IT", "msp");
        var (customer, email, _) = await server.NewAccountAsync("Smile Dental", "customer");
        await mspOwner.PutAsJsonAsync("/api/v1/watch/tenants/smile-dental", new { customer_organization_id = customer });

        using var session = server.Session();
        await session.SignInAsync(email);
        var (_, dashboard, _) = await session.GetAsync("/");
        Assert.Contains("Granite Peak Managed IT wants to send you security alerts about your computers.", WebUtility.HtmlDecode(dashboard));
        var (status, page, _) = await session.GetAsync("/watch/alerts");
        Assert.Equal(HttpStatusCode.OK, status);
        page = WebUtility.HtmlDecode(page);
        Assert.Contains("Granite Peak Managed IT wants to send you security alerts about your computers.", page);
        Assert.Contains(">Accept</button>", page);
        Assert.Contains(">Decline</button>", page);

        var accepted = await session.PostFormAsync("/watch/alerts", [new("msp", msp.ToString()), new("decision", "accept")], "/watch/alerts?handler=decide");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("You accepted Granite Peak Managed IT's alerts", WebUtility.HtmlDecode(await accepted.Content.ReadAsStringAsync()));
        var providers = await server.Services.GetRequiredService<WatchConsentStore>().ListAsync(new Tenant(customer, Roles.Owner, "test"));
        Assert.Equal(ConsentStates.Accepted, Assert.Single(providers).State);
        (_, dashboard, _) = await session.GetAsync("/");
        Assert.DoesNotContain("wants to send you security alerts", dashboard);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_customer_whose_own_portfolio_names_the_MSP_its_provider_needs_no_separate_acceptance(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (msp, mspOwner) = await server.NewTenantAsync("Granite Peak Managed IT", "msp");
        var (customer, _) = await server.NewTenantAsync("Smile Dental", "customer");
        var portfolio = Guid.NewGuid();
        await using (var db = server.Installation.OpenDb())
        {
            // The customer's own stored portfolio: itself, served by an entry linked to the MSP's account here.
            db.Portfolios.Add(new Application.Database.PortfolioRow { Id = portfolio, OwnerOrganizationId = customer, OwnerKey = customer.ToString(), Version = 1, ImportedAt = DateTime.UtcNow, ImportedBy = "test" });
            db.PortfolioOrganizations.Add(new Application.Database.PortfolioOrganizationRow { PortfolioId = portfolio, Key = "smile", Position = 0, Name = "Smile Dental", Kind = "customer", LinkedOrganizationId = customer });
            db.PortfolioOrganizations.Add(new Application.Database.PortfolioOrganizationRow { PortfolioId = portfolio, Key = "granite", Position = 1, Name = "Granite Peak", Kind = "msp", LinkedOrganizationId = msp });
            db.PortfolioRelationships.Add(new Application.Database.PortfolioRelationshipRow { PortfolioId = portfolio, Position = 0, Customer = "smile", Provider = "granite" });
            await db.SaveChangesAsync();
        }
        var mapping = await (await mspOwner.PutAsJsonAsync("/api/v1/watch/tenants/smile-dental", new { customer_organization_id = customer })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("active", mapping.GetProperty("status").GetString());
        Assert.Equal("Smile Dental", mapping.GetProperty("customer_name").GetString());
    }

    private static async Task<(Guid, HttpClient)> NewMemberAsync(RunningServer server, Guid organization, string role)
    {
        var audit = new Application.Audit.AuditTrail(TimeProvider.System);
        var accounts = new Application.Accounts.AccountStore(server.Installation, audit, TimeProvider.System);
        var email = $"{Guid.NewGuid():N}@example.test";
        await accounts.CreateUserAsync(email, organization, role, null, "test");
        var (_, key) = await accounts.CreateApiKeyAsync(email, organization, "test", [], "test");
        return (organization, server.Client(key));
    }
}
