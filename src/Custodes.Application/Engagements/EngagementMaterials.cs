using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Evidence;
using Custodes.Assessments;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Engagements;

/// <summary>What the requester submitted for the engagement: its self-assessment (owned by it, shared read-only with the firm) and its evidence.</summary>
public sealed record EngagementSubmission(Guid? SelfAssessmentId, string? SelfAssessmentSubject, IReadOnlyList<EvidenceItem> Evidence, bool Editable);

/// <summary>
/// The requesting organization submits its evidence and self-assessment to the engagement while it is accepted or in preparation; the
/// firm reads them, never changes them. From fieldwork on the submission is frozen: the firm assesses what was submitted, so a change
/// then would move the ground under the assessors. Files stay in the requester's evidence store and the assessment in its workspace;
/// the engagement only links them (the self-assessment through the existing read-only sharing).
/// </summary>
public sealed class EngagementMaterials(Installation installation, EvidenceStore evidence, AssessmentStore assessments, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The submission as either side sees it.</summary>
    public async Task<EngagementSubmission> GetAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        var files = await (from l in db.EngagementEvidence.AsNoTracking()
                           join e in db.Evidence.AsNoTracking() on l.EvidenceId equals e.Id
                           where l.EngagementId == id && e.OrganizationId == row.RequesterOrganizationId
                           orderby e.Name, e.Version
                           select e).ToListAsync(cancellationToken);
        var subject = row.SelfAssessmentId is { } sid
            ? await db.Assessments.AsNoTracking().Where(a => a.Id == sid).Select(a => a.Subject).FirstOrDefaultAsync(cancellationToken)
            : null;
        return new EngagementSubmission(row.SelfAssessmentId, subject,
            [.. files.Select(e => new EvidenceItem(e.Id, e.Name, e.Version, e.Sha256, e.FileName, e.ContentType, e.Size, e.UploadedAt, e.UploadedBy))],
            row.RequesterOrganizationId == tenant.OrganizationId && Open(row.Stage));
    }

    /// <summary>Stores a file in the requester's evidence store and attaches it to the engagement.</summary>
    public async Task<EvidenceItem> UploadEvidenceAsync(Tenant tenant, Guid id, Stream content, string fileName, string contentType, string? name, CancellationToken cancellationToken = default)
    {
        // Refused before a byte is stored: after fieldwork starts, an upload would leave an unattached file behind for nothing.
        await using (var db = installation.OpenReadDb())
            RequireRequesterInPreparation(await EngagementQueries.FindAsync(db, tenant, id, cancellationToken), tenant, "uploads evidence");
        var item = await evidence.AddAsync(tenant, content, fileName, contentType, name, null, [], cancellationToken);
        await AttachEvidenceAsync(tenant, id, item.Id, cancellationToken);
        return item;
    }

    /// <summary>Attaches an evidence version the requester already holds.</summary>
    public async Task AttachEvidenceAsync(Tenant tenant, Guid id, Guid evidenceId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        RequireRequesterInPreparation(row, tenant, "attaches evidence");
        var file = await db.Evidence.AsNoTracking().Where(e => e.Id == evidenceId && e.OrganizationId == tenant.OrganizationId)
            .Select(e => new { e.Name, e.Version, e.Sha256 }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new BadInputException($"your organization has no evidence {evidenceId}; upload the file first", path: "evidence");
        if (await db.EngagementEvidence.AnyAsync(l => l.EngagementId == id && l.EvidenceId == evidenceId, cancellationToken)) return;
        var now = clock.GetUtcNow().UtcDateTime;
        db.EngagementEvidence.Add(new EngagementEvidenceRow { EngagementId = id, EvidenceId = evidenceId, AttachedAt = now, AttachedBy = tenant.Actor });
        row.UpdatedAt = now;
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.evidence_attached", row, null, new { evidence = evidenceId, file.Name, file.Version, file.Sha256 }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>Takes an evidence version off the engagement; the file stays in the requester's evidence store.</summary>
    public async Task DetachEvidenceAsync(Tenant tenant, Guid id, Guid evidenceId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        RequireRequesterInPreparation(row, tenant, "removes evidence");
        var link = await db.EngagementEvidence.FirstOrDefaultAsync(l => l.EngagementId == id && l.EvidenceId == evidenceId, cancellationToken)
            ?? throw new NotFoundException($"evidence {evidenceId} is not attached to this engagement");
        db.EngagementEvidence.Remove(link);
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.evidence_detached", row, new { evidence = evidenceId }, null));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>Names one of the requester's own assessments, of the engagement's framework, as its self-assessment; shares it read-only with the firm.</summary>
    public async Task SetSelfAssessmentAsync(Tenant tenant, Guid id, Guid assessmentId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        RequireRequesterInPreparation(row, tenant, "submits the self-assessment");
        var assessment = await db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId && a.OrganizationId == tenant.OrganizationId)
            .Select(a => new { a.Id, a.Framework }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new BadInputException($"your organization has no assessment {assessmentId}; import or create it first", path: "assessment");
        if (assessment.Framework != row.Framework)
            throw new BadInputException($"the self-assessment is of {assessment.Framework}, the engagement of {row.Framework}", path: "assessment");
        var before = row.SelfAssessmentId;
        if (before == assessment.Id) return;
        var now = clock.GetUtcNow().UtcDateTime;
        row.SelfAssessmentId = assessment.Id;
        row.UpdatedAt = now;
        // The firm reads the self-assessment through the sharing every assessment uses (read-only to it); a replaced one stops being shared.
        if (before is { } old && await db.Shares.FirstOrDefaultAsync(s => s.AssessmentId == old && s.OrganizationId == row.FirmOrganizationId, cancellationToken) is { } stale)
            db.Shares.Remove(stale);
        if (!await db.Shares.AnyAsync(s => s.AssessmentId == assessment.Id && s.OrganizationId == row.FirmOrganizationId, cancellationToken))
            db.Shares.Add(new ShareRow { AssessmentId = assessment.Id, OrganizationId = row.FirmOrganizationId, CreatedAt = now, CreatedBy = tenant.Actor });
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.self_assessment_set", row, new { self_assessment = before }, new { self_assessment = assessment.Id, shared_with = row.FirmOrganizationId }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>Imports an uploaded custodes.assessment/v1 file as an assessment the requester owns and submits it as the self-assessment.</summary>
    public async Task<Guid> ImportSelfAssessmentAsync(Tenant tenant, Guid id, ReadOnlyMemory<byte> file, string fileName, CancellationToken cancellationToken = default)
    {
        string framework;
        await using (var db = installation.OpenReadDb())
        {
            var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
            RequireRequesterInPreparation(row, tenant, "submits the self-assessment");
            framework = row.Framework;
        }
        // Parsed and checked before anything is stored: a bad file or the wrong framework leaves no stray assessment.
        var parsed = AssessmentFile.Parse(file.Span, fileName);
        if (parsed.Assessment.Framework != framework)
            throw new BadInputException($"the file is an assessment of {parsed.Assessment.Framework}, the engagement of {framework}", fileName, "$.framework");
        var assessmentId = await assessments.ImportAsync(tenant, parsed, cancellationToken);
        await SetSelfAssessmentAsync(tenant, id, assessmentId, cancellationToken);
        return assessmentId;
    }

    /// <summary>Takes the self-assessment off the engagement and stops sharing it with the firm; the assessment stays the requester's.</summary>
    public async Task RemoveSelfAssessmentAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        RequireRequesterInPreparation(row, tenant, "removes the self-assessment");
        if (row.SelfAssessmentId is not { } old) throw new NotFoundException("no self-assessment is submitted to this engagement");
        row.SelfAssessmentId = null;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        if (await db.Shares.FirstOrDefaultAsync(s => s.AssessmentId == old && s.OrganizationId == row.FirmOrganizationId, cancellationToken) is { } share)
            db.Shares.Remove(share);
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.self_assessment_removed", row, new { self_assessment = old }, null));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>Opens a submitted evidence file for either party; evidence not attached to the engagement is not found.</summary>
    public async Task<(EvidenceItem Item, Stream Content)> OpenEvidenceAsync(Tenant tenant, Guid id, Guid evidenceId, CancellationToken cancellationToken = default)
    {
        Guid owner;
        await using (var db = installation.OpenReadDb())
        {
            var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
            if (!await db.EngagementEvidence.AnyAsync(l => l.EngagementId == id && l.EvidenceId == evidenceId, cancellationToken))
                throw new NotFoundException($"evidence {evidenceId} is not attached to this engagement");
            owner = row.RequesterOrganizationId;
        }
        return await evidence.OpenOwnedAsync(owner, evidenceId, cancellationToken);
    }

    private static bool Open(string stage) => stage is EngagementStages.Accepted or EngagementStages.Preparation;

    private static void RequireRequesterInPreparation(EngagementRow row, Tenant tenant, string what)
    {
        if (row.RequesterOrganizationId != tenant.OrganizationId)
            throw new ForbiddenException($"only the organization that asked for the assessment {what}; the firm reads the submission");
        tenant.RequireEdit();
        if (Open(row.Stage)) return;
        throw new ConflictException(row.Stage switch
        {
            EngagementStages.Requested => "the firm has not accepted the request yet; evidence and the self-assessment are submitted once it has",
            EngagementStages.Declined or EngagementStages.Withdrawn => $"the engagement is {EngagementStages.Words(row.Stage).ToLowerInvariant()}; nothing more is submitted to it",
            _ => $"the engagement is in {EngagementStages.Words(row.Stage).ToLowerInvariant()}: the submission is frozen, since the firm assesses what was submitted. Send anything new to the lead assessor ({row.LeadName}), who records it in the firm's assessment",
        });
    }
}
