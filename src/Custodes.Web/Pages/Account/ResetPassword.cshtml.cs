using Custodes.Application.Accounts;
using Custodes.Common;
using Custodes.Web.Accounts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Custodes.Web.Pages.Account;

/// <summary>
/// Chooses a new password with a one-time link (emailed, or handed over by an owner). Every session of the person ends. It does not sign
/// in: the person signs in with the new password, so a second factor is still asked for.
/// </summary>
[EnableRateLimiting(Extensions.SignInRateLimit)]
public sealed class ResetPasswordModel(AccountStore accounts) : PageModel, IRefusablePage
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty] public string Confirm { get; set; } = "";
    public string? Email { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync()
    {
        // The token is in the address: keep it out of the Referer of anything the page links to.
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Email = await accounts.PasswordResetEmailAsync(Token, HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Email = await accounts.PasswordResetEmailAsync(Token, HttpContext.RequestAborted);
        if (Email is null) return Page();
        if (Password != Confirm)
        {
            Error = "The two passwords are not the same.";
            return Page();
        }
        await accounts.ResetPasswordAsync(Token, Password, CookieSessions.ClientAddress(HttpContext), HttpContext.RequestAborted);
        await CookieSessions.SignOutAsync(HttpContext);
        return Redirect("/account/sign-in?passwordChanged=true");
    }

    // Like sign-up, a refused form answers 200 with the reason (the account pages always have).
    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return Task.FromResult<IActionResult>(Page());
    }
}
