using Custodes.Application.Accounts;
using Custodes.Web.Accounts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Custodes.Web.Pages.Account;

/// <summary>Email and password; then the code when the account has MFA. Failures slow down that email from that address (not elsewhere), and attempts are rate limited per address.</summary>
[EnableRateLimiting(Extensions.SignInRateLimit)]
public sealed class SignInModel(AccountStore accounts, OidcOptions oidc) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true)] public bool PasswordChanged { get; set; }
    public string? Error { get; private set; }
    public bool Sso => oidc.Enabled;
    public string SsoName => oidc.DisplayName;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await accounts.PasswordSignInAsync(Email, Password, CookieSessions.ClientAddress(HttpContext), HttpContext.RequestAborted);
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded:
                await CookieSessions.SignInAsync(HttpContext, result.User!, "pwd");
                return LocalRedirect(SafeReturn(Url, ReturnUrl));
            case SignInOutcome.NeedsSecondFactor:
                await CookieSessions.BeginSecondFactorAsync(HttpContext, result.User!.Id);
                return RedirectToPage("/Account/SignInCode", new { returnUrl = ReturnUrl });
            case SignInOutcome.LockedOut:
                // Said the same way whether or not the email has an account; only this address waits, not the account's owner elsewhere.
                Error = $"Too many failed sign-ins for this email from your network. Wait until {result.LockedUntil:HH:mm:ss} UTC and try again, or reset your password.";
                break;
            default:
                Error = "The email or password is not right.";
                break;
        }
        return Page();
    }

    internal static string SafeReturn(IUrlHelper url, string? returnUrl) => !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
