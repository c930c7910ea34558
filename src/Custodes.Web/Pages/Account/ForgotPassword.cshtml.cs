using Custodes.Application.Accounts;
using Custodes.Web.Accounts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Custodes.Web.Pages.Account;

/// <summary>"Forgot your password?": emails a one-time link; answers the same whether or not the email has an account. Without SMTP it says whom to ask.</summary>
[EnableRateLimiting(Extensions.SignInRateLimit)]
public sealed class ForgotPasswordModel(AccountStore accounts, AccountMail mail) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    public bool MailConfigured => mail.Configured;
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!mail.Configured || string.IsNullOrWhiteSpace(Email)) return Page();
        var ticket = await accounts.RequestPasswordResetAsync(Email, CookieSessions.ClientAddress(HttpContext), HttpContext.RequestAborted);
        if (ticket is not null)
            mail.Send(ticket.Email, "Reset your Custodes password",
                $"Someone (perhaps you) asked to reset the password of your Custodes account. To choose a new password, open this link within " +
                $"{(int)AccountStore.ResetLinkLifetime.TotalMinutes} minutes:\n\n{mail.Link("/account/reset-password?token=" + Uri.EscapeDataString(ticket.Token))}\n\n" +
                "The link works once. If you did not ask, ignore this message: your password stays as it is.");
        Sent = true;
        return Page();
    }
}
