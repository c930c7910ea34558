using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Testing;

namespace Custodes.Web.Tests;

public sealed partial class AccountsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    internal static async Task<WebSession> SignUpAsync(RunningServer server, string email, string organization, string kind = "assessor")
    {
        var session = server.Session();
        var response = await session.PostFormAsync("/account/sign-up",
            [new("Email", email), new("DisplayName", "Ana"), new("Password", RunningServer.Password), new("Organization", organization), new("Kind", kind)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    internal static string CurrentCode(string secret, int stepOffset = 0) =>
        Totp.Compute(Base32.Decode(secret), Totp.StepAt(DateTimeOffset.UtcNow) + stepOffset);

    internal static async Task<string> EnrolMfaAsync(WebSession session)
    {
        await session.PostFormAsync("/settings/security", [], "/settings/security?handler=begin");
        var (_, html, _) = await session.GetAsync("/settings/security");
        var secret = SecretPattern().Match(html).Groups[1].Value;
        Assert.Contains("<img src=\"data:image/svg", html);
        var confirmed = await session.PostFormAsync("/settings/security", [new("code", CurrentCode(secret))], "/settings/security?handler=confirm");
        var page = await confirmed.Content.ReadAsStringAsync();
        Assert.Contains("Multi-factor sign-in is on", page);
        Assert.Equal(10, CodePattern().Matches(page).Count);
        return secret;
    }

    [GeneratedRegex("id=\"totp-secret\">([A-Z2-7 ]+)<")]
    internal static partial Regex SecretPattern();

    [GeneratedRegex("<li>([a-z2-9]{5}-[a-z2-9]{5})</li>")]
    internal static partial Regex CodePattern();

    [Theory, MemberData(nameof(Providers))]
    public async Task Sign_up_creates_an_organization_of_the_chosen_kind_with_its_owner_signed_in(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var session = await SignUpAsync(server, "ana@msp.example", "Harbor MSP", "msp");
        var (status, html, _) = await session.GetAsync("/members");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Members of Harbor MSP", html);
        Assert.Contains("ana@msp.example", html);
        Assert.Contains("(msp)", html);
        using var again = server.Session();
        var duplicate = await again.PostFormAsync("/account/sign-up",
            [new("Email", "ana@msp.example"), new("Password", RunningServer.Password), new("Organization", "Other"), new("Kind", "msp")]);
        Assert.Contains("already has an account", await duplicate.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Pages_need_a_session_and_the_API_ignores_session_cookies(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var anonymous = server.Session();
        var (status, _, response) = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.PathAndQuery);
        using var session = await SignUpAsync(server, "ana@firm.example", "Northgate");
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Http.GetAsync("/api/v1/assessments")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Once_MFA_is_enrolled_sign_in_asks_for_the_code_and_a_recovery_code_works_once(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        string secret, recovery;
        using (var session = await SignUpAsync(server, "ana@firm.example", "Northgate"))
        {
            secret = await EnrolMfaAsync(session);
            recovery = "";
        }
        using (var session = server.Session())
        {
            var password = await session.SignInAsync("ana@firm.example");
            Assert.Equal("/account/sign-in/code", password.Headers.Location!.OriginalString.Split('?')[0]);
            Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/")).Status);
            var wrong = await session.PostFormAsync("/account/sign-in/code", [new("Code", "000000")]);
            Assert.Contains("not right", await wrong.Content.ReadAsStringAsync());
            // The code used to confirm enrolment cannot be replayed; the next one is accepted.
            var ok = await session.PostFormAsync("/account/sign-in/code", [new("Code", CurrentCode(secret, 1))]);
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/")).Status);
        }
        using (var session = server.Session())
        {
            // Recovery codes are shown once at enrolment; take one from a fresh enrolment of another user.
            var other = await SignUpAsync(server, "bo@firm.example", "Bo's firm");
            await other.PostFormAsync("/settings/security", [], "/settings/security?handler=begin");
            var (_, html, _) = await other.GetAsync("/settings/security");
            var otherSecret = SecretPattern().Match(html).Groups[1].Value;
            var confirmed = await (await other.PostFormAsync("/settings/security", [new("code", CurrentCode(otherSecret))], "/settings/security?handler=confirm")).Content.ReadAsStringAsync();
            recovery = CodePattern().Match(confirmed).Groups[1].Value;
            await session.SignInAsync("bo@firm.example");
            Assert.Equal(HttpStatusCode.Redirect, (await session.PostFormAsync("/account/sign-in/code", [new("Code", recovery)])).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/")).Status);
        }
        using (var session = server.Session())
        {
            await session.SignInAsync("bo@firm.example");
            var reused = await session.PostFormAsync("/account/sign-in/code", [new("Code", recovery)]);
            Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
            Assert.Contains("already used", await reused.Content.ReadAsStringAsync());
        }
        var ana = await new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System).FindUserAsync(await FindUserIdAsync(server, "ana@firm.example"));
        var entries = await new AuditLog(server.Installation, new AuditTrail(TimeProvider.System)).ListAsync(ana!.Memberships[0].OrganizationId, new AuditFilter(Action: "security."), 0, 100);
        Assert.Contains(entries, e => e.Action == "security.mfa_enrolled");
        Assert.Contains(entries, e => e.Action == "security.sign_in_failed");
        Assert.Contains(entries, e => e.Action == "security.signed_in" && e.After!.Contains("password+totp"));
    }

    internal static async Task<Guid> FindUserIdAsync(RunningServer server, string email)
    {
        await using var db = server.Installation.OpenDb();
        return (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.Users, u => u.Email == email)).Id;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Repeated_failures_from_one_address_refuse_even_the_right_password_from_there(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, email, _) = await server.NewAccountAsync("Northgate");
        using var session = server.Session();
        for (var i = 0; i < AccountStore.MaxFailedAttempts - 1; i++)
            Assert.Contains("not right", await (await session.SignInAsync(email, "wrong password here")).Content.ReadAsStringAsync());
        Assert.Contains("Too many failed sign-ins", await (await session.SignInAsync(email, "wrong password here")).Content.ReadAsStringAsync());
        var right = await session.SignInAsync(email);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Too many failed sign-ins", await right.Content.ReadAsStringAsync());
        var entries = await new AuditLog(server.Installation, new AuditTrail(TimeProvider.System)).ListAsync(org, new AuditFilter(Action: "security."), 0, 100);
        Assert.Contains(entries, e => e.Action == "security.locked_out");
        Assert.Contains(entries, e => e.Action == "security.sign_in_refused_locked");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Sign_in_attempts_beyond_the_rate_limit_answer_429(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Web:SignInPermitsPerMinute"] = "3" });
        using var session = server.Session();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) statuses.Add((await session.SignInAsync("nobody@example.test", "not the password at all")).StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/account/sign-in")).Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Pages_send_security_headers_and_the_session_cookie_is_HttpOnly_and_Lax(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, email, _) = await server.NewAccountAsync("Northgate");
        using var session = server.Session();
        var signIn = await session.SignInAsync(email);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("custodes=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase);
        var (_, html, response) = await session.GetAsync("/");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain(" style=\"", html);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_and_recorded(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, email, _) = await server.NewAccountAsync("Northgate");
        using var session = server.Session();
        await session.SignInAsync(email);
        var forged = await session.Http.PostAsync("/members?handler=invite", new FormUrlEncodedContent([new("email", "mallory@evil.example"), new("role", "owner")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("security token", await forged.Content.ReadAsStringAsync());
        var (_, members, _) = await session.GetAsync("/members");
        Assert.DoesNotContain("mallory", members);
        var entries = await new AuditLog(server.Installation, new AuditTrail(TimeProvider.System)).ListAsync(org, new AuditFilter(Action: "security.csrf_rejected"), 0, 10);
        Assert.Single(entries);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_removed_member_loses_the_session_at_once_and_a_role_change_applies_at_once(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, ownerEmail, _) = await server.NewAccountAsync("Northgate");
        using var owner = server.Session();
        await owner.SignInAsync(ownerEmail);
        // The installation admin's bootstrap (admin create-user) adds directly; owners invite (MembershipTests).
        await new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System).CreateUserAsync("bo@firm.example", org, Roles.Assessor, RunningServer.Password, "test");
        using var bo = server.Session();
        await bo.SignInAsync("bo@firm.example");
        Assert.Contains("(assessor)", (await bo.GetAsync("/")).Html);
        var boId = await FindUserIdAsync(server, "bo@firm.example");
        await owner.PostFormAsync("/members", [new("user", boId.ToString()), new("role", "viewer")], "/members?handler=role");
        Assert.Contains("(viewer)", (await bo.GetAsync("/")).Html);
        await owner.PostFormAsync("/members", [new("user", boId.ToString())], "/members?handler=remove");
        Assert.Equal(HttpStatusCode.Redirect, (await bo.GetAsync("/")).Status);
    }
}
