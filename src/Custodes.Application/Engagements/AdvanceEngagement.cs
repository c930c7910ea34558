using Custodes.Application.Audit;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Engagements;

/// <summary>
/// The lead links the firm's assessment of the requester (shared with the requester read-only) and moves the engagement on:
/// accepted → preparation → fieldwork → quality review. Fieldwork needs the assessment; from fieldwork on the requester's own
/// self-assessment and evidence are frozen for it (the firm assesses what was submitted).
/// </summary>
public sealed class AdvanceEngagement(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Links an assessment the firm owns and shares it read-only with the requester.</summary>
    public async Task LinkAssessmentAsync(Tenant tenant, Guid id, Guid assessmentId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        EngagementQueries.RequireLead(row, tenant, "links the assessment");
        if (row.Stage is not (EngagementStages.Accepted or EngagementStages.Preparation))
            throw new ConflictException("the assessment is linked before fieldwork starts");
        var assessment = await db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId && a.OrganizationId == row.FirmOrganizationId)
            .Select(a => new { a.Id, a.Framework }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new BadInputException($"the firm has no assessment {assessmentId}; import or create the assessment in the firm's workspace first", path: "assessment");
        if (assessment.Framework != row.Framework)
            throw new BadInputException($"the assessment is of {assessment.Framework}, the engagement of {row.Framework}", path: "assessment");
        var before = row.AssessmentId;
        row.AssessmentId = assessment.Id;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        if (!await db.Shares.AnyAsync(s => s.AssessmentId == assessment.Id && s.OrganizationId == row.RequesterOrganizationId, cancellationToken))
            db.Shares.Add(new Database.ShareRow { AssessmentId = assessment.Id, OrganizationId = row.RequesterOrganizationId, CreatedAt = row.UpdatedAt, CreatedBy = tenant.Actor });
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.assessment_linked", row, new { assessment = before }, new { assessment = assessment.Id, shared_with = row.RequesterOrganizationId }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>Moves to the next working stage; returns it.</summary>
    public async Task<string> NextAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        EngagementQueries.RequireLead(row, tenant, "moves the engagement on");
        var next = EngagementStages.Next(row.Stage) ?? throw new ConflictException(row.Stage == EngagementStages.Qa
            ? "the engagement is in quality review: a member of the firm other than the lead signs it off, then the lead issues the letter"
            : $"the engagement is {EngagementStages.Words(row.Stage).ToLowerInvariant()}; it does not move on from here");
        if (next == EngagementStages.Fieldwork && row.AssessmentId is null)
            throw new ConflictException("link the firm's assessment of the organization before fieldwork starts");
        var before = row.Stage;
        row.Stage = next;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.stage_changed", row, new { stage = before }, new { stage = next }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return next;
    }

    /// <summary>The requester withdraws a request that has not reached fieldwork.</summary>
    public async Task WithdrawAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        if (row.RequesterOrganizationId != tenant.OrganizationId) throw new ForbiddenException("only the organization that asked withdraws its request");
        if (row.Stage is not (EngagementStages.Requested or EngagementStages.Accepted or EngagementStages.Preparation))
            throw new ConflictException($"the engagement is {EngagementStages.Words(row.Stage).ToLowerInvariant()}; a request is withdrawn before fieldwork");
        var before = row.Stage;
        row.Stage = EngagementStages.Withdrawn;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.withdrawn", row, new { stage = before }, new { stage = row.Stage }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }
}
