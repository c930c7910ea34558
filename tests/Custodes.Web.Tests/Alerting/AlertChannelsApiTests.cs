using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Web.Tests.Alerting;

public sealed class AlertChannelsApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Owners_manage_channels_other_tenants_get_404_and_every_change_is_audited(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (msp, owner) = await server.NewTenantAsync("Granite Peak IT", "msp");
        var (webhook, secret) = await AlertDeliveryTests.AddChannelAsync(owner, new { kind = "webhook", url = "https://soc.granitepeak.example/hooks/custodes", min_severity = "high" });
        var (mail, _) = await AlertDeliveryTests.AddChannelAsync(owner, new { kind = "email", address = "soc@granitepeak.example" });

        var list = await owner.GetFromJsonAsync<JsonElement>("/api/v1/alert-channels");
        Assert.Equal(2, list.GetArrayLength());
        Assert.DoesNotContain(secret!, list.GetRawText());
        var email = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/alert-channels/{mail}");
        Assert.Equal("medium", email.GetProperty("min_severity").GetString());
        Assert.True(email.GetProperty("enabled").GetBoolean());

        var changed = await owner.PatchAsJsonAsync($"/api/v1/alert-channels/{webhook}", new { min_severity = "critical", enabled = false });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var after = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("critical", after.GetProperty("min_severity").GetString());
        Assert.False(after.GetProperty("enabled").GetBoolean());

        // The secret is kept encrypted: the database never holds it in clear.
        await using (var db = server.Installation.OpenDb())
        {
            var stored = await db.AlertChannels.AsNoTracking().SingleAsync(c => c.Id == webhook);
            Assert.NotNull(stored.ProtectedSecret);
            Assert.DoesNotContain(secret!, stored.ProtectedSecret);
            Assert.DoesNotContain(secret![6..], stored.ProtectedSecret);
        }
        var rotated = await (await owner.PostAsync($"/api/v1/alert-channels/{webhook}/secret", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(secret, rotated.GetProperty("secret").GetString());

        // Another organization sees nothing of them.
        var (_, stranger) = await server.NewTenantAsync("Smile Dental", "customer");
        Assert.Equal(0, (await stranger.GetFromJsonAsync<JsonElement>("/api/v1/alert-channels")).GetArrayLength());
        await ProblemAsync(await stranger.GetAsync($"/api/v1/alert-channels/{webhook}"), HttpStatusCode.NotFound);
        await ProblemAsync(await stranger.PatchAsJsonAsync($"/api/v1/alert-channels/{webhook}", new { enabled = true }), HttpStatusCode.NotFound);
        await ProblemAsync(await stranger.DeleteAsync($"/api/v1/alert-channels/{webhook}"), HttpStatusCode.NotFound);
        await ProblemAsync(await stranger.PostAsync($"/api/v1/alert-channels/{webhook}/test", null), HttpStatusCode.NotFound);
        await ProblemAsync(await stranger.PostAsync($"/api/v1/alert-channels/{webhook}/secret", null), HttpStatusCode.NotFound);
        await ProblemAsync(await stranger.GetAsync($"/api/v1/alert-channels/{webhook}/deliveries"), HttpStatusCode.NotFound);

        // A member who is not an owner reads but does not change.
        var (_, viewer) = await NewMemberAsync(server, msp, Roles.Viewer);
        Assert.Equal(2, (await viewer.GetFromJsonAsync<JsonElement>("/api/v1/alert-channels")).GetArrayLength());
        await ProblemAsync(await viewer.PostAsJsonAsync("/api/v1/alert-channels", new { kind = "email", address = "x@granitepeak.example" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await viewer.DeleteAsync($"/api/v1/alert-channels/{mail}"), HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/alert-channels/{mail}")).StatusCode);
        await ProblemAsync(await owner.GetAsync($"/api/v1/alert-channels/{mail}"), HttpStatusCode.NotFound);

        var audit = await new AuditLog(server.Installation, new AuditTrail(TimeProvider.System)).ListAsync(msp, new AuditFilter(), 0, 100);
        var actions = audit.Where(e => e.EntityType == "alert_channel").Select(e => e.Action).ToArray();
        Assert.Equal(2, actions.Count(a => a == "alert_channel.created"));
        Assert.Contains("alert_channel.updated", actions);
        Assert.Contains("alert_channel.secret_rotated", actions);
        Assert.Contains("alert_channel.deleted", actions);
        Assert.DoesNotContain(audit, e => (e.After ?? "").Contains("whsec_") || (e.Before ?? "").Contains("whsec_"));
        await using var verifyDb = server.Installation.OpenDb();
        Assert.True((await AuditTrail.VerifyAsync(verifyDb)).Valid);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Plain_http_webhooks_are_accepted_only_to_loopback_unless_the_installation_allows_them(DatabaseProvider provider)
    {
        await using (var server = await RunningServer.StartAsync(provider))
        {
            var (_, owner) = await server.NewTenantAsync("Granite Peak IT", "msp");
            foreach (var local in new[] { "http://127.0.0.1:9/hook", "http://localhost:9/hook", "http://[::1]:9/hook" })
                await AlertDeliveryTests.AddChannelAsync(owner, new { kind = "webhook", url = local });
            var refused = await ProblemAsync(await owner.PostAsJsonAsync("/api/v1/alert-channels", new { kind = "webhook", url = "http://soc.granitepeak.example/in" }), HttpStatusCode.BadRequest);
            Assert.Contains("AllowHttpWebhooks", refused.GetProperty("detail").GetString());
        }
        await using (var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Alerting:AllowHttpWebhooks"] = "true" }))
        {
            var (_, owner) = await server.NewTenantAsync("Granite Peak IT", "msp");
            await AlertDeliveryTests.AddChannelAsync(owner, new { kind = "webhook", url = "http://soc.granitepeak.example/in" });
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Bad_channels_are_refused_with_a_problem_naming_the_field(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, owner) = await server.NewTenantAsync("Granite Peak IT", "msp");
        async Task<(string Path, string Detail)> RefusedAsync(object body)
        {
            var problem = await ProblemAsync(await owner.PostAsJsonAsync("/api/v1/alert-channels", body), HttpStatusCode.BadRequest);
            return (problem.GetProperty("path").GetString()!, problem.GetProperty("detail").GetString()!);
        }

        var ftp = await RefusedAsync(new { kind = "webhook", url = "ftp://soc.example/in" });
        Assert.Equal("$.url", ftp.Path);
        Assert.Contains("webhook URLs must be http or https; 'ftp' is not supported", ftp.Detail);
        Assert.Equal("$.url", (await RefusedAsync(new { kind = "webhook", url = "soc.example/in" })).Path);
        var plain = await RefusedAsync(new { kind = "webhook", url = "http://soc.example/in" });
        Assert.Equal("$.url", plain.Path);
        Assert.Contains("plain http", plain.Detail);
        Assert.Contains("https://", plain.Detail);
        Assert.Equal("$.url", (await RefusedAsync(new { kind = "webhook" })).Path);
        Assert.Equal("$.address", (await RefusedAsync(new { kind = "email", address = "not an address" })).Path);
        Assert.Equal("$.kind", (await RefusedAsync(new { kind = "pager", url = "https://x.example" })).Path);
        Assert.Equal("$.min_severity", (await RefusedAsync(new { kind = "email", address = "a@b.example", min_severity = "urgent" })).Path);
        Assert.Equal(0, (await owner.GetFromJsonAsync<JsonElement>("/api/v1/alert-channels")).GetArrayLength());
    }

    private static async Task<(Guid, HttpClient)> NewMemberAsync(RunningServer server, Guid organization, string role)
    {
        var audit = new AuditTrail(TimeProvider.System);
        var accounts = new Application.Accounts.AccountStore(server.Installation, audit, TimeProvider.System);
        var email = $"{Guid.NewGuid():N}@example.test";
        await accounts.CreateUserAsync(email, organization, role, null, "test");
        var (_, key) = await accounts.CreateApiKeyAsync(email, organization, "test", [], "test");
        return (organization, server.Client(key));
    }
}
