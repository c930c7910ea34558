using Custodes.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Account;

/// <summary>Ends the session on the server and drops the cookie (a POST, so another site cannot sign you out with a link).</summary>
public sealed class SignOutModel : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await CookieSessions.SignOutAsync(HttpContext);
        return Redirect("/account/sign-in");
    }
}
