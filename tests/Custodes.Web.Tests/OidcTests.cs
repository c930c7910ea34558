using System.Net;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Application.Organizations;
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

    private static async Task<Guid> OrganizationAsync(RunningServer server, string name = "Northgate") =>
        await new OrganizationStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System).CreateAsync(name, "assessor", "test");

    private static AccountStore Accounts(RunningServer server) => new(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);

    [Theory, MemberData(nameof(Providers))]
    public async Task An_email_the_provider_did_not_verify_never_signs_into_the_account_with_that_email(DatabaseProvider provider)
    {
        await using var oidc = await TestOidcProvider.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings(oidc));
        var org = await OrganizationAsync(server);
        // An account made for single sign-on (no password): the easiest to take over if the email claim alone counted.
        await Accounts(server).CreateUserAsync("ana@firm.example", org, Roles.Owner, null, "test");
        foreach (var verified in new bool?[] { false, null })
        {
            oidc.EmailVerified = verified;
            using var session = server.Session();
            var (status, _) = await FollowAsync(session, "/account/sso");
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/")).Status);
        }
        await using var db = server.Installation.OpenDb();
        Assert.Empty(db.ExternalLogins);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_account_with_a_password_is_linked_to_single_sign_on_only_after_its_password_is_given(DatabaseProvider provider)
    {
        await using var oidc = await TestOidcProvider.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings(oidc));
        var org = await OrganizationAsync(server);
        await Accounts(server).CreateUserAsync("ana@firm.example", org, Roles.Owner, RunningServer.Password, "test");

        using (var session = server.Session())
        {
            // The provider vouches for ana's email, but that alone does not open ana's password-protected account.
            var (status, location) = await FollowAsync(session, "/account/sso");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("handler=done", location);
            var (_, page, _) = await session.GetAsync("/account/sso?handler=done");
            Assert.Contains("Link Test IdP to your account", page);
            Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/")).Status);

            var wrong = await session.PostFormAsync("/account/sso?handler=done", [new("Password", "not ana's password at all")], "/account/sso?handler=link");
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/")).Status);

            var right = await session.PostFormAsync("/account/sso?handler=done", [new("Password", RunningServer.Password)], "/account/sso?handler=link");
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
            Assert.Contains("ana@firm.example · Northgate (owner)", (await session.GetAsync("/")).Html);
        }
        using (var again = server.Session())
        {
            // Linked: the provider's identity (issuer and subject) now signs in directly.
            await FollowAsync(again, "/account/sso");
            Assert.Contains("ana@firm.example · Northgate (owner)", (await again.GetAsync("/")).Html);
        }
        await using var db = server.Installation.OpenDb();
        var actions = string.Join(", ", db.Audit.Select(a => a.Action + "/" + a.OrganizationId));
        Assert.True(db.Audit.Count(a => a.Action == "security.external_login_linked" && a.OrganizationId == org) == 1, actions);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_identity_asserting_a_linked_accounts_email_does_not_take_it_over(DatabaseProvider provider)
    {
        await using var oidc = await TestOidcProvider.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings(oidc));
        var org = await OrganizationAsync(server);
        await Accounts(server).CreateUserAsync("ana@firm.example", org, Roles.Owner, null, "test");
        using (var ana = server.Session())
        {
            await FollowAsync(ana, "/account/sso");
            Assert.Equal(HttpStatusCode.OK, (await ana.GetAsync("/")).Status);
        }
        oidc.Subject = "someone-else";
        using var other = server.Session();
        var (status, _) = await FollowAsync(other, "/account/sso");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("/")).Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_pending_invitation_is_not_claimed_through_single_sign_on(DatabaseProvider provider)
    {
        await using var oidc = await TestOidcProvider.StartAsync();
        await using var server = await RunningServer.StartAsync(provider, Settings(oidc));
        var org = await OrganizationAsync(server);
        var invitations = new InvitationStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var owner = new Tenant(org, Roles.Owner, "user:owner@firm.example");
        await invitations.InviteAsync(owner, "newcomer@firm.example", Roles.Owner);
        oidc.Email = "newcomer@firm.example";
        using var session = server.Session();
        var (status, _) = await FollowAsync(session, "/account/sso");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/")).Status);
        Assert.Equal(InvitationStates.Pending, Assert.Single(await invitations.ListPendingAsync(owner)).State);
        await using var db = server.Installation.OpenDb();
        Assert.False(db.Users.Any(u => u.Email == "newcomer@firm.example"));
    }
}
