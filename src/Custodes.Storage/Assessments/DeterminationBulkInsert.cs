using System.Text;
using Custodes.Storage.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Custodes.Storage.Assessments;

/// <summary>Writes an assessment's determinations with multi-row INSERTs instead of one command per row.</summary>
/// <remarks>
/// EF Core's SQLite provider sends one INSERT per row (321 commands for a full assessment); this keeps an import within its latency
/// budget. Table and column names come from the EF model and values are bound through EF's type mappings, so rows read back exactly
/// as EF writes them. Runs inside the caller's transaction.
/// </remarks>
internal static class DeterminationBulkInsert
{
    // Binding named parameters costs more per parameter as a statement grows (SQLite looks each name up), so statements stay
    // small: 64 rows × 8 columns, far under SQLite's 32,766 and PostgreSQL's 65,535 parameter limits.
    private const int RowsPerStatement = 64;

    public static async Task InsertAsync(CustodesDb db, IReadOnlyList<DeterminationRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var entity = db.Model.FindEntityType(typeof(DeterminationRow))!;
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string[] properties =
        [
            nameof(DeterminationRow.AssessmentId), nameof(DeterminationRow.TargetId), nameof(DeterminationRow.IsObjective), nameof(DeterminationRow.Status),
            nameof(DeterminationRow.Partial), nameof(DeterminationRow.Note), nameof(DeterminationRow.Methods), nameof(DeterminationRow.Evidence),
        ];
        var mappings = properties.Select(p => entity.FindProperty(p)!.GetRelationalTypeMapping()).ToArray();
        using var factory = db.Database.GetDbConnection().CreateCommand();
        var header = $"INSERT INTO \"{store.Name}\" ({string.Join(", ", properties.Select(p => $"\"{entity.FindProperty(p)!.GetColumnName(store)}\""))}) VALUES ";
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder(header);
            var parameters = new List<object>(chunk.Length * properties.Length);
            foreach (var r in chunk)
            {
                sql.Append(parameters.Count == 0 ? "(" : ", (");
                object?[] values = [r.AssessmentId, r.TargetId, r.IsObjective, r.Status, r.Partial, r.Note, r.Methods, r.Evidence];
                for (var c = 0; c < values.Length; c++)
                {
                    var name = $"p{parameters.Count}";
                    sql.Append(c == 0 ? "@" : ", @").Append(name);
                    parameters.Add(mappings[c].CreateParameter(factory, name, values[c], nullable: true));
                }
                sql.Append(')');
            }
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
        }
    }
}
