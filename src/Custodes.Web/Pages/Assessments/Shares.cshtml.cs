using Custodes.Application.Assessments;
using Custodes.Application.Sharing;
using Custodes.Common;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Assessments;

/// <summary>Who may read an assessment besides its organization: explicit, read-only, revocable.</summary>
public sealed class SharesModel(AssessmentStore store, ShareStore shares, Application.Organizations.OrganizationDirectory directory) : PageModel, IRefusablePage
{
    public Guid Id { get; private set; }
    public string Subject { get; private set; } = "";
    public IReadOnlyList<ShareRecipient> Recipients { get; private set; } = [];
    /// <summary>Organizations offered by name: those this organization knows (portfolio, earlier shares, the assessed organization).</summary>
    public IReadOnlyList<Application.Organizations.OrganizationChoice> Candidates { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    public async Task OnGetAsync(Guid id) => await LoadAsync(id);

    public async Task<IActionResult> OnPostShareAsync(Guid id, string organization)
    {
        await LoadAsync(id);
        var org = await directory.ResolveAsync(organization, Candidates, null, "organization", HttpContext.RequestAborted);
        var recipient = await shares.ShareAsync(User.Tenant(), id, org, HttpContext.RequestAborted);
        Message = $"Shared with {recipient.Name}.";
        await LoadAsync(id);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, Guid organization)
    {
        await shares.RevokeAsync(User.Tenant(), id, organization, HttpContext.RequestAborted);
        Message = "No longer shared.";
        await LoadAsync(id);
        return Page();
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return this.ShowAsync(refusal, () => LoadAsync(this.RouteId()));
    }

    private async Task LoadAsync(Guid id)
    {
        var stored = await store.GetAsync(User.Tenant(), id, HttpContext.RequestAborted);
        Id = id;
        Subject = stored.Assessment.Organization;
        Recipients = await shares.RecipientsAsync(User.Tenant(), id, HttpContext.RequestAborted);
        Candidates = (await directory.ShareCandidatesAsync(User.Tenant(), id, HttpContext.RequestAborted))
            .Where(c => Recipients.All(r => r.OrganizationId != c.Id)).ToArray();
    }
}
