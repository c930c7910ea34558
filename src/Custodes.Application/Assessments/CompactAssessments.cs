using Custodes.Application.Database;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Assessments;

/// <summary>Stored assessments read many at a time as <see cref="CompactAssessment"/>s, for recomputing thousands of customers after a letter changes.</summary>
/// <remarks>
/// One query per thousand assessments instead of one per assessment, reading each assessment's kept statuses
/// (<see cref="AssessmentRow.Statuses"/>): one short value per customer instead of a hundred or more determinations. An assessment
/// stored before they were kept is read from its determinations, only the columns resolution reads, through the same mapping as a
/// full read (<see cref="AssessmentRows.ToDomain"/>). Either way the result is what <see cref="CompactAssessment.From"/> gives for the
/// full assessment.
/// </remarks>
internal static class CompactAssessments
{
    // Ids per query: far under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
    private const int IdsPerQuery = 1_000;

    /// <summary>The newest assessment each organization owns about itself (the rule of <see cref="SupplyChain.CustomerInheritance.LatestOwnAssessmentAsync"/>), by organization.</summary>
    internal static async Task<Dictionary<Guid, CompactAssessment>> LatestOwnAsync(CustodesDb db, IEnumerable<Guid> organizations, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<Guid, AssessmentRow>();
        foreach (var chunk in organizations.Distinct().Chunk(IdsPerQuery))
        {
            // Ordered by the database, as the query for one organization is, so an assessment without a date sorts as it does there.
            var rows = await db.Assessments.AsNoTracking()
                .Where(a => chunk.Contains(a.OrganizationId) && (a.SubjectOrganizationId == null || a.SubjectOrganizationId == a.OrganizationId))
                .OrderBy(a => a.OrganizationId).ThenByDescending(a => a.AssessedOn).ThenByDescending(a => a.UpdatedAt)
                .Select(a => new AssessmentRow { Id = a.Id, OrganizationId = a.OrganizationId, Framework = a.Framework, Subject = a.Subject, AssessedOn = a.AssessedOn, Ssp = a.Ssp, Statuses = a.Statuses })
                .ToListAsync(cancellationToken);
            foreach (var row in rows) latest.TryAdd(row.OrganizationId, row);
        }
        var compact = await ReadAsync(db, latest.Values, cancellationToken);
        return latest.ToDictionary(l => l.Key, l => compact[l.Value.Id]);
    }

    /// <summary>Stored assessments by id (those that do not exist are left out).</summary>
    internal static async Task<Dictionary<Guid, CompactAssessment>> LoadAsync(CustodesDb db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var rows = new List<AssessmentRow>();
        foreach (var chunk in ids.Distinct().Chunk(IdsPerQuery))
            rows.AddRange(await db.Assessments.AsNoTracking().Where(a => chunk.Contains(a.Id))
                .Select(a => new AssessmentRow { Id = a.Id, OrganizationId = a.OrganizationId, Framework = a.Framework, Subject = a.Subject, AssessedOn = a.AssessedOn, Ssp = a.Ssp, Statuses = a.Statuses })
                .ToListAsync(cancellationToken));
        return await ReadAsync(db, rows, cancellationToken);
    }

    /// <summary>The assessments of these rows (each holding what <see cref="AssessmentRows.ToDomain"/> reads, and the kept statuses), by id.</summary>
    private static async Task<Dictionary<Guid, CompactAssessment>> ReadAsync(CustodesDb db, IEnumerable<AssessmentRow> rows, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, CompactAssessment>();
        var unkept = new List<AssessmentRow>();
        foreach (var row in rows)
        {
            if (row.Statuses is { } codes && CompactAssessment.FromCodes(row.Framework, row.Subject, codes, row.Ssp, row.AssessedOn) is { } compact) result[row.Id] = compact;
            else unkept.Add(row);
        }
        foreach (var chunk in unkept.Chunk(IdsPerQuery))
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
