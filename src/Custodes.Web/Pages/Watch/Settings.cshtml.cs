using Custodes.Application;
using Custodes.Application.Watch;
using Custodes.Common;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Watch;

/// <summary>An MSP's watch settings (event name, detection settings) and its tenant → customer mapping.</summary>
public sealed class SettingsModel(WatchMspStore msps, Application.Organizations.OrganizationDirectory directory) : PageModel, IRefusablePage
{
    public WatchProfile Profile { get; private set; } = null!;
    public IReadOnlyList<TenantMapping> Tenants { get; private set; } = [];
    /// <summary>Customers offered by name: those the MSP's portfolio links to and those already mapped.</summary>
    public IReadOnlyList<Application.Organizations.OrganizationChoice> Customers { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostSettingsAsync(string? eventName, string? settings, int version) =>
        RunAsync(async () =>
        {
            await msps.UpdateAsync(User.Tenant(), eventName, settings, version, HttpContext.RequestAborted);
            Message = "Settings saved; detection uses them from the next events on.";
        });

    public Task<IActionResult> OnPostMapAsync(string tenant, string customer) =>
        RunAsync(async () =>
        {
            var candidates = await directory.CustomerCandidatesAsync(User.Tenant(), HttpContext.RequestAborted);
            var id = await directory.ResolveAsync(customer, candidates, OrganizationKinds.Customer, "customer", HttpContext.RequestAborted);
            var mapping = await msps.MapTenantAsync(User.Tenant(), tenant, id, HttpContext.RequestAborted);
            Message = mapping.Status == MappingStatuses.Active
                ? $"Tenant '{mapping.Tenant}' is {mapping.CustomerName}."
                : $"Tenant '{mapping.Tenant}' is mapped to {mapping.CustomerOrganizationId}. Its alerts reach that organization once it accepts your alerts; until then they stay here.";
        });

    public Task<IActionResult> OnPostUnmapAsync(string tenant) =>
        RunAsync(async () =>
        {
            await msps.UnmapTenantAsync(User.Tenant(), tenant, HttpContext.RequestAborted);
            Message = $"Tenant '{tenant}' is no longer mapped.";
        });

    private async Task<IActionResult> RunAsync(Func<Task> change)
    {
        await change();
        await LoadAsync();
        return Page();
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return this.ShowAsync(refusal, LoadAsync);
    }

    private async Task LoadAsync()
    {
        Profile = await msps.ProfileAsync(User.Tenant(), HttpContext.RequestAborted);
        Tenants = await msps.TenantsAsync(User.Tenant(), HttpContext.RequestAborted);
        Customers = await directory.CustomerCandidatesAsync(User.Tenant(), HttpContext.RequestAborted);
    }
}
