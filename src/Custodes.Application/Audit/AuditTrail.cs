using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Custodes.Application.Database;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Custodes.Application.Audit;

/// <summary>What changed, as recorded in the audit trail.</summary>
public sealed record AuditEvent(Guid? OrganizationId, string Actor, string Action, string EntityType, string EntityId, object? Before = null, object? After = null);

/// <summary>The append-only, hash-chained audit trail: each entry's hash covers its content and the previous entry's hash.</summary>
/// <remarks>
/// Entries are chained when the unit of work is saved (<see cref="SaveAsync"/>), in the same transaction as the change they describe.
/// PreviousHash is unique, so two concurrent writers cannot both extend the same entry: the loser re-chains on the new tip and retries.
/// </remarks>
public sealed class AuditTrail(TimeProvider clock)
{
    private static readonly byte[] Genesis = new byte[32];
    private static readonly ConditionalWeakTable<CustodesDb, List<AuditRow>> Pending = new();
    private const int MaxAttempts = 8;

    /// <summary>Records an event in the unit of work; it is written by <see cref="SaveAsync"/> with the change it describes.</summary>
    internal void Record(CustodesDb db, AuditEvent e)
    {
        var row = Row(e);
        Pending.GetOrCreateValue(db).Add(row);
        db.Audit.Add(row);
    }

    /// <summary>Appends many events at once, in the caller's transaction: one bulk write instead of one tracked entry per event.</summary>
    /// <remarks>
    /// For a change that concerns thousands of organizations at once (the notices of one revocation). Chained onto the trail like
    /// <see cref="SaveAsync"/>; when another writer extends the chain first, the write is undone to a savepoint and chained again.
    /// </remarks>
    internal async Task AppendAsync(CustodesDb db, IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0) return;
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("audit events are appended in the transaction of the change they describe");
        var rows = events.Select(Row).ToArray();
        for (var attempt = 1; ; attempt++)
        {
            var previous = await db.Audit.AsNoTracking().OrderByDescending(a => a.Sequence).Select(a => a.Hash).FirstOrDefaultAsync(cancellationToken) ?? Genesis;
            foreach (var row in rows)
            {
                row.PreviousHash = previous;
                row.Hash = HashOf(row);
                previous = row.Hash;
            }
            await transaction.CreateSavepointAsync(nameof(AppendAsync), cancellationToken);
            try
            {
                await BulkInsert.InsertAsync(db, rows, Columns, r => [r.OrganizationId, r.At, r.Actor, r.Action, r.EntityType, r.EntityId, r.Before, r.After, r.PreviousHash, r.Hash],
                    cancellationToken);
                return;
            }
            catch (DbException e) when (attempt < MaxAttempts && IsUniqueViolation(e))
            {
                await transaction.RollbackToSavepointAsync(nameof(AppendAsync), cancellationToken);
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
        }
    }

    private static readonly string[] Columns =
    [
        nameof(AuditRow.OrganizationId), nameof(AuditRow.At), nameof(AuditRow.Actor), nameof(AuditRow.Action), nameof(AuditRow.EntityType),
        nameof(AuditRow.EntityId), nameof(AuditRow.Before), nameof(AuditRow.After), nameof(AuditRow.PreviousHash), nameof(AuditRow.Hash),
    ];

    private AuditRow Row(AuditEvent e) => new()
    {
        OrganizationId = e.OrganizationId,
        At = Truncate(clock.GetUtcNow().UtcDateTime),
        Actor = e.Actor,
        Action = e.Action,
        EntityType = e.EntityType,
        EntityId = e.EntityId,
        Before = e.Before is null ? null : JsonSerializer.Serialize(e.Before, Common.Json.Options),
        After = e.After is null ? null : JsonSerializer.Serialize(e.After, Common.Json.Options),
        PreviousHash = Genesis,
        Hash = Genesis,
    };

    /// <summary>Saves the unit of work with its audit entries chained onto the trail; the one way to save an audited change.</summary>
    internal static async Task SaveAsync(CustodesDb db, CancellationToken cancellationToken = default)
    {
        var pending = Pending.TryGetValue(db, out var list) ? list : [];
        for (var attempt = 1; ; attempt++)
        {
            if (pending.Count > 0)
            {
                var previous = await db.Audit.AsNoTracking().OrderByDescending(a => a.Sequence).Select(a => a.Hash).FirstOrDefaultAsync(cancellationToken) ?? Genesis;
                foreach (var row in pending)
                {
                    row.PreviousHash = previous;
                    row.Hash = HashOf(row);
                    previous = row.Hash;
                }
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                pending.Clear();
                return;
            }
            catch (DbUpdateException e) when (pending.Count > 0 && attempt < MaxAttempts && IsUniqueViolation(e.InnerException))
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>Recomputes the chain from the first entry; reports the first broken entry.</summary>
    internal static async Task<AuditVerification> VerifyAsync(CustodesDb db, CancellationToken cancellationToken = default)
    {
        var expectedPrevious = Genesis;
        long count = 0;
        await foreach (var row in db.Audit.AsNoTracking().OrderBy(a => a.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (!row.PreviousHash.AsSpan().SequenceEqual(expectedPrevious))
                return new AuditVerification(false, count, row.Sequence, $"entry {row.Sequence} does not follow the entry before it (an entry was removed, inserted or reordered)");
            if (!HashOf(row).AsSpan().SequenceEqual(row.Hash))
                return new AuditVerification(false, count, row.Sequence, $"entry {row.Sequence} ({row.Action} {row.EntityType} {row.EntityId}) was changed after it was written");
            expectedPrevious = row.Hash;
        }
        return new AuditVerification(true, count, null, null);
    }

    internal static byte[] HashOf(AuditRow row)
    {
        var content = string.Join('\n',
            row.OrganizationId?.ToString() ?? "",
            row.At.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
            row.Actor, row.Action, row.EntityType, row.EntityId,
            row.Before ?? "", row.After ?? "");
        var bytes = Encoding.UTF8.GetBytes(content);
        var buffer = new byte[32 + bytes.Length];
        row.PreviousHash.CopyTo(buffer, 0);
        bytes.CopyTo(buffer, 32);
        return SHA256.HashData(buffer);
    }

    private static bool IsUniqueViolation(Exception? e) => e switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        _ => false,
    };

    // Both databases keep microseconds; truncating first makes the hash reproducible after a round trip.
    private static DateTime Truncate(DateTime utc) => new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
}

/// <summary>The outcome of checking the audit chain.</summary>
public sealed record AuditVerification(bool Valid, long Entries, long? BrokenAt, string? Problem);
