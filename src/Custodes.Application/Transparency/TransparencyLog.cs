using System.Data.Common;
using System.Globalization;
using System.Text;
using Custodes.Application.Database;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Custodes.Application.Transparency;

/// <summary>What an integrated batch produced: where its entries went and the checkpoint that covers them.</summary>
public sealed record LogAppendResult(long FirstIndex, int Count, long Size, MerkleHash RootHash, string SignedCheckpoint);

/// <summary>A batch being integrated, handed to the caller inside the log's transaction so its own rows commit with the entries.</summary>
public sealed class LogBatch
{
    internal LogBatch(CustodesDb db, LogAppendResult result, IHashReader hashes)
    {
        Db = db;
        Result = result;
        Hashes = hashes;
    }

    /// <summary>The unit of work of the log's transaction: add rows and save them (with <c>AuditTrail.SaveAsync</c>); the log commits.</summary>
    internal CustodesDb Db { get; }
    public LogAppendResult Result { get; }
    /// <summary>The stored hashes as they are inside the transaction (including this batch's).</summary>
    public IHashReader Hashes { get; }
}

/// <summary>A signed checkpoint of the log as stored: the tree size, its root hash and the signed note exactly as served at <c>/log/checkpoint</c>.</summary>
public sealed record StoredCheckpoint(long Size, byte[] RootHash, string Note, DateTime CreatedAt);

/// <summary>
/// The installation's append-only transparency log (RFC 6962 / C2SP tlog-tiles) in the database: entries, stored hashes in
/// Go tlog order, and one signed checkpoint per integrated batch.
/// </summary>
/// <remarks>
/// One writer at a time in every process: a batch starts by updating the one-row <c>log_state</c>, which takes PostgreSQL's row
/// lock or SQLite's write lock until commit. Primary keys on entry index, stored-hash index and checkpoint size make a second
/// history impossible to store even if that lock were bypassed. Nothing here updates or deletes an entry, hash or checkpoint.
/// </remarks>
public sealed class TransparencyLog(Installation installation, LogKeys keys, TimeProvider clock)
{
    /// <summary>Entries per batch at most (one transaction, one checkpoint).</summary>
    public const int MaxBatch = 10_000;

    public Installation Installation => installation;

    public LogKeys Keys => keys;

    /// <summary>Reads stored hashes from the database (each call one query).</summary>
    public IHashReader Hashes => new DbHashReader(installation);

    public Task<LogAppendResult> AppendAsync(ReadOnlyMemory<byte> entry, Func<LogBatch, CancellationToken, Task>? inTransaction = null, CancellationToken cancellationToken = default) =>
        AppendAsync([entry], inTransaction, cancellationToken);

    /// <summary>Appends entries as one batch: sequences them, stores their hashes, signs one checkpoint, runs <paramref name="inTransaction"/>, commits.</summary>
    public async Task<LogAppendResult> AppendAsync(IReadOnlyList<ReadOnlyMemory<byte>> entries, Func<LogBatch, CancellationToken, Task>? inTransaction = null, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0) throw new ArgumentException("a batch needs at least one entry", nameof(entries));
        if (entries.Count > MaxBatch) throw new ArgumentException($"a batch holds at most {MaxBatch} entries", nameof(entries));
        for (var i = 0; i < entries.Count; i++)
            if (entries[i].Length is 0 or > EntryBundle.MaxEntrySize)
                throw new BadInputException($"a log entry is 1 to {EntryBundle.MaxEntrySize} bytes, not {entries[i].Length}", path: $"entries[{i}]");
        var identity = await keys.GetAsync(cancellationToken);

        await using var db = installation.OpenDb();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var tx = transaction.GetDbTransaction();

        // The lock: from here until commit no other writer, in any process, gets past this statement.
        long size;
        string? origin, verifierKey;
        await using (var command = Command(connection, tx, "UPDATE log_state SET size = size WHERE id = 1 RETURNING size, origin, verifier_key"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) throw new EnvironmentFailureException("the log's state row is missing: the database was not migrated by this version");
            size = reader.GetInt64(0);
            origin = reader.IsDBNull(1) ? null : reader.GetString(1);
            verifierKey = reader.IsDBNull(2) ? null : reader.GetString(2);
        }
        if (origin is not null && origin != identity.Origin)
            throw new EnvironmentFailureException($"this log's origin is '{origin}', but this node is configured as '{identity.Origin}' ({LogOptions.Section}:Origin): a log never changes its name");
        if (verifierKey is not null && verifierKey != identity.Verifier.KeyString)
            throw new EnvironmentFailureException($"this log signs with {verifierKey}, but {keys.KeyPath} holds another key: every node must use the log's one key");

