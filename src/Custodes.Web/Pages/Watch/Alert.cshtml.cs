using Custodes.Application;
using Custodes.Application.Watch;
using Custodes.Common;
using Custodes.Web.Api;
using Custodes.Web.Watch;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Watch;

/// <summary>One alert with its events; its MSP acknowledges or resolves it with a note (the version guards against a lost update).</summary>
public sealed class AlertModel(AlertStore alerts, WatchMspStore msps) : PageModel, IRefusablePage
{
    public AlertDetail Detail { get; private set; } = null!;
    public bool CanChange => Detail.CanChange;
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    /// <summary>Tenant ids (as the RMM names them) → the customer's name, where known: a person reads "Smile Dental Group", not "dental-042".</summary>
    public IReadOnlyDictionary<string, string> TenantNames { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(Guid id)
    {
        Detail = await alerts.GetAsync(User.Tenant(), id, HttpContext.RequestAborted);
        TenantNames = await WatchNames.TenantNamesAsync(User, msps, Detail.Alert, HttpContext.RequestAborted);
    }

    public Task<IActionResult> OnPostAcknowledgeAsync(Guid id, int version, string? note) => ChangeAsync(id, AlertStatuses.Acknowledged, version, note);

    public Task<IActionResult> OnPostResolveAsync(Guid id, int version, string? note) => ChangeAsync(id, AlertStatuses.Resolved, version, note);

    private async Task<IActionResult> ChangeAsync(Guid id, string status, int version, string? note)
    {
        await alerts.SetStatusAsync(User.Tenant(), id, status, note, version, HttpContext.RequestAborted);
        Message = $"Alert {status}.";
        Detail = await alerts.GetAsync(User.Tenant(), id, HttpContext.RequestAborted);
        TenantNames = await WatchNames.TenantNamesAsync(User, msps, Detail.Alert, HttpContext.RequestAborted);
        return Page();
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return this.ShowAsync(refusal, () => OnGetAsync(this.RouteId()));
    }
}
