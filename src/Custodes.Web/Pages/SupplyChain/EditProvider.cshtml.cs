using Custodes.Application.SupplyChain;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Changes one provider: the same form as adding, filled with what is stored.</summary>
public sealed class EditProviderModel(ProviderDirectory directory, CustomerProviders providers, SaveProvider save) : ProviderFormPage(directory)
{
    public string Id { get; private set; } = "";
    public ProviderSummary? Provider { get; private set; }
    public override string Heading => $"Change {Provider?.Details.Name ?? "a provider"}";
    public override string SubmitLabel => "Save changes";

    public async Task OnGetAsync(string id, string? q, Guid? link)
    {
        await LoadAsync(id, keepInput: false);
        await SearchAndLinkAsync(q, link);
    }

    public async Task<IActionResult> OnPostAsync(string id)
    {
        Id = id;
        await save.UpdateAsync(User.Tenant(), id, Input.ToDetails(), Input.Version, HttpContext.RequestAborted);
        return Redirect($"/supply-chain/providers?changed={Uri.EscapeDataString(id)}");
    }

    protected override async Task ReloadAsync()
    {
        await LoadAsync(Convert.ToString(RouteData.Values["id"], System.Globalization.CultureInfo.InvariantCulture)!, keepInput: true);
        await base.ReloadAsync();
    }

    private async Task LoadAsync(string id, bool keepInput)
    {
        Id = id;
        var (list, provider) = await providers.GetAsync(User.Tenant(), id, HttpContext.RequestAborted);
        Provider = provider;
        if (!keepInput) Input = ProviderInput.From(provider.Details, list.Version);
    }
}
