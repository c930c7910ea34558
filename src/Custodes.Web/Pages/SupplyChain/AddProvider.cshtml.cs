using Custodes.Application.SupplyChain;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Adds a provider from a form (no file needed): find it by its trust page or describe it, then say what it runs for you.</summary>
public sealed class AddProviderModel(ProviderDirectory directory, CustomerProviders providers, SaveProvider save) : ProviderFormPage(directory)
{
    public override string Heading => "Add a provider";
    public override string SubmitLabel => "Add this provider";

    public async Task OnGetAsync(string? q, Guid? link)
    {
        Input.Version = (await providers.ListAsync(User.Tenant(), HttpContext.RequestAborted)).Version;
        await SearchAndLinkAsync(q, link);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var (provider, _) = await save.AddAsync(User.Tenant(), Input.ToDetails(), Input.Version, HttpContext.RequestAborted);
        return Redirect($"/supply-chain/providers?added={Uri.EscapeDataString(provider)}");
    }
}
