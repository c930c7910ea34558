using Custodes.Application.Audit;
using Custodes.Common;

namespace Custodes.Application.Engagements;

/// <summary>The quality review: a member of the firm other than the lead signs the assessment off; no letter is issued before it.</summary>
public sealed class SignOffQuality(Installation installation, AuditTrail audit, TimeProvider clock)
{
    public async Task HandleAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        EngagementQueries.RequireFirm(row, tenant, "signs off the quality review");
        if (tenant.UserId is not { } reviewer) throw new ForbiddenException("a person of the firm signs off the quality review, signed in");
        if (reviewer == row.LeadUserId)
            throw new ForbiddenException("the lead assessor cannot review their own engagement: ask another member of the firm (an owner or assessor) to sign off the quality review");
        if (row.Stage != EngagementStages.Qa)
            throw new ConflictException($"the engagement is {EngagementStages.Words(row.Stage).ToLowerInvariant()}; the lead moves it to quality review when fieldwork is done");
        if (row.QaSignedOffAt is not null) throw new ConflictException($"the quality review was already signed off by {row.QaReviewerName}");
        var name = await EngagementQueries.MemberNameAsync(db, row.FirmOrganizationId, reviewer, "reviewer", cancellationToken);
        row.QaReviewerUserId = reviewer;
        row.QaReviewerName = name;
        row.QaSignedOffAt = row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.qa_signed_off", row, null, new { qa_reviewer = name }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }
}