        // The right edge of the tree (its complete subtrees, largest first) is all appending needs.
        var frontierIndexes = MerkleLog.TreeHashIndexes(size);
        var frontier = new List<MerkleHash>(await new SqlHashReader(connection, tx).ReadHashesAsync(frontierIndexes, cancellationToken));
        var hashes = new List<MerkleHash>(entries.Count * 2 + 64);
        for (var i = 0; i < entries.Count; i++)
        {
            var n = size + i;
            var hash = MerkleHash.OfLeaf(entries[i].Span);
            hashes.Add(hash);
            for (var bits = n; (bits & 1) == 1; bits >>= 1)
            {
                hash = MerkleHash.OfNode(frontier[^1], hash);
                frontier.RemoveAt(frontier.Count - 1);
                hashes.Add(hash);
            }
            frontier.Add(hash);
        }
        var newSize = size + entries.Count;
        var root = frontier[^1];
        for (var i = frontier.Count - 2; i >= 0; i--) root = MerkleHash.OfNode(frontier[i], root);
        var signed = identity.CheckpointSigner.Sign(identity.Origin, newSize, root);

        var firstHashIndex = MerkleLog.StoredHashIndex(0, size);
        if (connection is NpgsqlConnection pg) await CopyAsync(pg, size, entries, firstHashIndex, hashes, cancellationToken);
        else await InsertAsync(connection, tx, size, entries, firstHashIndex, hashes, cancellationToken);

