using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Sharing;

/// <summary>An organization an assessment is shared with.</summary>
public sealed record ShareRecipient(Guid OrganizationId, string Name, string Kind, DateTime SharedAt, string SharedBy);

/// <summary>An assessment another organization shared with the tenant.</summary>
public sealed record SharedAssessment(Guid Id, Guid OwnerId, string OwnerName, string Subject, string Framework, DateOnly? AssessedOn, int Version, DateTime SharedAt);

/// <summary>Explicit, read-only sharing of an assessment with another organization: the one thing that crosses tenants.</summary>
public sealed class ShareStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    public async Task<ShareRecipient> ShareAsync(Tenant tenant, Guid assessmentId, Guid recipientId, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        if (!await db.Assessments.AnyAsync(a => a.Id == assessmentId && a.OrganizationId == tenant.OrganizationId, cancellationToken))
            throw new NotFoundException($"no assessment {assessmentId}");
        if (recipientId == tenant.OrganizationId) throw new BadInputException("an assessment is already visible to its own organization", path: "$.organization_id");
        var recipient = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == recipientId, cancellationToken)
            ?? throw new BadInputException($"no organization with id {recipientId}; ask the other organization for the id shown on its Members page", path: "$.organization_id");
        var existing = await db.Shares.AsNoTracking().FirstOrDefaultAsync(s => s.AssessmentId == assessmentId && s.OrganizationId == recipientId, cancellationToken);
        if (existing is not null) return new ShareRecipient(recipient.Id, recipient.Name, recipient.Kind, existing.CreatedAt, existing.CreatedBy);
        var row = new ShareRow { AssessmentId = assessmentId, OrganizationId = recipientId, CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = tenant.Actor };
        db.Shares.Add(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "assessment.shared", "assessment", assessmentId.ToString(), After: new { organization = recipientId, recipient.Name }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return new ShareRecipient(recipient.Id, recipient.Name, recipient.Kind, row.CreatedAt, row.CreatedBy);
    }

    public async Task RevokeAsync(Tenant tenant, Guid assessmentId, Guid recipientId, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        if (!await db.Assessments.AnyAsync(a => a.Id == assessmentId && a.OrganizationId == tenant.OrganizationId, cancellationToken))
            throw new NotFoundException($"no assessment {assessmentId}");
        var row = await db.Shares.FirstOrDefaultAsync(s => s.AssessmentId == assessmentId && s.OrganizationId == recipientId, cancellationToken)
            ?? throw new NotFoundException($"assessment {assessmentId} is not shared with {recipientId}");
        db.Shares.Remove(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "assessment.unshared", "assessment", assessmentId.ToString(), Before: new { organization = recipientId }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>Who an assessment of the tenant is shared with.</summary>
    public async Task<IReadOnlyList<ShareRecipient>> RecipientsAsync(Tenant tenant, Guid assessmentId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        if (!await db.Assessments.AnyAsync(a => a.Id == assessmentId && a.OrganizationId == tenant.OrganizationId, cancellationToken))
            throw new NotFoundException($"no assessment {assessmentId}");
        return await (
            from s in db.Shares
            join o in db.Organizations on s.OrganizationId equals o.Id
            where s.AssessmentId == assessmentId
            orderby o.Name
            select new ShareRecipient(o.Id, o.Name, o.Kind, s.CreatedAt, s.CreatedBy)).AsNoTracking().ToListAsync(cancellationToken);
    }

    /// <summary>Assessments other organizations shared with the tenant.</summary>
    public async Task<IReadOnlyList<SharedAssessment>> SharedWithAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await (
            from s in db.Shares
            join a in db.Assessments on s.AssessmentId equals a.Id
            join o in db.Organizations on a.OrganizationId equals o.Id
            where s.OrganizationId == tenant.OrganizationId
            orderby s.CreatedAt descending
            select new SharedAssessment(a.Id, o.Id, o.Name, a.Subject, a.Framework, a.AssessedOn, a.Version, s.CreatedAt)).AsNoTracking().ToListAsync(cancellationToken);
    }
}
