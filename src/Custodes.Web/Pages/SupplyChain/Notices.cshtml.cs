using Custodes.Application.SupplyChain;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Supply-chain notices: what providers' letter revocations and expiries did to the organization's score and CMMC status.</summary>
public sealed class NoticesModel(LetterChanges changes) : PageModel
{
    public IReadOnlyList<SupplyChainNotice> Notices { get; private set; } = [];

    public async Task OnGetAsync() => Notices = await changes.ListAsync(User.Tenant(), 200, HttpContext.RequestAborted);
}
