using Custodes.Application.Assessments;
using Custodes.Application.Sharing;
using Custodes.Application.SupplyChain;
using Custodes.Assessments.Scoring;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages;

/// <summary>The dashboard: the organization's assessments with score and CMMC status, and those shared with it.</summary>
public sealed class IndexModel(AssessmentStore assessments, ShareStore shares, LetterChanges supplyChain, Custodes.Application.Watch.WatchConsentStore consents, Application.Accounts.InvitationStore invitations,
    Application.Engagements.EngagementQueries engagements) : PageModel
{
    /// <summary>One line of the dashboard.</summary>
    public sealed record Row(Guid Id, string Subject, string Framework, DateOnly? AssessedOn, int? Score, string Level2, bool Complete, DateTime Updated);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<SharedAssessment> Shared { get; private set; } = [];
    /// <summary>Recent supply-chain notices (a provider's letter revoked or expired changed this organization's score).</summary>
    public IReadOnlyList<SupplyChainNotice> Notices { get; private set; } = [];
    /// <summary>MSPs waiting for this organization to accept or decline their watch alerts.</summary>
    public IReadOnlyList<Custodes.Application.Watch.ProviderRequest> PendingProviders { get; private set; } = [];
    /// <summary>Invitations waiting for the signed-in person's answer: shown here, the first page after sign-in.</summary>
    public IReadOnlyList<Application.Accounts.Invitation> Invitations { get; private set; } = [];

    /// <summary>The organization's engagements with assessor firms (and, for a firm, those asked of it), each with its letter once issued.</summary>
    public IReadOnlyList<Application.Engagements.Engagement> Engagements { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var tenant = User.Tenant();
        var stored = await assessments.LoadManyAsync(tenant, 0, 100, cancellationToken: HttpContext.RequestAborted);
        Rows = stored.Select(s =>
        {
            var report = ScoreAssessment.Score(s.Assessment);
            return new Row(s.Id, s.Assessment.Organization, s.Assessment.Framework, s.Assessment.AssessedOn, report.Score, report.Cmmc.Level2.Status, report.Complete, s.UpdatedAt);
        }).ToArray();
        Shared = await shares.SharedWithAsync(tenant, HttpContext.RequestAborted);
        Engagements = [.. (await engagements.ListAsync(tenant, HttpContext.RequestAborted)).Take(10)];
        Notices = await supplyChain.ListAsync(tenant, 3, HttpContext.RequestAborted);
        PendingProviders = [.. (await consents.ListAsync(tenant, HttpContext.RequestAborted)).Where(p => p.State == Custodes.Application.Watch.ConsentStates.Pending)];
        if (Accounts.OrganizationSwitch.HasSession(User)) Invitations = await invitations.PendingForUserAsync(User.UserId(), HttpContext.RequestAborted);
    }
}
