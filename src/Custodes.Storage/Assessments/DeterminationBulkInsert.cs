using Custodes.Storage.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Custodes.Storage.Assessments;

/// <summary>Writes an assessment's determinations in bulk instead of through EF's change tracker.</summary>
/// <remarks>
/// EF Core's SQLite provider sends one freshly built INSERT per row (321 commands for a full assessment); this keeps an import within
/// its latency budget. SQLite runs in-process, so one single-row statement is prepared once and re-executed per row (binding a
/// statement costs far less than parsing one, and SQLite looks parameter names up linearly, which makes wide multi-row statements
/// slow). PostgreSQL pays a network round trip per statement, so it gets multi-row INSERTs instead. Table and column names come
/// from the EF model and values are bound through EF's type mappings, so rows read back exactly as EF writes them. Runs inside the
/// caller's transaction.
/// </remarks>
internal static class DeterminationBulkInsert
{
    // 64 rows × 8 columns per PostgreSQL statement: far under its 65,535 parameter limit, large enough to amortize the round trip.
    private const int PostgresRowsPerStatement = 64;

    private static readonly string[] Properties =
    [
        nameof(DeterminationRow.AssessmentId), nameof(DeterminationRow.TargetId), nameof(DeterminationRow.IsObjective), nameof(DeterminationRow.Status),
        nameof(DeterminationRow.Partial), nameof(DeterminationRow.Note), nameof(DeterminationRow.Methods), nameof(DeterminationRow.Evidence),
    ];

    private static object?[] Values(DeterminationRow r) => [r.AssessmentId, r.TargetId, r.IsObjective, r.Status, r.Partial, r.Note, r.Methods, r.Evidence];

    public static async Task InsertAsync(CustodesDb db, IReadOnlyList<DeterminationRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var entity = db.Model.FindEntityType(typeof(DeterminationRow))!;
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var mappings = Properties.Select(p => entity.FindProperty(p)!.GetRelationalTypeMapping()).ToArray();
        var columns = string.Join(", ", Properties.Select(p => $"\"{entity.FindProperty(p)!.GetColumnName(store)}\""));
        string Sql(int rowCount) => $"INSERT INTO \"{store.Name}\" ({columns}) VALUES " + string.Join(", ", Enumerable.Range(0, rowCount)
            .Select(r => "(" + string.Join(", ", Enumerable.Range(0, Properties.Length).Select(c => $"@p{r * Properties.Length + c}")) + ")"));

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var rowsPerStatement = db is SqliteCustodesDb ? 1 : PostgresRowsPerStatement;
        var textRows = 0;
        foreach (var chunk in rows.Chunk(rowsPerStatement))
        {
            // The text changes only for a shorter last chunk. Otherwise the parameters stay the same objects and only their values
            // change, so the provider keeps its prepared statement (Npgsql's auto-prepared statements are bound to the parameters).
            if (chunk.Length != textRows)
            {
                (command.CommandText, textRows) = (Sql(chunk.Length), chunk.Length);
                command.Parameters.Clear();
                for (var i = 0; i < chunk.Length * Properties.Length; i++)
                    command.Parameters.Add(mappings[i % Properties.Length].CreateParameter(command, $"p{i}", null, nullable: true));
            }
            var index = 0;
            foreach (var r in chunk)
            {
                var values = Values(r);
                // The mapping converts the value to what the column stores (e.g. an enum to its text), as EF would.
                for (var c = 0; c < values.Length; c++, index++)
                    command.Parameters[index].Value = mappings[c].CreateParameter(command, "value", values[c], nullable: true).Value;
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
