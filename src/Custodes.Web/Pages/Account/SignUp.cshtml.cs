using System.Text.Json;
using Custodes.Application.Accounts;
using Custodes.Common;
using Custodes.Web.Accounts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Custodes.Web.Pages.Account;

/// <summary>
/// Creates a user and a new organization of the chosen kind, with the user as its owner. With SMTP configured the account is created
/// only from the emailed confirmation link, and the page answers "check your email" whether or not the email already has an account
/// (that owner gets a note instead), so sign-up does not tell who has an account. Without SMTP it is created and signed in at once.
/// </summary>
[EnableRateLimiting(Extensions.SignInRateLimit)]
public sealed class SignUpModel(AccountStore accounts, AccountMail mail, IDataProtectionProvider protection) : PageModel, IRefusablePage
{
    public static readonly TimeSpan ConfirmationLifetime = TimeSpan.FromHours(24);

    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty] public string Organization { get; set; } = "";
    [BindProperty] public string? Kind { get; set; }
    public string? Error { get; private set; }
    public bool CheckEmail { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!mail.Configured)
        {
            var user = await accounts.SignUpAsync(Email, Password, DisplayName, Organization, Kind ?? "", HttpContext.RequestAborted);
            await CookieSessions.SignInAsync(HttpContext, user, "pwd");
            return Redirect("/settings/security?welcome=1");
        }
        var pending = await accounts.PrepareSignUpAsync(Email, Password, DisplayName, Organization, Kind ?? "", HttpContext.RequestAborted);
        if (pending.AccountExists)
            mail.Send(pending.Email, "You already have a Custodes account",
                $"Someone (perhaps you) tried to create a new Custodes account with this email address. You already have one.\n\n" +
                $"Sign in: {mail.Link("/account/sign-in")}\nForgot your password? {mail.Link("/account/forgot-password")}\n\n" +
                "If this was not you, you can ignore this message: nothing was changed.");
        else
            mail.Send(pending.Email, "Confirm your Custodes account",
                $"To finish creating your organization {pending.Organization} on Custodes, open this link within 24 hours:\n\n" +
                $"{mail.Link("/account/confirm?token=" + Uri.EscapeDataString(Protector(protection).Protect(JsonSerializer.Serialize(pending), ConfirmationLifetime)))}\n\n" +
                "If you did not ask for this, ignore this message: no account is created.");
        CheckEmail = true;
        return Page();
    }

    // The account pages answer a refused form with 200, as they always have (CredentialsTests pins it for sign-up).
    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return Task.FromResult<IActionResult>(Page());
    }

    internal static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector("custodes.sign-up.v1").ToTimeLimitedDataProtector();
}
