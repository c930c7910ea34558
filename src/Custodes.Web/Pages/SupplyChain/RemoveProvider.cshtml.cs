using Custodes.Application.SupplyChain;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Removing a provider, confirmed first: the page says what changes (the score with what is inherited, what the provider reaches).</summary>
public sealed class RemoveProviderModel(RemoveProvider remove) : PageModel, IRefusablePage
{
    public ProviderRemovalPreview Preview { get; private set; } = null!;
    public string? Error { get; private set; }

    public async Task OnGetAsync(string id) => Preview = await remove.PreviewAsync(User.Tenant(), id, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync(string id, long version)
    {
        await remove.RemoveAsync(User.Tenant(), id, version, HttpContext.RequestAborted);
        return Redirect($"/supply-chain/providers?removed={Uri.EscapeDataString(id)}");
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        var id = Convert.ToString(RouteData.Values["id"], System.Globalization.CultureInfo.InvariantCulture)!;
        return this.ShowAsync(refusal, async () => Preview = await remove.PreviewAsync(User.Tenant(), id, HttpContext.RequestAborted));
    }
}
