using Custodes.Common;
using Custodes.Storage.Accounts;
using Custodes.Web.Accounts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Custodes.Web.Pages.Account;

/// <summary>Creates a user and a new organization of the chosen kind, with the user as its owner, and signs them in.</summary>
[EnableRateLimiting(Extensions.SignInRateLimit)]
public sealed class SignUpModel(AccountStore accounts) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty] public string Organization { get; set; } = "";
    [BindProperty] public string? Kind { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            var user = await accounts.SignUpAsync(Email, Password, DisplayName, Organization, Kind ?? "", HttpContext.RequestAborted);
            await CookieSessions.SignInAsync(HttpContext, user, "pwd");
            return Redirect("/settings/security?welcome=1");
        }
        catch (BadInputException e)
        {
            Error = e.Message;
            return Page();
        }
    }
}
