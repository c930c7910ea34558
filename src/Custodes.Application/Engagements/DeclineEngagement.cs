using Custodes.Application.Audit;
using Custodes.Common;

namespace Custodes.Application.Engagements;

/// <summary>The firm declines a request with a reason from <see cref="DeclineReasons"/> ("conflict of interest" among them) and, for "other", a note.</summary>
public sealed class DeclineEngagement(Installation installation, AuditTrail audit, TimeProvider clock)
{
    public async Task HandleAsync(Tenant tenant, Guid id, string? reason, string? note, CancellationToken cancellationToken = default)
    {
        reason = (reason ?? "").Trim();
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (reason.Length == 0) throw new BadInputException($"choose the reason for declining ({string.Join(", ", DeclineReasons.All.Select(DeclineReasons.Words))}); the organization that asked sees it", path: "reason");
        if (!DeclineReasons.All.Contains(reason)) throw new BadInputException($"unknown reason '{reason}'; choose one of {string.Join(", ", DeclineReasons.All)}", path: "reason");
        if (reason == DeclineReasons.Other && note is null) throw new BadInputException("say why in a few words when the reason is 'other'", path: "note");
        if (note is { Length: > 2000 }) throw new BadInputException("the note has at most 2000 characters", path: "note");
        await using var db = installation.OpenDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        EngagementQueries.RequireFirm(row, tenant, "declines a request");
        if (row.Stage != EngagementStages.Requested) throw new ConflictException($"the engagement is {EngagementStages.Words(row.Stage).ToLowerInvariant()}; only a request still waiting is declined");
        row.Stage = EngagementStages.Declined;
        row.DeclineReason = reason;
        row.DeclineNote = note;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.declined", row, new { stage = EngagementStages.Requested }, new { stage = row.Stage, reason, note }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }
}
