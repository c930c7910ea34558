using System.Net;
using Custodes.Storage;
using Custodes.Storage.Accounts;
using Custodes.Storage.Audit;
using Custodes.Storage.Organizations;
using Custodes.Testing;

namespace Custodes.Web.Tests;

public sealed class OidcTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static Dictionary<string, string?> Settings(TestOidcProvider oidc) => new()
    {
        ["Custodes:Oidc:Authority"] = oidc.Issuer,
        ["Custodes:Oidc:ClientId"] = TestOidcProvider.ClientId,
        ["Custodes:Oidc:ClientSecret"] = TestOidcProvider.ClientSecret,
        ["Custodes:Oidc:DisplayName"] = "Test IdP",
        ["Custodes:Oidc:RequireHttpsMetadata"] = "false",
    };

    /// <summary>Follows redirects by hand (the app's and the provider's), keeping cookies, until a page answers.</summary>
    private static async Task<(HttpStatusCode Status, string Location)> FollowAsync(WebSession session, string start)
    {
        var url = start;
        for (var hops = 0; hops < 10; hops++)
        {
            var response = await session.Http.GetAsync(url);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)) return (response.StatusCode, url);
            url = new Uri(new Uri(url.StartsWith("http", StringComparison.Ordinal) ? url : new Uri(session.Http.BaseAddress!, url).ToString()), response.Headers.Location!).ToString();
        }
        throw new InvalidOperationException("too many redirects");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task OpenID_Connect_signs_in_the_member_whose_email_the_provider_vouches_for(DatabaseProvider provider)
    {
        await using var oidc = await TestOidcProvider.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings(oidc));
        var audit = new AuditTrail(TimeProvider.System);
        var org = await new OrganizationStore(server.Installation, audit, TimeProvider.System).CreateAsync("Northgate", "assessor", "test");
        await new AccountStore(server.Installation, audit, TimeProvider.System).CreateUserAsync("ana@firm.example", org, Roles.Assessor, null, "test");

        using var session = server.Session();
        Assert.Contains("Sign in with Test IdP", (await session.GetAsync("/account/sign-in")).Html);
        var (status, location) = await FollowAsync(session, "/account/sso");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.EndsWith("/", location);
        Assert.Equal(1, oidc.TokensIssued);
        var (_, html, _) = await session.GetAsync("/");
        Assert.Contains("ana@firm.example · Northgate (assessor)", html);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task OpenID_Connect_refuses_an_email_with_no_account(DatabaseProvider provider)
    {
        await using var oidc = await TestOidcProvider.StartAsync();
        oidc.Email = "stranger@elsewhere.example";
        await using var server = await RunningServer.StartAsync(provider, Settings(oidc));
        using var session = server.Session();
        await FollowAsync(session, "/account/sso");
        var (status, _, _) = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Without_configuration_there_is_no_single_sign_on(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var session = server.Session();
        Assert.DoesNotContain("/account/sso", (await session.GetAsync("/account/sign-in")).Html);
        Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync("/account/sso")).Status);
    }
}
