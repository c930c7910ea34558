using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Web.Tests;

/// <summary>Membership by consent: invitations, the organization switcher and where sign-in lands.</summary>
public sealed partial class MembershipTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [GeneratedRegex("token=(inv_[A-Za-z0-9_-]+)")]
    private static partial Regex TokenPattern();

    /// <summary>An owner invites <paramref name="email"/> on the Members page; returns the page and the link's token (shown because no mail server is configured).</summary>
    private static async Task<(HttpResponseMessage Response, string Html, string Token)> InviteAsync(WebSession owner, string email, string role = "assessor")
    {
        var response = await owner.PostFormAsync("/members", [new("email", email), new("role", role)], "/members?handler=invite");
        var html = await response.Content.ReadAsStringAsync();
        var token = TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : "";
        return (response, html, token);
    }

    private static async Task<WebSession> SignedInAsync(RunningServer server, string email)
    {
        var session = server.Session();
        Assert.Equal(HttpStatusCode.Redirect, (await session.SignInAsync(email)).StatusCode);
        return session;
    }

    private static async Task<List<string>> MembershipsOfAsync(RunningServer server, string email)
    {
        await using var db = server.Installation.OpenDb();
        return await (from m in db.Memberships join u in db.Users on m.UserId equals u.Id join o in db.Organizations on m.OrganizationId equals o.Id
                      where u.Email == email orderby o.Name select o.Name).ToListAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_owner_cannot_pull_another_organizations_user_into_theirs_without_consent(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, victim, _) = await server.NewAccountAsync("Harbor Dental");
        using var attacker = await AccountsTests.SignUpAsync(server, "mallory@evil.example", "Evil Assessors");

        // The old way: "add" an existing account by email. It no longer exists.
        var add = await attacker.PostFormAsync("/members", [new("email", victim), new("role", "owner"), new("password", "")], "/members?handler=add");
        Assert.DoesNotContain("is now a member", await add.Content.ReadAsStringAsync());
        Assert.Equal(["Harbor Dental"], await MembershipsOfAsync(server, victim));
        var (invited, html, _) = await InviteAsync(attacker, victim, "owner");
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.Contains($"Invitation created for {victim}", html);
        Assert.Equal(["Harbor Dental"], await MembershipsOfAsync(server, victim));
        Assert.DoesNotContain(victim, (await attacker.GetAsync("/members")).Html.Split("id=\"members\"")[1].Split("</table>")[0]);

        // The victim's next sign-in lands in their own organization; the invitation waits for an answer.
        using var session = await SignedInAsync(server, victim);
        var home = (await session.GetAsync("/")).Html;
        Assert.Contains($"{victim} · Harbor Dental (owner)", home);
        Assert.Contains("Evil Assessors (as owner)", home);
        Assert.DoesNotContain("id=\"org-switcher\"", home);

        // Declining leaves them where they were, and the attacker's organization still has no such member.
        var pending = await new InvitationStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System)
            .PendingForUserAsync(await AccountsTests.FindUserIdAsync(server, victim));
        var declined = await session.PostFormAsync("/account/invitations", [new("id", Assert.Single(pending).Id.ToString())], "/account/invitations?handler=decline");
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        Assert.Equal(["Harbor Dental"], await MembershipsOfAsync(server, victim));
        using var again = await SignedInAsync(server, victim);
        Assert.Contains($"{victim} · Harbor Dental (owner)", (await again.GetAsync("/")).Html);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_invitation_link_joins_once_and_cannot_be_used_again(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, ownerEmail, _) = await server.NewAccountAsync("Northgate");
        var (_, boEmail, _) = await server.NewAccountAsync("Bo's own firm");
        using var owner = await SignedInAsync(server, ownerEmail);
        var (_, _, token) = await InviteAsync(owner, boEmail, "viewer");
        Assert.NotEmpty(token);

        using var bo = await SignedInAsync(server, boEmail);
        var page = (await bo.GetAsync($"/account/invitation?token={token}")).Html;
        Assert.Contains("Invitation to join Northgate", page);
        var accepted = await bo.PostFormAsync($"/account/invitation?token={token}", [new("token", token)], "/account/invitation?handler=accept");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains($"{boEmail} · Northgate (viewer)", (await bo.GetAsync("/")).Html);
        Assert.Equal(["Bo's own firm", "Northgate"], await MembershipsOfAsync(server, boEmail));

        var reused = await bo.PostFormAsync($"/account/invitation?token={token}", [new("token", token)], "/account/invitation?handler=accept");
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Contains("already used", await reused.Content.ReadAsStringAsync());
        Assert.Contains("already used", (await bo.GetAsync($"/account/invitation?token={token}")).Html);

        await using var db = server.Installation.OpenDb();
        var actions = await db.Audit.Where(a => a.Action.StartsWith("invitation.")).Select(a => a.Action).ToListAsync();
        Assert.Contains("invitation.created", actions);
        Assert.Contains("invitation.accepted", actions);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_declined_expired_or_withdrawn_invitation_cannot_be_accepted(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, ownerEmail, _) = await server.NewAccountAsync("Northgate");
        var (_, boEmail, _) = await server.NewAccountAsync("Bo's own firm");
        using var owner = await SignedInAsync(server, ownerEmail);
        using var bo = await SignedInAsync(server, boEmail);

        var (_, _, declinedToken) = await InviteAsync(owner, boEmail);
        Assert.Equal(HttpStatusCode.OK, (await bo.PostFormAsync($"/account/invitation?token={declinedToken}", [new("token", declinedToken)], "/account/invitation?handler=decline")).StatusCode);
        var afterDecline = await bo.PostFormAsync($"/account/invitation?token={declinedToken}", [new("token", declinedToken)], "/account/invitation?handler=accept");
        Assert.Equal(HttpStatusCode.Conflict, afterDecline.StatusCode);
        Assert.Contains("declined", await afterDecline.Content.ReadAsStringAsync());

        var (_, _, expiredToken) = await InviteAsync(owner, boEmail);
        await using (var db = server.Installation.OpenDb())
            await db.Invitations.Where(i => i.Email == boEmail && i.AcceptedAt == null && i.DeclinedAt == null && i.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        var expired = await bo.PostFormAsync($"/account/invitation?token={expiredToken}", [new("token", expiredToken)], "/account/invitation?handler=accept");
        Assert.Equal(HttpStatusCode.Conflict, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync());

        var (_, html, revokedToken) = await InviteAsync(owner, boEmail);
        var id = Regex.Match(html, "name=\"invitation\" value=\"([0-9a-f-]{36})\"").Groups[1].Value;
        var withdrawn = await owner.PostFormAsync("/members", [new("invitation", id)], "/members?handler=revoke");
        Assert.Contains("Invitation withdrawn", await withdrawn.Content.ReadAsStringAsync());
        var revoked = await bo.PostFormAsync($"/account/invitation?token={revokedToken}", [new("token", revokedToken)], "/account/invitation?handler=accept");
        Assert.Equal(HttpStatusCode.Conflict, revoked.StatusCode);
        Assert.Contains("withdrew", await revoked.Content.ReadAsStringAsync());

        Assert.Equal(["Bo's own firm"], await MembershipsOfAsync(server, boEmail));
        Assert.Equal(HttpStatusCode.NotFound, (await bo.GetAsync("/account/invitation?token=inv_not-a-real-token-at-all")).Status);
        await using var check = server.Installation.OpenDb();
        var actions = await check.Audit.Where(a => a.Action.StartsWith("invitation.")).Select(a => a.Action).ToListAsync();
        Assert.Contains("invitation.declined", actions);
        Assert.Contains("invitation.revoked", actions);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Only_the_invited_email_can_accept(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, ownerEmail, _) = await server.NewAccountAsync("Northgate");
        var (_, boEmail, _) = await server.NewAccountAsync("Bo's own firm");
        var (_, eveEmail, _) = await server.NewAccountAsync("Eve's firm");
        using var owner = await SignedInAsync(server, ownerEmail);
        var (_, _, token) = await InviteAsync(owner, boEmail);
        using var eve = await SignedInAsync(server, eveEmail);
        var stolen = await eve.PostFormAsync($"/account/invitation?token={token}", [new("token", token)], "/account/invitation?handler=accept");
        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
        Assert.Equal(["Eve's firm"], await MembershipsOfAsync(server, eveEmail));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Someone_without_an_account_creates_it_from_the_link_and_joins(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, ownerEmail, _) = await server.NewAccountAsync("Northgate");
        using var owner = await SignedInAsync(server, ownerEmail);
        var (_, _, token) = await InviteAsync(owner, "newcomer@northgate.example", "contributor");

        using var newcomer = server.Session();
        var page = (await newcomer.GetAsync($"/account/invitation?token={token}")).Html;
        Assert.Contains("Create my account and join", page);
        var weak = await newcomer.PostFormAsync($"/account/invitation?token={token}", [new("token", token), new("Password", "short")], "/account/invitation?handler=create");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        var created = await newcomer.PostFormAsync($"/account/invitation?token={token}",
            [new("token", token), new("DisplayName", "Nia"), new("Password", RunningServer.Password)], "/account/invitation?handler=create");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("newcomer@northgate.example · Northgate (contributor)", (await newcomer.GetAsync("/")).Html);

        using var later = await SignedInAsync(server, "newcomer@northgate.example");
        Assert.Contains("Northgate (contributor)", (await later.GetAsync("/")).Html);
        using var replay = server.Session();
        // The used link shows no form any more; post as a scripted client would, with a token from another page.
        var reused = await replay.PostFormAsync("/account/sign-in", [new("token", token), new("Password", "another long password")], "/account/invitation?handler=create");
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Inviting_answers_the_same_whether_or_not_the_email_has_an_account(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, ownerKey) = await server.NewAccountAsync("Northgate");
        var (_, existing, _) = await server.NewAccountAsync("Somewhere else");
        using (var session = server.Session())
        {
            await session.SignInAsync(existing);
            await AccountsTests.EnrolMfaAsync(session);
        }
        var api = server.Client(ownerKey);

        async Task<(HttpStatusCode Status, string Shape)> InviteByApiAsync(string email)
        {
            var response = await api.PostAsJsonAsync("/api/v1/invitations", new { email, role = "viewer" });
            var body = await response.Content.ReadAsStringAsync();
            // Everything that must differ (the email typed, ids, token, times) replaced: what remains must be identical.
            var shape = body.Replace(email, "EMAIL");
            shape = Regex.Replace(shape, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID");
            shape = Regex.Replace(shape, "inv_[A-Za-z0-9_-]+", "TOKEN");
            shape = Regex.Replace(shape, "\"\\d{4}-\\d{2}-\\d{2}T[^\"]+\"", "\"TIME\"");
            return (response.StatusCode, shape);
        }

        var known = await InviteByApiAsync(existing);
        var unknown = await InviteByApiAsync("nobody-here@nowhere.example");
        Assert.Equal(HttpStatusCode.Accepted, known.Status);
        Assert.Equal(known, unknown);
        Assert.DoesNotContain("mfa", known.Shape, StringComparison.OrdinalIgnoreCase);
        var members = await api.GetFromJsonAsync<JsonElement>("/api/v1/members");
        Assert.Equal(1, members.GetArrayLength());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Invitations_are_emailed_when_a_mail_server_is_configured(DatabaseProvider provider)
    {
        await using var sink = new SmtpSink();
        await using var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Custodes:Smtp:Host"] = "127.0.0.1", ["Custodes:Smtp:Port"] = sink.Port.ToString(), ["Custodes:Smtp:Security"] = "none",
            ["Custodes:Smtp:From"] = "Custodes <accounts@custodes.example>",
        });
        var (_, ownerEmail, _) = await server.NewAccountAsync("Northgate");
        var (_, boEmail, _) = await server.NewAccountAsync("Bo's own firm");
        using var owner = await SignedInAsync(server, ownerEmail);
        var (_, html, shownToken) = await InviteAsync(owner, boEmail);
        Assert.Contains($"Invitation sent to {boEmail}", html);
        Assert.Empty(shownToken);

        var mail = await sink.NextAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([boEmail], mail.Recipients);
        Assert.Contains("Invitation to join Northgate", mail.Data);
        var token = TokenPattern().Match(mail.Data.Replace("=\r\n", "")).Groups[1].Value;
        using var bo = await SignedInAsync(server, boEmail);
        Assert.Equal(HttpStatusCode.Redirect, (await bo.PostFormAsync($"/account/invitation?token={token}", [new("token", token)], "/account/invitation?handler=accept")).StatusCode);
        Assert.Contains("Northgate", await MembershipsOfAsync(server, boEmail));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_switcher_changes_organization_and_sign_in_lands_in_the_one_chosen_last(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, ownerEmail, _) = await server.NewAccountAsync("Zephyr Assessors");
        var (homeOrg, boEmail, _) = await server.NewAccountAsync("Acme Home");
        var (strangerOrg, _, _) = await server.NewAccountAsync("Stranger Org");
        using var owner = await SignedInAsync(server, ownerEmail);
        var (_, _, token) = await InviteAsync(owner, boEmail, "assessor");
        using (var bo = await SignedInAsync(server, boEmail))
        {
            Assert.Contains("Acme Home (owner)", (await bo.GetAsync("/")).Html);
            await bo.PostFormAsync($"/account/invitation?token={token}", [new("token", token)], "/account/invitation?handler=accept");
            var home = (await bo.GetAsync("/")).Html;
            Assert.Contains($"{boEmail} · Zephyr Assessors (assessor)", home);
            Assert.Contains("id=\"org-switcher\"", home);
        }
        using (var bo = await SignedInAsync(server, boEmail))
        {
            // Accepting was a choice: sign-in lands there now.
            Assert.Contains("Zephyr Assessors (assessor)", (await bo.GetAsync("/")).Html);
            var switched = await bo.PostFormAsync("/", [new("organization", homeOrg.ToString())], "/account/switch");
            Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
            Assert.Contains($"{boEmail} · Acme Home (owner)", (await bo.GetAsync("/")).Html);
            Assert.Contains("Members of Acme Home", (await bo.GetAsync("/members")).Html);

            // An organization the user does not belong to is not a choice, and the session stays where it was.
            var refused = await bo.PostFormAsync("/", [new("organization", strangerOrg.ToString())], "/account/switch");
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains("Acme Home (owner)", (await bo.GetAsync("/")).Html);
        }
        using (var bo = await SignedInAsync(server, boEmail))
            Assert.Contains($"{boEmail} · Acme Home (owner)", (await bo.GetAsync("/")).Html);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_members_API_invites_instead_of_adding(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, ownerKey) = await server.NewAccountAsync("Northgate");
        var (_, boEmail, _) = await server.NewAccountAsync("Bo's own firm");
        var api = server.Client(ownerKey);
        var invited = await api.PostAsJsonAsync("/api/v1/members", new { email = boEmail, role = "contributor" });
        Assert.Equal(HttpStatusCode.Accepted, invited.StatusCode);
        var body = await invited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", body.GetProperty("invitation").GetProperty("state").GetString());
        Assert.False(body.GetProperty("emailed").GetBoolean());
        Assert.StartsWith("http", body.GetProperty("link").GetString());
        Assert.Equal(1, (await api.GetFromJsonAsync<JsonElement>("/api/v1/members")).GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/v1/members", new { email = "x@y.example", role = "viewer", password = RunningServer.Password })).StatusCode);

        var pending = await api.GetFromJsonAsync<JsonElement>("/api/v1/invitations");
        var id = Assert.Single(pending.EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/invitations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.DeleteAsync($"/api/v1/invitations/{id}")).StatusCode);
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>("/api/v1/invitations")).GetArrayLength());

        var (_, viewer) = await server.NewTenantAsync("Viewers Inc", role: Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/invitations", new { email = "x@y.example", role = "owner" })).StatusCode);
        // Another organization's invitation is not found, never revoked.
        var other = await api.PostAsJsonAsync("/api/v1/invitations", new { email = "z@y.example", role = "viewer" });
        var otherId = (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invitation").GetProperty("id").GetGuid();
        var (_, strangerOwner) = await server.NewTenantAsync("Strangers LLC");
        Assert.Equal(HttpStatusCode.NotFound, (await strangerOwner.DeleteAsync($"/api/v1/invitations/{otherId}")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Someone_in_no_organization_signs_in_on_the_link_and_accepts_in_one_step(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, ownerEmail, _) = await server.NewAccountAsync("Northgate");
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var bo = await accounts.CreateUserAsync("bo@northgate.example", org, Roles.Viewer, RunningServer.Password, "test");
        await accounts.RemoveMemberAsync(new Tenant(org, Roles.Owner, "test"), bo);
        using var owner = await SignedInAsync(server, ownerEmail);
        var (_, _, token) = await InviteAsync(owner, "bo@northgate.example", "assessor");

        using var session = server.Session();
        var wrong = await session.PostFormAsync($"/account/invitation?token={token}", [new("token", token), new("Password", "not the right password")], "/account/invitation?handler=signin");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Empty(await MembershipsOfAsync(server, "bo@northgate.example"));
        var accepted = await session.PostFormAsync($"/account/invitation?token={token}", [new("token", token), new("Password", RunningServer.Password)], "/account/invitation?handler=signin");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("bo@northgate.example · Northgate (assessor)", (await session.GetAsync("/")).Html);
    }
}
