using Custodes.Application.Database;

namespace Custodes.Application.Assessments;

/// <summary>Writes an assessment's determinations in bulk (<see cref="BulkInsert"/>), so an import stays within its latency budget.</summary>
internal static class DeterminationBulkInsert
{
    private static readonly string[] Properties =
    [
        nameof(DeterminationRow.AssessmentId), nameof(DeterminationRow.TargetId), nameof(DeterminationRow.IsObjective), nameof(DeterminationRow.Status),
        nameof(DeterminationRow.Partial), nameof(DeterminationRow.Note), nameof(DeterminationRow.Methods), nameof(DeterminationRow.Evidence),
    ];

    internal static Task InsertAsync(CustodesDb db, IReadOnlyList<DeterminationRow> rows, CancellationToken cancellationToken) =>
        BulkInsert.InsertAsync(db, rows, Properties, r => [r.AssessmentId, r.TargetId, r.IsObjective, r.Status, r.Partial, r.Note, r.Methods, r.Evidence], cancellationToken);
}
