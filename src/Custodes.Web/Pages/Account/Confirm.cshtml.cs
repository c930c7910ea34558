using System.Security.Cryptography;
using System.Text.Json;
using Custodes.Application.Accounts;
using Custodes.Common;
using Custodes.Web.Accounts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Account;

/// <summary>The emailed sign-up link: opening it shows a button (mail scanners follow links; only a person presses buttons), pressing it creates the account and signs in.</summary>
public sealed class ConfirmModel(AccountStore accounts, IDataProtectionProvider protection) : PageModel, IRefusablePage
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    public PendingSignUp? Pending { get; private set; }
    public string? Error { get; private set; }

    public void OnGet() => Pending = Read();

    public async Task<IActionResult> OnPostAsync()
    {
        Pending = Read();
        if (Pending is null) return Page();
        var user = await accounts.CompleteSignUpAsync(Pending, HttpContext.RequestAborted);
        await CookieSessions.SignInAsync(HttpContext, user, "pwd");
        return Redirect("/settings/security?welcome=1");
    }

    // Like sign-up, a refused form answers 200 with the reason; the button goes, since the same link would be refused again.
    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        Pending = null;
        return Task.FromResult<IActionResult>(Page());
    }

    private PendingSignUp? Read()
    {
        try
        {
            return JsonSerializer.Deserialize<PendingSignUp>(SignUpModel.Protector(protection).Unprotect(Token, out _));
        }
        // A link that does not decrypt is the person's broken or expired link, not a failure: the page says so.
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            Error = "This confirmation link does not work: it expired (links last 24 hours) or was copied incompletely. Sign up again to get a new one.";
            return null;
        }
    }
}
