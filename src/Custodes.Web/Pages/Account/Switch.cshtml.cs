using Custodes.Application.Accounts;
using Custodes.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Account;

/// <summary>The organization switcher in the header posts here: the session moves to another of the user's organizations, remembered for the next sign-in.</summary>
public sealed class SwitchModel(AccountStore accounts) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(Guid organization)
    {
        if (!User.HasSession()) return Redirect("/account/sign-in");
        // Not a member: a 404 like any other tenant's resource (ProblemMapping).
        var membership = await accounts.SelectOrganizationAsync(User.UserId(), organization, HttpContext.RequestAborted);
        await OrganizationSwitch.SwitchAsync(HttpContext, membership);
        // The page the user was on belongs to the organization they left; start from the new one's dashboard.
        return Redirect("/");
    }
}
