using Custodes.Application.Watch;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace Custodes.Web.Pages.Watch;

/// <summary>The dashboard's posture-drift box: critical alerts about the organization's IT providers (or itself) left unresolved for more
/// than a day, the requirements they are evidence against, since when, and what that means. Self-contained so any page includes it in one line.</summary>
public sealed class PostureDriftViewComponent(PostureDrifts drifts) : ViewComponent
{
    /// <summary>What the box shows: the drift, and whose dashboard it is (an MSP's own alerts link to the alert page).</summary>
    public sealed record Model(IReadOnlyList<PostureDriftAlert> Alerts, Guid Organization);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var tenant = HttpContext.User.Tenant();
        return View(new Model(await drifts.ForDependantAsync(tenant, HttpContext.RequestAborted), tenant.OrganizationId));
    }
}