        await using (var command = Command(connection, tx, "INSERT INTO log_checkpoints (size, root_hash, note, created_at) VALUES (@size, @root, @note, @at)"))
        {
            Parameter(command, "@size", newSize);
            Parameter(command, "@root", root.ToArray());
            Parameter(command, "@note", signed);
            Parameter(command, "@at", clock.GetUtcNow().UtcDateTime);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = Command(connection, tx, "UPDATE log_state SET size = @size, origin = @origin, verifier_key = @key WHERE id = 1"))
        {
            Parameter(command, "@size", newSize);
            Parameter(command, "@origin", identity.Origin);
            Parameter(command, "@key", identity.Verifier.KeyString);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var result = new LogAppendResult(size, entries.Count, newSize, root, signed);
        if (inTransaction is not null) await inTransaction(new LogBatch(db, result, new SqlHashReader(connection, tx)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction tx, long firstIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries, long firstHashIndex, List<MerkleHash> hashes, CancellationToken cancellationToken)
    {
        await using (var command = Command(connection, tx, "INSERT INTO log_entries (idx, data) VALUES (@i, @d)"))
        {
            var index = Parameter(command, "@i", 0L);
            var data = Parameter(command, "@d", Array.Empty<byte>());
            await command.PrepareAsync(cancellationToken);
            for (var i = 0; i < entries.Count; i++)
            {
                index.Value = firstIndex + i;
                data.Value = entries[i].ToArray();
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await using (var command = Command(connection, tx, "INSERT INTO log_hashes (stored_index, hash) VALUES (@i, @h)"))
        {
            var index = Parameter(command, "@i", 0L);
            var hash = Parameter(command, "@h", Array.Empty<byte>());
            await command.PrepareAsync(cancellationToken);
            for (var i = 0; i < hashes.Count; i++)
            {
                index.Value = firstHashIndex + i;
                hash.Value = hashes[i].ToArray();
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    // PostgreSQL's binary COPY: one round trip per table, whatever the batch size.
    private static async Task CopyAsync(NpgsqlConnection connection, long firstIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries, long firstHashIndex, List<MerkleHash> hashes, CancellationToken cancellationToken)
    {
        await using (var importer = await connection.BeginBinaryImportAsync("COPY log_entries (idx, data) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < entries.Count; i++)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(firstIndex + i, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(entries[i].ToArray(), NpgsqlDbType.Bytea, cancellationToken);
            }
            await importer.CompleteAsync(cancellationToken);
        }
        await using (var importer = await connection.BeginBinaryImportAsync("COPY log_hashes (stored_index, hash) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < hashes.Count; i++)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(firstHashIndex + i, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(hashes[i].ToArray(), NpgsqlDbType.Bytea, cancellationToken);
            }
            await importer.CompleteAsync(cancellationToken);
        }
    }

    /// <summary>The latest signed checkpoint, or null before the first entry.</summary>
    public async Task<StoredCheckpoint?> LatestCheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.LogCheckpoints.AsNoTracking().OrderByDescending(c => c.Size)
            .Select(c => new StoredCheckpoint(c.Size, c.RootHash, c.Note, c.CreatedAt)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The signed checkpoint of exactly this size, or null (only batch ends have one).</summary>
    public async Task<StoredCheckpoint?> CheckpointAsync(long size, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.LogCheckpoints.AsNoTracking().Where(c => c.Size == size)
            .Select(c => new StoredCheckpoint(c.Size, c.RootHash, c.Note, c.CreatedAt)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Entries integrated so far.</summary>
    public async Task<long> SizeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.LogState.AsNoTracking().Where(s => s.Id == 1).Select(s => s.Size).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<byte[]?> ReadEntryAsync(long index, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.LogEntries.AsNoTracking().Where(e => e.Index == index).Select(e => e.Data).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Entries <c>[from, to)</c> in index order.</summary>
    public async Task<IReadOnlyList<byte[]>> ReadEntriesAsync(long from, long to, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.LogEntries.AsNoTracking().Where(e => e.Index >= from && e.Index < to).OrderBy(e => e.Index).Select(e => e.Data).ToListAsync(cancellationToken);
    }

    /// <summary>A tile's bytes (hashes, or an entry bundle), or null when the tree of <paramref name="size"/> entries does not hold all of it.</summary>
    public async Task<byte[]?> ReadTileAsync(Tile tile, long size, CancellationToken cancellationToken = default)
    {
        if (!tile.IsWithin(size)) return null;
        if (!tile.IsEntries) return await tile.ReadDataAsync(Hashes, cancellationToken);
        var start = tile.Index * Tile.FullWidth;
        var entries = await ReadEntriesAsync(start, start + tile.Width, cancellationToken);
        if (entries.Count != tile.Width) throw new InvalidOperationException($"the log holds {entries.Count} of the {tile.Width} entries of {tile}");
        return EntryBundle.Encode([.. entries.Select(e => (ReadOnlyMemory<byte>)e)]);
    }

    public async Task<MerkleHash[]> ProveInclusionAsync(long size, long index, CancellationToken cancellationToken = default)
    {
        if (index < 0 || index >= size) throw new BadInputException($"entry {index} is not in a log of {size} entries");
        await RequireSizeAsync(size, cancellationToken);
        return await MerkleLog.ProveInclusionAsync(size, index, Hashes, cancellationToken);
    }

    public async Task<MerkleHash[]> ProveConsistencyAsync(long size, long oldSize, CancellationToken cancellationToken = default)
    {
        if (oldSize < 1 || oldSize > size) throw new BadInputException($"cannot prove a log of {size} entries extends one of {oldSize}: the old size must be 1 to {size}");
        await RequireSizeAsync(size, cancellationToken);
        return await MerkleLog.ProveConsistencyAsync(size, oldSize, Hashes, cancellationToken);
    }

    public async Task<MerkleHash> TreeHashAsync(long size, CancellationToken cancellationToken = default)
    {
        await RequireSizeAsync(size, cancellationToken);
        return await MerkleLog.TreeHashAsync(size, Hashes, cancellationToken);
    }

    private async Task RequireSizeAsync(long size, CancellationToken cancellationToken)
    {
        var current = await SizeAsync(cancellationToken);
        if (size > current) throw new BadInputException($"the log has {current} entries, not {size}");
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        return command;
    }

    internal static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}

/// <summary>Reads stored hashes with one query per call, on a given connection (and transaction): the installation's log, or
/// with <paramref name="mspLog"/> that MSP's watch log (<c>watch_log_hashes</c>).</summary>
internal sealed class SqlHashReader(DbConnection connection, DbTransaction? tx, Guid? mspLog = null) : IHashReader
{
    public async ValueTask<MerkleHash[]> ReadHashesAsync(long[] indexes, CancellationToken cancellationToken = default)
    {
        if (indexes.Length == 0) return [];
        var found = new Dictionary<long, MerkleHash>(indexes.Length);
        foreach (var chunk in indexes.Distinct().Chunk(500))
        {
            // Integers and a Guid only, formatted invariantly: nothing here can inject.
            var sql = new StringBuilder(mspLog is { } msp
                ? $"SELECT stored_index, hash FROM watch_log_hashes WHERE msp_organization_id = '{msp.ToString("D").ToUpperInvariant()}' AND stored_index IN ("
                : "SELECT stored_index, hash FROM log_hashes WHERE stored_index IN (");
            for (var i = 0; i < chunk.Length; i++) sql.Append(i == 0 ? "" : ",").Append(chunk[i].ToString(CultureInfo.InvariantCulture));
            sql.Append(')');
            await using var command = TransparencyLog.Command(connection, tx, sql.ToString());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) found[reader.GetInt64(0)] = new MerkleHash((byte[])reader.GetValue(1));
        }
        var hashes = new MerkleHash[indexes.Length];
        for (var i = 0; i < indexes.Length; i++)
            hashes[i] = found.TryGetValue(indexes[i], out var hash) ? hash : throw new InvalidOperationException($"the log has no stored hash {indexes[i]}");
        return hashes;
    }
}

/// <summary>Reads stored hashes from the installation's database, opening a connection per call.</summary>
public sealed class DbHashReader(Installation installation) : IHashReader
{
    public async ValueTask<MerkleHash[]> ReadHashesAsync(long[] indexes, CancellationToken cancellationToken = default)
    {
        if (indexes.Length == 0) return [];
        await using var db = installation.OpenDb();
        await db.Database.OpenConnectionAsync(cancellationToken);
        return await new SqlHashReader(db.Database.GetDbConnection(), null).ReadHashesAsync(indexes, cancellationToken);
    }
}
