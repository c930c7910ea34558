using Custodes.Storage.Database;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Storage.Assessments;

/// <summary>Stored assessments read many at a time as <see cref="CompactAssessment"/>s, for recomputing thousands of customers after a letter changes.</summary>
/// <remarks>
/// One query per chunk of assessments instead of one per assessment, and only the columns resolution reads (each determination's
/// target, status and partial value; no notes, methods, evidence or POA&amp;M). The rows go through the same mapping as a full read
/// (<see cref="AssessmentRows.ToDomain"/>), so each result is what <see cref="CompactAssessment.From"/> gives for the full assessment.
/// </remarks>
internal static class CompactAssessments
{
    // Ids per query: far under SQLite's 32,766 and PostgreSQL's 65,535 parameters; about 100,000 determinations per round trip.
    private const int IdsPerQuery = 1_000;

    /// <summary>The newest assessment each organization owns about itself (the rule of <see cref="SupplyChain.CustomerInheritance.LatestOwnAssessmentAsync"/>), by organization.</summary>
    public static async Task<Dictionary<Guid, CompactAssessment>> LatestOwnAsync(CustodesDb db, IEnumerable<Guid> organizations, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<Guid, AssessmentRow>();
        foreach (var chunk in organizations.Distinct().Chunk(IdsPerQuery))
        {
            // Ordered by the database, as the query for one organization is, so an assessment without a date sorts as it does there.
            var rows = await db.Assessments.AsNoTracking()
                .Where(a => chunk.Contains(a.OrganizationId) && (a.SubjectOrganizationId == null || a.SubjectOrganizationId == a.OrganizationId))
                .OrderBy(a => a.OrganizationId).ThenByDescending(a => a.AssessedOn).ThenByDescending(a => a.UpdatedAt)
                .Select(a => new AssessmentRow { Id = a.Id, OrganizationId = a.OrganizationId, Framework = a.Framework, Subject = a.Subject, AssessedOn = a.AssessedOn, Ssp = a.Ssp })
                .ToListAsync(cancellationToken);
            foreach (var row in rows) latest.TryAdd(row.OrganizationId, row);
        }
        var compact = await ReadAsync(db, latest.Values, cancellationToken);
        return latest.ToDictionary(l => l.Key, l => compact[l.Value.Id]);
    }

    /// <summary>Stored assessments by id (those that do not exist are left out).</summary>
    public static async Task<Dictionary<Guid, CompactAssessment>> LoadAsync(CustodesDb db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var rows = new List<AssessmentRow>();
        foreach (var chunk in ids.Distinct().Chunk(IdsPerQuery))
            rows.AddRange(await db.Assessments.AsNoTracking().Where(a => chunk.Contains(a.Id))
                .Select(a => new AssessmentRow { Id = a.Id, OrganizationId = a.OrganizationId, Framework = a.Framework, Subject = a.Subject, AssessedOn = a.AssessedOn, Ssp = a.Ssp })
                .ToListAsync(cancellationToken));
        return await ReadAsync(db, rows, cancellationToken);
    }

    /// <summary>The assessments of these rows (each row holding at least what <see cref="AssessmentRows.ToDomain"/> reads), by id.</summary>
    private static async Task<Dictionary<Guid, CompactAssessment>> ReadAsync(CustodesDb db, IEnumerable<AssessmentRow> rows, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, CompactAssessment>();
        foreach (var chunk in rows.Chunk(IdsPerQuery))
        {
            var ids = chunk.Select(r => r.Id).ToArray();
            var determinations = (await db.Determinations.AsNoTracking().Where(d => ids.Contains(d.AssessmentId))
                .Select(d => new DeterminationRow { AssessmentId = d.AssessmentId, TargetId = d.TargetId, IsObjective = d.IsObjective, Status = d.Status, Partial = d.Partial })
                .ToListAsync(cancellationToken)).ToLookup(d => d.AssessmentId);
            foreach (var row in chunk)
                result[row.Id] = CompactAssessment.From(AssessmentRows.ToDomain(row, determinations[row.Id], []));
        }
        return result;
    }
}
