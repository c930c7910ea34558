using Custodes.Application.Engagements;
using Custodes.Web.Accounts;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Engagements;

/// <summary>The organization's engagements: the assessments it asked for (and a form to ask), or, for a firm, the requests made of it.</summary>
public sealed class IndexModel(EngagementQueries queries, RequestEngagement request, Application.Keys.FirmKeys firmKeys) : PageModel, IRefusablePage
{
    public IReadOnlyList<Engagement> Engagements { get; private set; } = [];
    public bool IsFirm { get; private set; }
    public string? Error { get; private set; }
    /// <summary>The firm's signing key held by the installation (firms only), or null when it has none yet.</summary>
    public Application.Keys.FirmKey? FirmKey { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostRequestAsync(string? firm, string? framework, string? scope, DateOnly? targetDate)
    {
        var id = await request.HandleAsync(User.Tenant(), new EngagementRequest { Firm = firm ?? "", Framework = framework ?? "", Scope = scope ?? "", TargetDate = targetDate }, HttpContext.RequestAborted);
        return Redirect($"/engagements/{id}");
    }

    /// <summary>An owner of the firm creates the firm's signing key (once); its public key is shown for anyone verifying offline.</summary>
    public async Task<IActionResult> OnPostKeyAsync()
    {
        await firmKeys.EnsureAsync(User.Tenant(), HttpContext.RequestAborted);
        await LoadAsync();
        return Page();
    }

    /// <summary>A member who is not an owner is told on the page that only an owner creates the firm's key, beside the engagements.</summary>
    bool IRefusablePage.ShowsNotFoundAndForbidden => true;

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return this.ShowAsync(refusal, LoadAsync);
    }

    private async Task LoadAsync()
    {
        IsFirm = User.FindFirst(CookieSessions.OrganizationKindClaim)?.Value == Application.OrganizationKinds.Assessor;
        Engagements = await queries.ListAsync(User.Tenant(), HttpContext.RequestAborted);
        if (IsFirm) FirmKey = await firmKeys.FindAsync(User.Tenant().OrganizationId, HttpContext.RequestAborted);
    }
}
