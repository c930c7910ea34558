using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Custodes.Application.Database;
using Custodes.Application.Transparency;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Custodes.Application.Watch;

/// <summary>A batch as stored: its events' sequence numbers, its leaf in the MSP's log and the signed checkpoint covering it.</summary>
public sealed record StoredBatch(Guid Msp, long Index, long FirstSeq, int Count, long LogSize, string Checkpoint);

/// <summary>One thing found wrong by <see cref="WatchLog.VerifyAsync"/>: where (batch, position in it, event number) and what.</summary>
public sealed record WatchProblem(long? Batch, long? Position, long? Seq, string Problem)
{
    public string Describe() => (Batch, Position) switch
    {
        ({ } b, { } p) => $"batch {b}, position {p} (event {Seq}): {Problem}",
        ({ } b, null) => $"batch {b}: {Problem}",
        _ => Problem,
    };
}

/// <summary>What <see cref="WatchLog.VerifyAsync"/> found: every batch recomputed from the stored events and the tree checked
/// against the MSP's signed checkpoints.</summary>
public sealed record WatchVerification(Guid Msp, string Origin, long Batches, long Events, long CheckpointSize, string? RootHash, IReadOnlyList<WatchProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// The tamper evidence of stored watch events: each MSP has its own RFC 6962 Merkle log (the transparency log's tree and
/// checkpoint code, in tables of its own), one leaf per stored batch. A leaf is the batch descriptor — MSP, batch index,
/// first event, count and the SHA-256 over the SHA-256 of each event's canonical bytes — and each batch ends with a
/// checkpoint signed by the installation's log key under the origin <c>&lt;log origin&gt;/watch/&lt;msp id&gt;</c>.
/// Deleting or editing a stored event changes what its batch recomputes to, which no longer matches the signed tree.
/// </summary>
/// <remarks>One writer per MSP at a time: a batch starts by updating the MSP's <c>watch_msps</c> row (PostgreSQL's row lock,
/// SQLite's write lock) until commit. Events, batches, hashes and checkpoints are only ever inserted.</remarks>
public sealed class WatchLog(Installation installation, LogKeys keys, TimeProvider clock)
{
    /// <summary>Events per batch at most (one transaction, one leaf, one checkpoint).</summary>
    public const int MaxBatch = 50_000;

    private const string EntryType = "custodes.watch-batch/v1";

    public Installation Installation => installation;

    public async Task<string> OriginAsync(Guid msp, CancellationToken cancellationToken = default) =>
        $"{(await keys.GetAsync(cancellationToken)).Origin}/watch/{msp:D}";

    /// <summary>Stores one batch of an MSP's events and the records quarantined with them, in one transaction: events get
    /// the next sequence numbers, the batch becomes the next leaf and a new checkpoint is signed. Null when there were no events.</summary>
    public Task<StoredBatch?> AppendAsync(Guid msp, IReadOnlyList<WatchEvent> events, IReadOnlyList<QuarantineEntry> quarantine, CancellationToken cancellationToken = default) =>
        AppendAsync(msp, events, quarantine, [], cancellationToken);

    /// <summary>Stores one batch as above and, in the same transaction, records how far it got through the inbox requests
    /// its events came from (<see cref="WatchInbox"/>): a crash either keeps both or neither, so no event is stored twice or lost.</summary>
    public async Task<StoredBatch?> AppendAsync(Guid msp, IReadOnlyList<WatchEvent> events, IReadOnlyList<QuarantineEntry> quarantine, IReadOnlyList<InboxProgress> inbox,
        CancellationToken cancellationToken = default) => await AppendAsync(msp, events, quarantine, inbox, null, cancellationToken);

    /// <summary>As above, with the events' rows and hashes already made (<see cref="WatchInbox.Prepare"/>) when given.</summary>
    public async Task<StoredBatch?> AppendAsync(Guid msp, IReadOnlyList<WatchEvent> events, IReadOnlyList<QuarantineEntry> quarantine, IReadOnlyList<InboxProgress> inbox,
        PreparedEvents? prepared, CancellationToken cancellationToken = default)
    {
        if (prepared is not null && prepared.Rows.Length != events.Count) throw new ArgumentException("the prepared rows are not the events'", nameof(prepared));
        if (events.Count > MaxBatch) throw new ArgumentException($"a batch holds at most {MaxBatch} events", nameof(events));
        if (events.Count == 0 && quarantine.Count == 0 && inbox.Count == 0) return null;
        var identity = await keys.GetAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;

        await using var db = installation.OpenDb();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The lock: from here until commit no other writer of this MSP's log gets past this statement.
        var locked = await db.WatchMsps.Where(m => m.OrganizationId == msp).ExecuteUpdateAsync(s => s.SetProperty(m => m.LogSize, m => m.LogSize), cancellationToken);
        if (locked == 0) throw new NotFoundException($"organization {msp} has no watch profile; it is not an MSP organization");
        var state = await db.WatchMsps.AsNoTracking().Where(m => m.OrganizationId == msp).Select(m => new { m.LogSize, m.EventCount }).FirstAsync(cancellationToken);

        foreach (var q in quarantine)
            db.WatchQuarantine.Add(new WatchQuarantineRow
            {
                MspOrganizationId = msp, ReceivedAt = now, File = Clip(q.File, 400), Line = q.Line, Reason = Clip(q.Reason, 2000), Raw = q.Raw,
                RawBase64 = q.RawBase64, Truncated = q.Truncated,
            });
        if (events.Count == 0)
        {
            await WatchInbox.MarkStoredAsync(db, inbox, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        var firstSeq = state.EventCount;
        WatchEventRow[] rows;
        byte[] hashes;
        if (prepared is not null)
        {
            (rows, hashes) = (prepared.Rows, prepared.Hashes);
            for (var i = 0; i < rows.Length; i++) (rows[i].MspOrganizationId, rows[i].Seq) = (msp, firstSeq + i);
        }
        else
        {
            rows = new WatchEventRow[events.Count];
            hashes = new byte[events.Count * 32];
            var scratch = new ArrayBufferWriter<byte>(512);
            for (var i = 0; i < events.Count; i++)
            {
                rows[i] = StoredEvents.ToRow(msp, firstSeq + i, events[i], scratch);
                SHA256.HashData(StoredEvents.Canonical(rows[i], scratch), hashes.AsSpan(i * 32, 32));
            }
        }
        var connection = db.Database.GetDbConnection();
        var tx = transaction.GetDbTransaction();
        if (connection is NpgsqlConnection pg) await CopyAsync(pg, rows, cancellationToken);
        else await InsertAsync(connection, tx, rows, cancellationToken);

        var index = state.LogSize;
        var entry = Entry(msp, index, firstSeq, events.Count, hashes);
        var leaf = MerkleHash.OfLeaf(entry);
        var reader = new SqlHashReader(connection, tx, msp);
        var stored = await MerkleLog.StoredHashesAsync(index, leaf, reader, cancellationToken);
        var firstHash = MerkleLog.StoredHashIndex(0, index);
        for (var i = 0; i < stored.Length; i++)
            db.WatchLogHashes.Add(new WatchLogHashRow { MspOrganizationId = msp, StoredIndex = firstHash + i, Hash = stored[i].ToArray() });
        await db.SaveChangesAsync(cancellationToken);
        var size = index + 1;
        var root = await MerkleLog.TreeHashAsync(size, reader, cancellationToken);
        var origin = $"{identity.Origin}/watch/{msp:D}";
        var note = identity.CheckpointSigner.Sign(origin, size, root);

        db.WatchBatches.Add(new WatchBatchRow { MspOrganizationId = msp, Index = index, FirstSeq = firstSeq, Count = events.Count, EventHashes = hashes, Entry = entry, CreatedAt = now });
        db.WatchCheckpoints.Add(new WatchCheckpointRow { MspOrganizationId = msp, Size = size, RootHash = root.ToArray(), Note = note, CreatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        await db.WatchMsps.Where(m => m.OrganizationId == msp).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.LogSize, size).SetProperty(m => m.EventCount, firstSeq + events.Count), cancellationToken);
        await WatchInbox.MarkStoredAsync(db, inbox, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredBatch(msp, index, firstSeq, events.Count, size, note);
    }

    /// <summary>The leaf data of a batch: a short text naming it and the digest of its events' hashes.</summary>
    public static byte[] Entry(Guid msp, long index, long firstSeq, int count, ReadOnlySpan<byte> eventHashes) => Encoding.UTF8.GetBytes(
        $"{EntryType}\nmsp {msp:D}\nbatch {index.ToString(CultureInfo.InvariantCulture)}\nfirst {firstSeq.ToString(CultureInfo.InvariantCulture)}\n" +
        $"count {count.ToString(CultureInfo.InvariantCulture)}\nevents {Convert.ToHexStringLower(SHA256.HashData(eventHashes))}\n");

    /// <summary>Recomputes every batch of an MSP from its stored events and checks the tree against every signed checkpoint.</summary>
    public async Task<WatchVerification> VerifyAsync(Guid msp, CancellationToken cancellationToken = default)
    {
        var identity = await keys.GetAsync(cancellationToken);
        var origin = $"{identity.Origin}/watch/{msp:D}";
        var problems = new List<WatchProblem>();
        const int MaxProblems = 100;
        void Problem(WatchProblem p)
        {
            if (problems.Count < MaxProblems) problems.Add(p);
        }

        await using var meta = installation.OpenDb();
        var profile = await meta.WatchMsps.AsNoTracking().FirstOrDefaultAsync(m => m.OrganizationId == msp, cancellationToken)
            ?? throw new NotFoundException($"organization {msp} has no watch profile; it is not an MSP organization");
        // The cut: the log as it stood when the profile was read. Appends commit their events, batch, checkpoint and the profile's
        // counts in one transaction, so whatever lies beyond the cut was appended while this ran and is checked next time.
        var (cutBatches, cutEvents) = (profile.LogSize, profile.EventCount);
        var batches = await meta.WatchBatches.AsNoTracking().Where(b => b.MspOrganizationId == msp && b.Index < cutBatches).OrderBy(b => b.Index)
            .Select(b => new { b.Index, b.FirstSeq, b.Count }).ToListAsync(cancellationToken);

        var tree = new MemoryLog();
        var scratch = new ArrayBufferWriter<byte>(512);
        var recomputed = new byte[32];
        long events = 0, expectedSeq = 0;
        await using var eventsDb = installation.OpenDb();
        await using var stream = eventsDb.WatchEvents.AsNoTracking().Where(e => e.MspOrganizationId == msp && e.Seq < cutEvents).OrderBy(e => e.Seq)
            .AsAsyncEnumerable().GetAsyncEnumerator(cancellationToken);
        var pending = await stream.MoveNextAsync() ? stream.Current : null;

        foreach (var batch in batches)
        {
            if (batch.Index != tree.Size) Problem(new WatchProblem(tree.Size, null, null, "this batch is missing (deleted)"));
            if (batch.FirstSeq != expectedSeq) Problem(new WatchProblem(batch.Index, null, null, $"starts at event {batch.FirstSeq}, expected {expectedSeq}"));
            var logged = await meta.WatchBatches.AsNoTracking().Where(b => b.MspOrganizationId == msp && b.Index == batch.Index).Select(b => b.EventHashes).FirstAsync(cancellationToken);
            var actual = new byte[batch.Count * 32];
            for (var p = 0; p < batch.Count; p++)
            {
                var seq = batch.FirstSeq + p;
                while (pending is not null && pending.Seq < seq)
                {
                    Problem(new WatchProblem(null, null, pending.Seq, $"event {pending.Seq} is in no logged batch (inserted)"));
                    pending = await stream.MoveNextAsync() ? stream.Current : null;
                }
                if (pending is null || pending.Seq != seq)
                {
                    Problem(new WatchProblem(batch.Index, p, seq, "the event is missing (deleted)"));
                    continue;
                }
                events++;
                SHA256.HashData(StoredEvents.Canonical(pending, scratch), recomputed);
                recomputed.CopyTo(actual, p * 32);
                if (logged.Length < (p + 1) * 32 || !logged.AsSpan(p * 32, 32).SequenceEqual(recomputed))
                    Problem(new WatchProblem(batch.Index, p, seq, "the stored event differs from the one logged (edited)"));
                pending = await stream.MoveNextAsync() ? stream.Current : null;
            }
            var leaf = MerkleHash.OfLeaf(Entry(msp, batch.Index, batch.FirstSeq, batch.Count, actual));
            tree.AppendLeafHash(leaf);
            if (!MerkleHash.OfLeaf(Entry(msp, batch.Index, batch.FirstSeq, batch.Count, logged)).Equals(leaf) && !problems.Any(x => x.Batch == batch.Index))
                Problem(new WatchProblem(batch.Index, null, null, "the batch's events do not match its logged hashes"));
            expectedSeq = batch.FirstSeq + batch.Count;
        }
        while (pending is not null)
        {
            Problem(new WatchProblem(null, null, pending.Seq, $"event {pending.Seq} is in no logged batch (inserted)"));
            pending = await stream.MoveNextAsync() ? stream.Current : null;
        }

        var checkpoints = await meta.WatchCheckpoints.AsNoTracking().Where(c => c.MspOrganizationId == msp && c.Size <= cutBatches).OrderBy(c => c.Size).ToListAsync(cancellationToken);
        if (profile.LogSize > 0 && checkpoints.Count == 0) Problem(new WatchProblem(null, null, null, "the log's signed checkpoints are missing"));
        var latest = 0L;
        foreach (var row in checkpoints)
        {
            var opening = Checkpoint.Open(row.Note, identity.Verifier);
            if (!opening.IsValid || opening.Checkpoint is not { } checkpoint)
            {
                Problem(new WatchProblem(null, null, null, $"checkpoint of size {row.Size}: {opening.Message}"));
                continue;
            }
            if (checkpoint.Origin != origin || checkpoint.Size != row.Size)
            {
                Problem(new WatchProblem(null, null, null, $"checkpoint of size {row.Size} names log '{checkpoint.Origin}' size {checkpoint.Size}, not this MSP's"));
                continue;
            }
            latest = Math.Max(latest, checkpoint.Size);
            if (checkpoint.Size > tree.Size)
            {
                Problem(new WatchProblem(tree.Size, null, null, $"the signed log has {checkpoint.Size} batches but only {tree.Size} are stored (deleted)"));
                continue;
            }
            if (!tree.TreeHash(checkpoint.Size).Equals(checkpoint.RootHash))
            {
                var first = problems.Count > 0 ? null : await FirstChangedBatchAsync(meta, msp, tree, checkpoint.Size, cancellationToken);
                Problem(new WatchProblem(first, null, null, $"the recomputed batches do not match the signed checkpoint of size {checkpoint.Size}"));
            }
        }
        if (latest != tree.Size && latest < tree.Size)
            Problem(new WatchProblem(latest, null, null, $"{tree.Size - latest} batch(es) are not covered by a signed checkpoint (inserted)"));
        if (profile.LogSize != tree.Size && latest == tree.Size)
            Problem(new WatchProblem(null, null, null, $"the log says {profile.LogSize} batches, {tree.Size} are stored"));
        return new WatchVerification(msp, origin, tree.Size, events, latest, tree.Size > 0 ? tree.TreeHash().ToBase64() : null, problems);
    }

    // When the events recompute to their logged hashes but the tree does not: the first leaf that differs from the stored one.
    private static async Task<long?> FirstChangedBatchAsync(CustodesDb db, Guid msp, MemoryLog tree, long size, CancellationToken cancellationToken)
    {
        var indexes = Enumerable.Range(0, (int)size).Select(i => MerkleLog.StoredHashIndex(0, i)).ToArray();
        var stored = await db.WatchLogHashes.AsNoTracking().Where(h => h.MspOrganizationId == msp && indexes.Contains(h.StoredIndex))
            .ToDictionaryAsync(h => h.StoredIndex, h => h.Hash, cancellationToken);
        for (var i = 0; i < size; i++)
            if (!stored.TryGetValue(indexes[i], out var hash) || !tree[indexes[i]].Bytes.SequenceEqual(hash)) return i;
        return null;
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];

    private static async Task InsertAsync(DbConnection connection, DbTransaction tx, WatchEventRow[] rows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO watch_events (msp_organization_id, seq, time_ticks, source, msp, tenant, actor, actor_ip, action, target, detail) " +
            "VALUES (@o, @s, @t, @src, @m, @ten, @a, @ip, @act, @tg, @d)";
        DbParameter P(string name)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            command.Parameters.Add(p);
            return p;
        }
        var (o, s, t, src, m, ten, a, ip, act, tg, d) = (P("@o"), P("@s"), P("@t"), P("@src"), P("@m"), P("@ten"), P("@a"), P("@ip"), P("@act"), P("@tg"), P("@d"));
        // EF's SQLite mapping stores a Guid as upper-case text; raw inserts must match it to be found again.
        o.Value = connection is SqliteConnection ? rows[0].MspOrganizationId.ToString("D").ToUpperInvariant() : rows[0].MspOrganizationId;
        await command.PrepareAsync(cancellationToken);
        foreach (var r in rows)
        {
            s.Value = r.Seq;
            t.Value = r.TimeTicks;
            src.Value = r.Source;
            m.Value = r.Msp;
            ten.Value = (object?)r.Tenant ?? DBNull.Value;
            a.Value = (object?)r.Actor ?? DBNull.Value;
            ip.Value = (object?)r.ActorIp ?? DBNull.Value;
            act.Value = r.Action;
            tg.Value = (object?)r.Target ?? DBNull.Value;
            d.Value = r.Detail;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // PostgreSQL's binary COPY: one round trip for the whole batch.
    private static async Task CopyAsync(NpgsqlConnection connection, WatchEventRow[] rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY watch_events (msp_organization_id, seq, time_ticks, source, msp, tenant, actor, actor_ip, action, target, detail) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var r in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(r.MspOrganizationId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(r.Seq, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(r.TimeTicks, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(r.Source, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(r.Msp, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, r.Tenant, cancellationToken);
            await WriteNullableAsync(importer, r.Actor, cancellationToken);
            await WriteNullableAsync(importer, r.ActorIp, cancellationToken);
            await importer.WriteAsync(r.Action, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, r.Target, cancellationToken);
            await importer.WriteAsync(r.Detail, NpgsqlDbType.Text, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}
