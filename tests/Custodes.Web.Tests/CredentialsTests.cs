using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Common;
using Custodes.Testing;
using MimeKit;

namespace Custodes.Web.Tests;

/// <summary>Sessions, API key management, sign-up and sign-in without account enumeration, per-address throttling, password policy, change and reset.</summary>
public sealed partial class CredentialsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string PublicUrl = "https://custodes.example";

    internal static Dictionary<string, string?> MailSettings(SmtpSink sink) => new()
    {
        ["Custodes:Alerting:PublicUrl"] = PublicUrl,
        ["Custodes:Smtp:Host"] = "127.0.0.1",
        ["Custodes:Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Custodes:Smtp:Security"] = "none",
        ["Custodes:Smtp:From"] = "Custodes <accounts@custodes.example>",
    };

    /// <summary>The text of the next message the sink receives, and the path of the first link to this installation in it.</summary>
    internal static async Task<(SmtpMessage Message, string Text, string? Link)> NextMailAsync(SmtpSink sink)
    {
        var message = await sink.NextAsync(TimeSpan.FromSeconds(20));
        var text = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(message.Data))).TextBody ?? "";
        var link = LinkPattern().Match(text) is { Success: true } m ? m.Value[PublicUrl.Length..] : null;
        return (message, text, link);
    }

    [GeneratedRegex(@"https://custodes\.example/account/(reset-password|confirm)\?token=[^\s]+")]
    private static partial Regex LinkPattern();

    // The parts of a page that differ on every answer whatever was asked (antiforgery tokens) are taken out before comparing.
    private static string WithoutTokens(string html) => Regex.Replace(html, "value=\"CfDJ8[^\"]+\"", "value=\"…\"");

    private static string SessionCookie(WebSession session, Uri address) => session.Cookies.GetCookies(address)["custodes"]!.Value;

    private static HttpClient WithCookie(RunningServer server, string cookie)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Add("Cookie", $"custodes={cookie}");
        return client;
    }

    private static Task<IReadOnlyList<AuditEntry>> AuditAsync(RunningServer server, Guid org, string action) =>
        new AuditLog(server.Installation, new AuditTrail(TimeProvider.System)).ListAsync(org, new AuditFilter(Action: action), 0, 100);

    // --- sessions ---

    [Theory, MemberData(nameof(Providers))]
    public async Task Signing_out_ends_the_session_server_side_so_a_captured_cookie_is_refused(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, email, _) = await server.NewAccountAsync("Northgate");
        using var session = server.Session();
        await session.SignInAsync(email);
        var captured = SessionCookie(session, server.Address);
        using var attacker = WithCookie(server, captured);
        Assert.Equal(HttpStatusCode.OK, (await attacker.GetAsync("/settings/security")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await session.PostFormAsync("/settings/security", [], "/account/sign-out")).StatusCode);

        var replay = await attacker.GetAsync("/settings/security");
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.StartsWith("/account/sign-in", replay.Headers.Location!.PathAndQuery);
        Assert.Contains(await AuditAsync(server, org, "security.session_ended"), e => e.After!.Contains("signed-out"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_security_page_lists_sessions_and_ends_one_or_all_others(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, email, _) = await server.NewAccountAsync("Northgate");
        using var laptop = server.Session();
        laptop.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
        await laptop.SignInAsync(email);
        using var phone = server.Session();
        phone.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1");
        await phone.SignInAsync(email);
        using var tablet = server.Session();
        await tablet.SignInAsync(email);

        var (_, html, _) = await laptop.GetAsync("/settings/security");
        Assert.Matches(@"Chrome on Windows\s*<strong> \(this browser\)</strong>", html);
        Assert.Contains("Safari on iOS", html);
        Assert.Contains("127.0.0.1", html);
        Assert.Equal(3, Regex.Matches(html, "name=\"session\" value=\"").Count);

        var phoneSession = Regex.Match(html, "Safari on iOS</td>(?:.|\\n)*?name=\"session\" value=\"([0-9a-f-]+)\"").Groups[1].Value;
        var ended = await laptop.PostFormAsync("/settings/security", [new("session", phoneSession)], "/settings/security?handler=endsession");
        Assert.Contains("That session has ended", await ended.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await tablet.GetAsync("/")).Status);

        var others = await laptop.PostFormAsync("/settings/security", [], "/settings/security?handler=endothers");
        Assert.Contains("Signed out everywhere else (1 session ended)", await others.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await tablet.GetAsync("/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/")).Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task One_person_cannot_end_another_persons_session(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, ana, _) = await server.NewAccountAsync("Northgate");
        var (_, bo, _) = await server.NewAccountAsync("Harbor");
        using var anaSession = server.Session();
        await anaSession.SignInAsync(ana);
        using var boSession = server.Session();
        await boSession.SignInAsync(bo);
        var anaId = Regex.Match((await anaSession.GetAsync("/settings/security")).Html, "name=\"session\" value=\"([0-9a-f-]+)\"").Groups[1].Value;
        var attempt = await boSession.PostFormAsync("/settings/security", [new("session", anaId)], "/settings/security?handler=endsession");
        Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anaSession.GetAsync("/")).Status);
    }

    // --- API keys ---

    [Theory, MemberData(nameof(Providers))]
    public async Task A_read_only_key_cannot_create_keys_nor_delete_the_owners_full_key(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, email, ownerKey) = await server.NewAccountAsync("Northgate");
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var (_, readKey) = await accounts.CreateApiKeyAsync(email, org, "reports", [ApiKeyScopes.Read], "test");
        var reader = server.Client(readKey);
        var owner = server.Client(ownerKey);
        var ownerKeyId = (await owner.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/api-keys")).EnumerateArray()
            .Single(k => k.GetProperty("name").GetString() == "test").GetProperty("id").GetGuid();

        var minted = await reader.PostAsJsonAsync("/api/v1/api-keys", new { name = "escalated", scopes = new[] { "*" } });
        Assert.Equal(HttpStatusCode.Forbidden, minted.StatusCode);
        Assert.Contains("cannot create API keys", await minted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/api-keys", new { name = "read", scopes = new[] { "read" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync($"/api/v1/api-keys/{ownerKeyId}")).StatusCode);
        // Not even the owner's full key manages keys: that takes a signed-in owner.
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PostAsJsonAsync("/api/v1/api-keys", new { name = "another" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/assessments")).StatusCode);
        Assert.Equal(2, (await owner.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/api-keys")).GetArrayLength());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Only_a_signed_in_owner_creates_keys_on_the_page_and_a_member_revokes_their_own(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, ownerEmail, _) = await server.NewAccountAsync("Northgate");
        using var owner = server.Session();
        await owner.SignInAsync(ownerEmail);
        var created = await (await owner.PostFormAsync("/settings/api-keys", [new("name", "export"), new("scope", "read")], "/settings/api-keys?handler=create")).Content.ReadAsStringAsync();
        Assert.Matches("id=\"new-key\">cst_", created);

        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        await accounts.CreateUserAsync("cy@northgate.example", org, Roles.Contributor, RunningServer.Password, "test");
        var (cyKeyId, _) = await accounts.CreateApiKeyAsync("cy@northgate.example", org, "cy's", [], "test");
        using var cy = server.Session();
        await cy.SignInAsync("cy@northgate.example");
        var (_, page, _) = await cy.GetAsync("/settings/api-keys");
        Assert.Contains("id=\"owner-only\"", page);
        var token = WebSession.Token(page)!;
        var forged = await cy.Http.PostAsync("/settings/api-keys?handler=create", new FormUrlEncodedContent([new("name", "mine"), new("scope", "*"), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var revoked = await cy.PostFormAsync("/settings/api-keys", [new("id", cyKeyId.ToString())], "/settings/api-keys?handler=revoke");
        Assert.Contains("The key is revoked", await revoked.Content.ReadAsStringAsync());
    }

    // --- enumeration and throttling ---

    [Theory, MemberData(nameof(Providers))]
    public async Task Sign_up_answers_the_same_for_a_new_and_an_existing_email_and_the_emailed_link_creates_the_account(DatabaseProvider provider)
    {
        await using var sink = new SmtpSink();
        await using var server = await RunningServer.StartAsync(provider, MailSettings(sink));
        var (_, existing, _) = await server.NewAccountAsync("Northgate");

        async Task<string> SignUp(string email)
        {
            using var session = server.Session();
            var response = await session.PostFormAsync("/account/sign-up",
                [new("Email", email), new("Password", RunningServer.Password), new("Organization", "Harbor MSP"), new("Kind", "msp")]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return WithoutTokens(await response.Content.ReadAsStringAsync());
        }

        var forExisting = await SignUp(existing);
        var (toExisting, existingText, _) = await NextMailAsync(sink);
        var forNew = await SignUp("dee@harbor.example");
        var (toNew, _, link) = await NextMailAsync(sink);
        Assert.Equal(forNew, forExisting);
        Assert.Contains("Check your email", forNew);
        Assert.Equal([existing], toExisting.Recipients);
        Assert.Contains("You already have one", existingText);
        Assert.Equal(["dee@harbor.example"], toNew.Recipients);
        Assert.NotNull(link);

        using var dee = server.Session();
        var (_, confirm, _) = await dee.GetAsync(link);
        Assert.Contains("Harbor MSP", confirm);
        Assert.Equal(HttpStatusCode.Redirect, (await dee.PostFormAsync(link, [new("token", System.Web.HttpUtility.ParseQueryString(new Uri(server.Address, link).Query)["token"]!)])).StatusCode);
        Assert.Contains("Members of Harbor MSP", (await dee.GetAsync("/members")).Html);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Sign_in_throttling_answers_the_same_for_known_and_unknown_emails(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, known, _) = await server.NewAccountAsync("Northgate");
        const string unknown = "nobody-here@example.test";
        using var session = server.Session();
        var answers = new Dictionary<string, List<string>> { [known] = [], [unknown] = [] };
        for (var i = 0; i < AccountStore.MaxFailedAttempts + 1; i++)
            foreach (var email in new[] { known, unknown })
            {
                var html = await (await session.SignInAsync(email, "not the password at all")).Content.ReadAsStringAsync();
                // The time to wait differs by the moment of each attempt, not by whether the email has an account.
                answers[email].Add(Regex.Replace(Regex.Match(html, "role=\"alert\">([^<]*)<").Groups[1].Value, @"\d\d:\d\d:\d\d", "hh:mm:ss"));
            }
        Assert.Equal(answers[known], answers[unknown]);
        Assert.Contains("Too many failed sign-ins", answers[known][^1]);
        Assert.Contains("not right", answers[known][0]);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Failed_sign_ins_slow_the_guessing_address_while_the_owner_signs_in_from_another(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, email, _) = await server.NewAccountAsync("Northgate");
        using var attacker = server.Session();
        for (var i = 0; i < AccountStore.MaxFailedAttempts; i++) await attacker.SignInAsync(email, "a wrong guess number " + i);
        var locked = await (await attacker.SignInAsync(email)).Content.ReadAsStringAsync();
        Assert.Contains("Too many failed sign-ins", locked);

        // The owner's own network: another loopback address.
        using var owner = new WebSession(server.Address, FromAddress(IPAddress.Parse("127.0.0.2")));
        var signedIn = await owner.SignInAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/")).Status);
        Assert.Contains(await AuditAsync(server, org, "security.locked_out"), e => e.After!.Contains("127.0.0.1"));
        Assert.Contains(await AuditAsync(server, org, "security.signed_in"), e => e.After!.Contains("127.0.0.2"));
    }

    private static SocketsHttpHandler FromAddress(IPAddress local) => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    // --- password policy, change and reset ---

    [Theory, MemberData(nameof(Providers))]
    public async Task A_common_password_is_refused_on_sign_up_and_when_adding_a_member(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var session = server.Session();
        var response = await session.PostFormAsync("/account/sign-up",
            [new("Email", "ana@firm.example"), new("Password", "password1234"), new("Organization", "Northgate"), new("Kind", "assessor")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("most often found in breaches", await response.Content.ReadAsStringAsync());
        var named = await session.PostFormAsync("/account/sign-up",
            [new("Email", "ana@firm.example"), new("Password", "northgate rocks forever"), new("Organization", "Northgate"), new("Kind", "assessor")]);
        Assert.Contains("must not contain your email or organization name", await named.Content.ReadAsStringAsync());
        await using (var db = server.Installation.OpenDb())
            Assert.False(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Users, u => u.Email == "ana@firm.example"));

        // The account an invitation creates is held to the same rule, the organization's name included.
        var (harbor, _, _) = await server.NewAccountAsync("Harbor");
        var audit = new AuditTrail(TimeProvider.System);
        var invitations = new InvitationStore(server.Installation, audit, TimeProvider.System);
        var invited = await invitations.InviteAsync(new Tenant(harbor, Roles.Owner, "test"), "bo@harbor.example", Roles.Viewer);
        foreach (var weak in new[] { "Password1234!", "harbor harbor harbor" })
            await Assert.ThrowsAsync<BadInputException>(() => invitations.CreateAccountAndAcceptAsync(invited.Token, weak, null));
        await using (var db = server.Installation.OpenDb())
            Assert.False(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Users, u => u.Email == "bo@harbor.example"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Changing_the_password_needs_the_current_one_and_signs_out_every_other_session(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, email, _) = await server.NewAccountAsync("Northgate");
        using var here = server.Session();
        await here.SignInAsync(email);
        using var elsewhere = server.Session();
        await elsewhere.SignInAsync(email);
        const string next = "violet kayak under the lighthouse";

        var wrong = await here.PostFormAsync("/settings/security", [new("current", "not my password at all"), new("password", next), new("confirm", next)], "/settings/security?handler=password");
        Assert.Contains("current password is not right", await wrong.Content.ReadAsStringAsync());
        var weak = await here.PostFormAsync("/settings/security", [new("current", RunningServer.Password), new("password", "password1234"), new("confirm", "password1234")], "/settings/security?handler=password");
        Assert.Contains("most often found in breaches", await weak.Content.ReadAsStringAsync());

        var changed = await here.PostFormAsync("/settings/security", [new("current", RunningServer.Password), new("password", next), new("confirm", next)], "/settings/security?handler=password");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal("/settings/security?changed=true", changed.Headers.Location!.OriginalString);
        Assert.Contains("Your password is changed", (await here.GetAsync("/settings/security?changed=true")).Html);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.GetAsync("/")).Status);
        using var again = server.Session();
        Assert.Contains("not right", await (await again.SignInAsync(email)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync(email, next)).StatusCode);
        Assert.Contains(await AuditAsync(server, org, "security.password_changed"), e => e.After!.Contains("\"sessions_ended\":1"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_forgotten_password_is_reset_with_an_emailed_link_that_works_once_and_ends_every_session(DatabaseProvider provider)
    {
        await using var sink = new SmtpSink();
        await using var server = await RunningServer.StartAsync(provider, MailSettings(sink));
        var (org, email, _) = await server.NewAccountAsync("Northgate");
        using var stolen = server.Session();
        await stolen.SignInAsync(email);

        using var anonymous = server.Session();
        var forUnknown = WithoutTokens(await (await anonymous.PostFormAsync("/account/forgot-password", [new("Email", "nobody@northgate.example")])).Content.ReadAsStringAsync());
        var forKnown = WithoutTokens(await (await anonymous.PostFormAsync("/account/forgot-password", [new("Email", email)])).Content.ReadAsStringAsync());
        Assert.Equal(forUnknown, forKnown);
        Assert.Contains("If an account uses that email", forKnown);
        var (message, _, link) = await NextMailAsync(sink);
        Assert.Equal([email], message.Recipients);
        Assert.NotNull(link);
        Assert.DoesNotContain(sink.Messages, m => m.Recipients.Contains("nobody@northgate.example"));

        const string next = "violet kayak under the lighthouse";
        using var person = server.Session();
        Assert.Contains(email, (await person.GetAsync(link)).Html);
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(server.Address, link).Query)["token"]!;
        var reset = await person.PostFormAsync(link, [new("token", token), new("Password", next), new("Confirm", next)]);
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal("/account/sign-in?passwordChanged=true", reset.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, (await stolen.GetAsync("/")).Status);
        Assert.Contains("id=\"link-invalid\"", (await person.GetAsync(link)).Html);
        Assert.Contains("not right", await (await person.SignInAsync(email)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await person.SignInAsync(email, next)).StatusCode);
        Assert.Single(await AuditAsync(server, org, "security.password_reset"), e => e.Action == "security.password_reset" && e.After!.Contains("\"via\":\"self\""));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Only_an_owner_opens_a_members_password_reset_and_it_is_refused_as_forbidden_not_redirected(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, ownerEmail, _) = await server.NewAccountAsync("Northgate");
        var accounts = new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        await accounts.CreateUserAsync("cy@northgate.example", org, Roles.Assessor, RunningServer.Password, "test");
        var ownerId = await AccountsTests.FindUserIdAsync(server, ownerEmail);
        using var assessor = server.Session();
        await assessor.SignInAsync("cy@northgate.example");

        // The use case refuses (403, the one error page), for the page that asks first as for the form that issues the link.
        var (status, html, _) = await assessor.GetAsync($"/members/reset-password?user={ownerId}");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.DoesNotContain("Sign them out and create the link", html);
        // The form is not shown to them; posted anyway (with the token of a page they do see), it is refused the same.
        Assert.Equal(HttpStatusCode.Forbidden, (await assessor.PostFormAsync("/settings/security", [new("user", ownerId.ToString())], $"/members/reset-password?user={ownerId}")).StatusCode);
        Assert.Empty(await AuditAsync(server, org, "security.password_reset_issued"));

        // An owner asking about someone who is not a member of the organization finds nobody.
        using var owner = server.Session();
        await owner.SignInAsync(ownerEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/members/reset-password?user={Guid.NewGuid()}")).Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Without_email_an_owner_hands_a_member_a_one_time_reset_link(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (org, ownerEmail, _) = await server.NewAccountAsync("Northgate");
        using var anonymous = server.Session();
        Assert.Contains("Ask an owner of your organization", (await anonymous.GetAsync("/account/forgot-password")).Html);

        using var owner = server.Session();
        await owner.SignInAsync(ownerEmail);
        await new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System).CreateUserAsync("bo@northgate.example", org, Roles.Assessor, RunningServer.Password, "test");
        using var bo = server.Session();
        await bo.SignInAsync("bo@northgate.example");
        var boId = await AccountsTests.FindUserIdAsync(server, "bo@northgate.example");

        var (_, ask, _) = await owner.GetAsync($"/members/reset-password?user={boId}");
        Assert.Contains("Sign them out and create the link", ask);
        var issued = await (await owner.PostFormAsync($"/members/reset-password?user={boId}", [new("user", boId.ToString())])).Content.ReadAsStringAsync();
        // No public address configured: the link points where the server listens (as a letter's verify link does).
        var link = Regex.Match(issued, $"id=\"reset-link\">{Regex.Escape(server.Address.ToString().TrimEnd('/'))}(/account/reset-password\\?token=[^<]+)<").Groups[1].Value;
        Assert.NotEmpty(link);
        Assert.Equal(HttpStatusCode.Redirect, (await bo.GetAsync("/")).Status);

        const string next = "violet kayak under the lighthouse";
        using var boAgain = server.Session();
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(server.Address, WebUtility.HtmlDecode(link)).Query)["token"]!;
        Assert.Equal(HttpStatusCode.Redirect, (await boAgain.PostFormAsync(WebUtility.HtmlDecode(link), [new("token", token), new("Password", next), new("Confirm", next)])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await boAgain.SignInAsync("bo@northgate.example", next)).StatusCode);
        Assert.Single(await AuditAsync(server, org, "security.password_reset_issued"));

        // A member who also belongs to another organization is not this owner's to reset.
        var (other, _, _) = await server.NewAccountAsync("Harbor");
        await new AccountStore(server.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System).CreateUserAsync("bo@northgate.example", other, Roles.Owner, null, "test");
        var refused = await owner.PostFormAsync($"/members/reset-password?user={boId}", [new("user", boId.ToString())]);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
