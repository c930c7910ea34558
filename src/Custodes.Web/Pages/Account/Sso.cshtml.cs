using Custodes.Storage.Accounts;
using Custodes.Web.Accounts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Account;

/// <summary>OpenID Connect: <c>/account/sso</c> sends the browser to the provider; <c>?handler=done</c> signs in the user the provider named by email.</summary>
public sealed class SsoModel(OidcOptions oidc, AccountStore accounts) : PageModel
{
    public IActionResult OnGet() => oidc.Enabled
        ? Challenge(new AuthenticationProperties { RedirectUri = "/account/sso?handler=done" }, OidcSignIn.Scheme)
        : NotFound();

    public async Task<IActionResult> OnGetDoneAsync()
    {
        if (!oidc.Enabled) return NotFound();
        var external = await HttpContext.AuthenticateAsync(OidcSignIn.ExternalScheme);
        await HttpContext.SignOutAsync(OidcSignIn.ExternalScheme);
        var email = external.Principal?.FindFirst("email")?.Value;
        var verified = external.Principal?.FindFirst("email_verified")?.Value;
        if (!external.Succeeded || string.IsNullOrEmpty(email) || string.Equals(verified, "false", StringComparison.OrdinalIgnoreCase))
            return Content(ErrorPage.Html(403, "Single sign-on did not name a verified email", "Your identity provider did not send a verified email address, so Custodes cannot tell which account is yours."), "text/html; charset=utf-8");
        var user = await accounts.ExternalSignInAsync(email, "oidc", CookieSessions.ClientAddress(HttpContext), HttpContext.RequestAborted);
        if (user is null)
            return Content(ErrorPage.Html(403, "No Custodes account for " + email, "Ask an owner of your organization to add you as a member with this email, then sign in again."), "text/html; charset=utf-8");
        await CookieSessions.SignInAsync(HttpContext, user, "oidc");
        return Redirect("/");
    }
}
