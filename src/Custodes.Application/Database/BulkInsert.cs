using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Custodes.Application.Database;

/// <summary>Writes many rows of one table in bulk instead of through EF's change tracker.</summary>
/// <remarks>
/// EF Core's SQLite provider sends one freshly built INSERT per row (321 commands for a full assessment, tens of thousands for the
/// notices of one revocation). SQLite runs in-process, so one single-row statement is prepared once and re-executed per row (binding a
/// statement costs far less than parsing one, and SQLite looks parameter names up linearly, which makes wide multi-row statements
/// slow). PostgreSQL pays a network round trip per statement, so it gets multi-row INSERTs instead. Table and column names come
/// from the EF model and values are bound through EF's type mappings, so rows read back exactly as EF writes them. Runs inside the
/// caller's transaction; columns not listed take their database default (a generated key).
/// </remarks>
internal static class BulkInsert
{
    // 64 rows per PostgreSQL statement: with at most a few dozen columns, far under its 65,535 parameter limit, and large enough to
    // amortize the round trip.
    private const int PostgresRowsPerStatement = 64;

    /// <summary>Inserts <paramref name="rows"/> into <typeparamref name="T"/>'s table, writing <paramref name="properties"/> (its values, in that order, from <paramref name="values"/>).</summary>
    public static async Task InsertAsync<T>(CustodesDb db, IReadOnlyList<T> rows, string[] properties, Func<T, object?[]> values, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var entity = db.Model.FindEntityType(typeof(T))!;
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var mappings = properties.Select(p => entity.FindProperty(p)!.GetRelationalTypeMapping()).ToArray();
        var columns = string.Join(", ", properties.Select(p => $"\"{entity.FindProperty(p)!.GetColumnName(store)}\""));
        string Sql(int rowCount) => $"INSERT INTO \"{store.Name}\" ({columns}) VALUES " + string.Join(", ", Enumerable.Range(0, rowCount)
            .Select(r => "(" + string.Join(", ", Enumerable.Range(0, properties.Length).Select(c => $"@p{r * properties.Length + c}")) + ")"));

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
                for (var i = 0; i < chunk.Length * properties.Length; i++)
                    command.Parameters.Add(mappings[i % properties.Length].CreateParameter(command, $"p{i}", null, nullable: true));
            }
            var index = 0;
            foreach (var r in chunk)
            {
                var row = values(r);
                // The mapping converts the value to what the column stores (e.g. an enum to its text), as EF would.
                for (var c = 0; c < row.Length; c++, index++)
                    command.Parameters[index].Value = mappings[c].CreateParameter(command, "value", row[c], nullable: true).Value;
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
