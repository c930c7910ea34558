using Custodes.Application.Accounts;
using Custodes.Web.Accounts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Custodes.Web.Pages.Account;

/// <summary>
/// OpenID Connect: <c>/account/sso</c> sends the browser to the provider; <c>?handler=done</c> signs in the user linked to the identity
/// the provider asserted (issuer and subject). A new identity is linked to the account with its verified email only with proof: an
/// account made for single sign-on (no password) links the first time; an account with a password asks for it (and the code with MFA) once.
/// </summary>
[EnableRateLimiting(Extensions.SignInRateLimit)]
public sealed class SsoModel(OidcOptions oidc, AccountStore accounts) : PageModel
{
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty] public string? Code { get; set; }
    public string? Email { get; private set; }
    public bool AccountHasMfa { get; private set; }
    public string? Error { get; private set; }
    public string ProviderName => oidc.DisplayName;

    public IActionResult OnGet() => oidc.Enabled
        ? Challenge(new AuthenticationProperties { RedirectUri = "/account/sso?handler=done" }, OidcSignIn.Scheme)
        : NotFound();

    public async Task<IActionResult> OnGetDoneAsync()
    {
        if (!oidc.Enabled) return NotFound();
        if (await ExternalIdentityAsync() is not { } identity) return await RefuseAsync("Your identity provider did not answer the sign-in. Try again.");
        var result = await accounts.ExternalSignInAsync(identity, "oidc", CookieSessions.ClientAddress(HttpContext), HttpContext.RequestAborted);
        switch (result.Outcome)
        {
            case ExternalSignInOutcome.SignedIn:
                await HttpContext.SignOutAsync(OidcSignIn.ExternalScheme);
                await CookieSessions.SignInAsync(HttpContext, result.User!, "oidc");
                return Redirect("/");
            case ExternalSignInOutcome.NeedsLocalProof:
                // The external cookie (5 minutes) keeps the asserted identity until the password is given.
                Email = identity.Email;
                AccountHasMfa = result.AccountHasMfa;
                return Page();
            default:
                return await RefuseAsync(result.Reason switch
                {
                    "no account for this email" => $"There is no Custodes account for {identity.Email}. Ask an owner of your organization to invite you, and open the invitation's link.",
                    { } reason when reason.StartsWith("the identity provider did not vouch", StringComparison.Ordinal) =>
                        "Your identity provider did not confirm that the email address is yours (email_verified), so Custodes cannot tell which account is yours.",
                    { } reason => "Single sign-on cannot be used: " + reason + ".",
                    null => "Single sign-on cannot be used.",
                });
        }
    }

    public async Task<IActionResult> OnPostLinkAsync()
    {
        if (!oidc.Enabled) return NotFound();
        if (await ExternalIdentityAsync() is not { } identity) return Redirect("/account/sso");
        var result = await accounts.LinkExternalLoginAsync(identity, Password, Code, CookieSessions.ClientAddress(HttpContext), HttpContext.RequestAborted);
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded:
                await HttpContext.SignOutAsync(OidcSignIn.ExternalScheme);
                await CookieSessions.SignInAsync(HttpContext, result.User!, "oidc");
                return Redirect("/");
            case SignInOutcome.LockedOut:
                await HttpContext.SignOutAsync(OidcSignIn.ExternalScheme);
                return await RefuseAsync($"Too many failed sign-ins for this email from your network. Wait until {result.LockedUntil:HH:mm:ss} UTC and try again, or reset your password.");
            default:
                Email = identity.Email;
                AccountHasMfa = (await accounts.ExternalSignInAsync(identity, "oidc", null, HttpContext.RequestAborted)).AccountHasMfa;
                Error = "The password" + (AccountHasMfa ? " or the code" : "") + " is not right.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
        }
    }

    private async Task<ExternalIdentity?> ExternalIdentityAsync()
    {
        var external = await HttpContext.AuthenticateAsync(OidcSignIn.ExternalScheme);
        var subject = external.Principal?.FindFirst("sub");
        if (!external.Succeeded || subject is null || string.IsNullOrEmpty(subject.Issuer)) return null;
        var email = external.Principal!.FindFirst("email")?.Value;
        // Only an explicit "true" counts: a provider that omits email_verified has not checked the address.
        var verified = string.Equals(external.Principal.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        return new ExternalIdentity(subject.Issuer, subject.Value, string.IsNullOrWhiteSpace(email) ? null : email, verified);
    }

    private async Task<IActionResult> RefuseAsync(string detail)
    {
        await HttpContext.SignOutAsync(OidcSignIn.ExternalScheme);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Content(await ErrorPage.HtmlAsync(403, "Single sign-on did not sign you in", detail), "text/html; charset=utf-8");
    }
}
