using Custodes.Application.Accounts;
using Custodes.Web.Accounts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Custodes.Web.Pages.Account;

/// <summary>The second step of sign-in: a TOTP code (or a recovery code) for the user whose password was right.</summary>
[EnableRateLimiting(Extensions.SignInRateLimit)]
public sealed class SignInCodeModel(AccountStore accounts) : PageModel
{
    [BindProperty] public string Code { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await CookieSessions.PendingSecondFactorAsync(HttpContext) is null ? RedirectToPage("/Account/SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await CookieSessions.PendingSecondFactorAsync(HttpContext) is not { } userId) return RedirectToPage("/Account/SignIn");
        var result = await accounts.SecondFactorSignInAsync(userId, Code, CookieSessions.ClientAddress(HttpContext), HttpContext.RequestAborted);
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded:
                await CookieSessions.SignInAsync(HttpContext, result.User!, "mfa");
                return LocalRedirect(SignInModel.SafeReturn(Url, ReturnUrl));
            case SignInOutcome.LockedOut:
                await HttpContext.SignOutAsync(CookieSessions.SecondFactorScheme);
                Error = $"Too many failed sign-ins for this email from your network. Wait until {result.LockedUntil:HH:mm:ss} UTC and try again, or reset your password.";
                break;
            default:
                Error = "That code is not right, or it was already used. Enter the current code.";
                break;
        }
        return Page();
    }
}
