using Custodes.Application.SupplyChain;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>
/// The customer's dashboard line: "if your IT provider were hit today you would wait about N days; your backups: …", and what would shorten
/// the wait. Self-contained (it reads the tenant's own portfolio), so a page includes it with one line; it renders nothing when the
/// organization is not an entry of its own portfolio or no provider would have anything of it to restore.
/// </summary>
public sealed class RecoveryOutlookViewComponent(RecoveryPlanning planning) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var outlooks = await planning.OutlookAsync(UserClaimsPrincipal.Tenant(), HttpContext.RequestAborted);
        return View(outlooks);
    }
}
