using Custodes.Application.Database;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Audit;

/// <summary>One audit trail entry as an organization sees it.</summary>
public sealed record AuditEntry(long Sequence, DateTime At, string Actor, string Action, string EntityType, string EntityId, string? Before, string? After, string Hash);

/// <summary>One entry of the whole installation's trail, as its operator sees it: which organization it belongs to (none for the installation's own).</summary>
public sealed record InstallationAuditEntry(Guid? OrganizationId, AuditEntry Entry);

/// <summary>What to show of the audit trail: every field optional; text fields match by substring.</summary>
public sealed record AuditFilter(string? Action = null, string? Actor = null, string? EntityId = null, DateTime? From = null, DateTime? To = null);

/// <summary>Reads an organization's part of the audit trail (newest first), and records events that change no other data (security events).</summary>
public sealed class AuditLog(Installation installation, AuditTrail audit)
{
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(Guid organizationId, AuditFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var query = db.Audit.AsNoTracking().Where(a => a.OrganizationId == organizationId);
        if (!string.IsNullOrWhiteSpace(filter.Action)) query = query.Where(a => a.Action.Contains(filter.Action));
        if (!string.IsNullOrWhiteSpace(filter.Actor)) query = query.Where(a => a.Actor.Contains(filter.Actor));
        if (!string.IsNullOrWhiteSpace(filter.EntityId)) query = query.Where(a => a.EntityId == filter.EntityId);
        if (filter.From is { } from) query = query.Where(a => a.At >= from);
        if (filter.To is { } to) query = query.Where(a => a.At < to);
        var rows = await query.OrderByDescending(a => a.Sequence).Skip(Math.Max(skip, 0)).Take(Math.Clamp(take, 1, 10_000)).ToListAsync(cancellationToken);
        return rows.Select(Entry).ToArray();
    }

    /// <summary>The latest entries of the whole installation (the operator's view, at the command line), or of one organization.</summary>
    public async Task<IReadOnlyList<InstallationAuditEntry>> ListInstallationAsync(Guid? organizationId, int take, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var rows = await db.Audit.AsNoTracking().Where(a => organizationId == null || a.OrganizationId == organizationId)
            .OrderByDescending(a => a.Sequence).Take(Math.Clamp(take, 1, 10_000)).ToListAsync(cancellationToken);
        return rows.Select(r => new InstallationAuditEntry(r.OrganizationId, Entry(r))).ToArray();
    }

    /// <summary>Recomputes the whole chain: whether any entry was changed, removed or reordered, and where.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await AuditTrail.VerifyAsync(db, cancellationToken);
    }

    private static AuditEntry Entry(AuditRow r) =>
        new(r.Sequence, r.At, r.Actor, r.Action, r.EntityType, r.EntityId, r.Before, r.After, Convert.ToHexStringLower(r.Hash));

    /// <summary>Records an event on its own (a refused request, a forged form): chained like every other entry.</summary>
    public async Task RecordAsync(AuditEvent e, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        audit.Record(db, e);
        await AuditTrail.SaveAsync(db, cancellationToken);
    }
}
