using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Custodes.Application.Database;
using Custodes.Common;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Watch;

/// <summary>A request to make durable: an MSP's accepted events (already encoded, <see cref="WatchInbox.Encode"/>) and the
/// records quarantined reading them, with the client's idempotency key, the fingerprint of what it sent and the answer to
/// replay for that key.</summary>
public sealed record InboxRequest(Guid Msp, int EventCount, byte[] Events, IReadOnlyList<QuarantineEntry> Quarantine,
    string? IdempotencyKey = null, byte[]? Fingerprint = null, string? Answer = null);

/// <summary>Events made ready for the MSP's log ahead of time (<see cref="WatchInbox.Prepare"/>): their rows (MSP and number
/// set when stored) and the SHA-256 of each one's canonical bytes, 32 bytes each.</summary>
public sealed record PreparedEvents
{
    internal PreparedEvents(WatchEventRow[] rows, byte[] hashes) => (Rows, Hashes) = (rows, hashes);

    internal WatchEventRow[] Rows { get; }
    public byte[] Hashes { get; }
}

/// <summary>How <see cref="WatchInbox.WriteAsync"/> took a request.</summary>
public enum InboxOutcome
{
    /// <summary>Written: durable, to be stored in the MSP's log.</summary>
    Accepted,
    /// <summary>Its idempotency key was already used for the same request: nothing written, the first answer is replayed.</summary>
    Replayed,
    /// <summary>Its idempotency key was already used for a different request: refused.</summary>
    KeyReused,
}

/// <summary>What became of one request: the inbox row that holds it (accepted) or the answer given the first time (replayed).</summary>
public sealed record InboxReceipt(InboxOutcome Outcome, long Id, string? Answer);

/// <summary>An accepted request not yet (wholly) stored in its MSP's log, as read back after a restart: the events still to
/// store (those after <see cref="StoredEvents"/>) and its quarantined records when none of it was stored yet.</summary>
public sealed record PendingRequest(long Id, Guid Msp, int StoredEvents, IReadOnlyList<WatchEvent> Events, IReadOnlyList<QuarantineEntry> Quarantine);

/// <summary>How far one batch gets through an inbox row: from <paramref name="From"/> of its events stored to
/// <paramref name="To"/> once the batch commits; <paramref name="Complete"/> when that is all of them.</summary>
public readonly record struct InboxProgress(long Id, int From, int To, bool Complete);

/// <summary>
/// The write-ahead table of watch ingestion (<c>watch_inbox</c>): a receiver's request is committed here — fsynced on SQLite,
/// committed on PostgreSQL — before it is acknowledged, and leaves the table in the same transaction that stores its last
/// events in the MSP's log (<see cref="WatchLog.AppendAsync(Guid, IReadOnlyList{WatchEvent}, IReadOnlyList{QuarantineEntry}, IReadOnlyList{InboxProgress}, CancellationToken)"/>),
/// so after a crash every acknowledged event is stored exactly once. A request sent with an idempotency key keeps its row —
/// its events dropped once stored — with its fingerprint and answer, so the same key gets the same answer until the row
/// expires (<see cref="PruneAsync"/>).
/// </summary>
/// <remarks>Many requests are written in one transaction (<see cref="WriteAsync"/>): the group commit that keeps one fsync per
/// request from bounding throughput when clients send concurrently.</remarks>
public sealed class WatchInbox(Installation installation, TimeProvider clock)
{
    /// <summary>Longest idempotency key.</summary>
    public const int MaxKeyLength = 255;

    // SQLite has one writer at a time, and its busy handler polls: a writer that keeps the log busy (the batches) would
    // retake the lock before a waiting inbox commit woke up, and acknowledgements would starve. Taking turns in the process
    // instead hands the lock over at once, in arrival order. PostgreSQL locks rows: no turns.
    private readonly SemaphoreSlim? _turn = installation.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    /// <summary>Waits for this process's turn to write to the database (SQLite; at once on PostgreSQL); dispose to pass it on.
    /// The ingestion service stores its batches within a turn, so they alternate with the inbox's commits.</summary>
    public async Task<IDisposable> WriteTurnAsync(CancellationToken cancellationToken = default)
    {
        if (_turn is null) return Turn.None;
        await _turn.WaitAsync(cancellationToken);
        return new Turn(_turn);
    }

    private sealed class Turn(SemaphoreSlim? gate) : IDisposable
    {
        public static readonly Turn None = new(null);
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }

    /// <summary>The events as written in the inbox: their canonical <c>custodes.event/v1</c> lines (the bytes their batch
    /// will hash), one a line, Brotli-compressed, so what is read back after a crash is exactly what was accepted.</summary>
    public static byte[] Encode(IReadOnlyList<WatchEvent> events) => Prepare(events).Payload;

    /// <summary>Everything the request's thread can do ahead of storage: the inbox payload (<see cref="Encode"/>) and the
    /// rows and hashes the MSP's log will store, so the one writer of the log only inserts them.</summary>
    /// <remarks>Compressed because the payload is written twice (in the inbox's transaction and freed in the batch's):
    /// the fastest Brotli level shrinks these repetitive lines several times for a fraction of what the database
    /// spends writing and syncing the bytes it saves.</remarks>
    public static (byte[] Payload, PreparedEvents Prepared) Prepare(IReadOnlyList<WatchEvent> events)
    {
        var rows = new WatchEventRow[events.Count];
        var hashes = new byte[events.Count * 32];
        var scratch = new ArrayBufferWriter<byte>(512);
        using var output = new MemoryStream(Math.Max(256, events.Count * 64));
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (var i = 0; i < events.Count; i++)
            {
                rows[i] = StoredEvents.ToRow(Guid.Empty, 0, events[i], scratch);
                var line = StoredEvents.Canonical(rows[i], scratch);
                SHA256.HashData(line, hashes.AsSpan(i * 32, 32));
                brotli.Write(line);
                brotli.WriteByte((byte)'\n');
            }
        }
        return (output.ToArray(), new PreparedEvents(rows, hashes));
    }

    /// <summary>The events of <see cref="Encode"/>'s bytes.</summary>
    public static IReadOnlyList<WatchEvent> Decode(byte[] payload)
    {
        using var input = new BrotliStream(new MemoryStream(payload, writable: false), CompressionMode.Decompress);
        using var text = new MemoryStream();
        input.CopyTo(text);
        ReadOnlySpan<byte> events = text.GetBuffer().AsSpan(0, (int)text.Length);
        var list = new List<WatchEvent>();
        while (!events.IsEmpty)
        {
            var end = events.IndexOf((byte)'\n');
            var line = end < 0 ? events : events[..end];
            if (!line.IsEmpty) list.Add(EventJson.Parse(line));
            events = end < 0 ? [] : events[(end + 1)..];
        }
        return list;
    }

    /// <summary>What identifies a request for its idempotency key: SHA-256 over the parameters that change how the body is
    /// read (format, tenant, time zone) and the body.</summary>
    public static byte[] Fingerprint(string? format, string? tenant, string? timeZone, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in new[] { format ?? "", tenant ?? "", timeZone ?? "" })
        {
            // Length-prefixed, so no two parameter sets run together into the same bytes.
            var bytes = Encoding.UTF8.GetBytes(part);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    /// <summary>Checks an <c>Idempotency-Key</c> value: 1 to 255 printable ASCII characters.</summary>
    public static string ValidateKey(string key)
    {
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < ' ' or > '~'))
            throw new BadInputException($"the Idempotency-Key header is 1 to {MaxKeyLength} printable ASCII characters (a UUID is a good key); got {key.Length} characters",
                "request headers", "Idempotency-Key");
        return key;
    }

    /// <summary>The earlier request of an MSP with this idempotency key, if any: its fingerprint and answer.</summary>
    public async Task<(byte[] Fingerprint, string Answer)?> FindAsync(Guid msp, string key, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await db.WatchInbox.AsNoTracking().Where(r => r.MspOrganizationId == msp && r.IdempotencyKey == key)
            .Select(r => new { r.Fingerprint, r.Answer }).FirstOrDefaultAsync(cancellationToken);
        return row is { Fingerprint: { } f, Answer: { } a } ? (f, a) : null;
    }

    /// <summary>Writes the requests in one transaction — durable when this returns — and says what became of each: a request
    /// whose idempotency key is already taken (in the table or earlier in the same group) is not written.</summary>
    public async Task<IReadOnlyList<InboxReceipt>> WriteAsync(IReadOnlyList<InboxRequest> requests, CancellationToken cancellationToken = default)
    {
        try
        {
            return await WriteGroupAsync(requests, cancellationToken);
        }
        catch (DbUpdateException) when (requests.Count > 1)
        {
            // A key taken meanwhile by another process (a unique violation): one at a time, so only that request is affected.
            var receipts = new List<InboxReceipt>(requests.Count);
            foreach (var request in requests) receipts.Add(await WriteOneAsync(request, cancellationToken));
            return receipts;
        }
        catch (DbUpdateException)
        {
            return [await WriteOneAsync(requests[0], cancellationToken)];
        }
    }

    private async Task<InboxReceipt> WriteOneAsync(InboxRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return (await WriteGroupAsync([request], cancellationToken))[0];
        }
        catch (DbUpdateException) when (request.IdempotencyKey is not null)
        {
            // Taken by another writer between the check and the insert: answer as that one was answered.
            var earlier = await FindAsync(request.Msp, request.IdempotencyKey, cancellationToken);
            if (earlier is null) throw;
            return Match(request, earlier.Value.Fingerprint, earlier.Value.Answer);
        }
    }

    private async Task<IReadOnlyList<InboxReceipt>> WriteGroupAsync(IReadOnlyList<InboxRequest> requests, CancellationToken cancellationToken)
    {
        using var turn = await WriteTurnAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = installation.OpenDb();
        if (db.Database.GetDbConnection() is SqliteConnection)
        {
            // The acknowledgement promises durability: the commit must reach the disk, whatever the build's default.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL;", cancellationToken);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var keyed = requests.Where(r => r.IdempotencyKey is not null).Select(r => r.IdempotencyKey!).Distinct().ToArray();
        var taken = new Dictionary<(Guid, string), (byte[] Fingerprint, string Answer)>();
        if (keyed.Length > 0)
        {
            var msps = requests.Where(r => r.IdempotencyKey is not null).Select(r => r.Msp).Distinct().ToArray();
            foreach (var row in await db.WatchInbox.AsNoTracking().Where(r => r.IdempotencyKey != null && keyed.Contains(r.IdempotencyKey) && msps.Contains(r.MspOrganizationId))
                         .Select(r => new { r.MspOrganizationId, r.IdempotencyKey, r.Fingerprint, r.Answer }).ToListAsync(cancellationToken))
                taken[(row.MspOrganizationId, row.IdempotencyKey!)] = (row.Fingerprint ?? [], row.Answer ?? "");
        }

        var receipts = new InboxReceipt?[requests.Count];
        var rows = new WatchInboxRow?[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.IdempotencyKey is { } key)
            {
                if (taken.TryGetValue((request.Msp, key), out var earlier))
                {
                    receipts[i] = Match(request, earlier.Fingerprint, earlier.Answer);
                    continue;
                }
                taken[(request.Msp, key)] = (request.Fingerprint ?? [], request.Answer ?? "");
            }
            var nothing = request.EventCount == 0 && request.Quarantine.Count == 0;
            rows[i] = new WatchInboxRow
            {
                MspOrganizationId = request.Msp, IdempotencyKey = request.IdempotencyKey, Fingerprint = request.Fingerprint, Answer = request.Answer,
                ReceivedAt = now, EventCount = request.EventCount,
                // A request with nothing to store (kept for its key only) is stored as it is written.
                Events = nothing ? null : request.Events,
                Quarantine = nothing || request.Quarantine.Count == 0 ? null : JsonSerializer.Serialize(request.Quarantine, Json.Options),
                StoredAt = nothing ? now : null,
            };
            db.WatchInbox.Add(rows[i]!);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        for (var i = 0; i < requests.Count; i++) receipts[i] ??= new InboxReceipt(InboxOutcome.Accepted, rows[i]!.Id, requests[i].Answer);
        return receipts!;
    }

    private static InboxReceipt Match(InboxRequest request, byte[] fingerprint, string answer) =>
        request.Fingerprint is { } f && f.AsSpan().SequenceEqual(fingerprint)
            ? new InboxReceipt(InboxOutcome.Replayed, 0, answer)
            : new InboxReceipt(InboxOutcome.KeyReused, 0, null);

    /// <summary>Requests accepted and not yet wholly stored (of those <paramref name="ids"/>, or all), oldest first: what a
    /// restarted server stores before anything new.</summary>
    public async Task<IReadOnlyList<PendingRequest>> PendingAsync(IReadOnlyCollection<long>? ids = null, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var query = db.WatchInbox.AsNoTracking().Where(r => r.StoredAt == null);
        if (ids is not null) query = query.Where(r => ids.Contains(r.Id));
        var rows = await query.OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(r =>
        {
            var events = r.Events is null ? [] : Decode(r.Events);
            var quarantine = r.StoredEvents > 0 || r.Quarantine is null ? [] : JsonSerializer.Deserialize<QuarantineEntry[]>(r.Quarantine, Json.Options) ?? [];
            return new PendingRequest(r.Id, r.MspOrganizationId, r.StoredEvents, [.. events.Skip(r.StoredEvents)], quarantine);
        })];
    }

    /// <summary>Events accepted and not yet stored, per MSP (what <c>GET /api/v1/watch/settings</c> reports as pending).</summary>
    public async Task<long> PendingEventsAsync(Guid msp, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        return await db.WatchInbox.Where(r => r.MspOrganizationId == msp && r.StoredAt == null).SumAsync(r => (long)(r.EventCount - r.StoredEvents), cancellationToken);
    }

    /// <summary>Forgets stored requests received before <paramref name="before"/>: their idempotency keys can be used again.</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var cut = before.UtcDateTime;
        await using var db = installation.OpenDb();
        return await db.WatchInbox.Where(r => r.StoredAt != null && r.ReceivedAt < cut).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Records, inside the transaction that stores a batch, how far the batch got through each inbox row; a row whose
    /// events are all stored leaves the table (or, with an idempotency key, keeps only its answer). Throws when a row was
    /// already stored — the batch must then not commit, or its events would be stored twice.</summary>
    internal static async Task MarkStoredAsync(CustodesDb db, IReadOnlyList<InboxProgress> progress, DateTime now, CancellationToken cancellationToken)
    {
        if (progress.Count == 0) return;
        var affected = 0;
        // Each row must be exactly where this batch started from; anything else means its events were stored meanwhile.
        // The common case, whole requests stored in one batch, takes two statements for all of them.
        var whole = progress.Where(p => p.Complete && p.From == 0).Select(p => p.Id).ToArray();
        if (whole.Length > 0)
        {
            var rows = db.WatchInbox.Where(r => whole.Contains(r.Id) && r.StoredAt == null && r.StoredEvents == 0);
            affected += await rows.Where(r => r.IdempotencyKey == null).ExecuteDeleteAsync(cancellationToken);
            affected += await rows.Where(r => r.IdempotencyKey != null).ExecuteUpdateAsync(s => s.SetProperty(r => r.StoredAt, now)
                .SetProperty(r => r.StoredEvents, r => r.EventCount).SetProperty(r => r.Events, (byte[]?)null).SetProperty(r => r.Quarantine, (string?)null), cancellationToken);
        }
        foreach (var p in progress.Where(p => !p.Complete || p.From != 0))
        {
            var (id, from, to) = (p.Id, p.From, p.To);
            var row = db.WatchInbox.Where(r => r.Id == id && r.StoredAt == null && r.StoredEvents == from);
            if (!p.Complete) affected += await row.ExecuteUpdateAsync(s => s.SetProperty(r => r.StoredEvents, to), cancellationToken);
            else
            {
                affected += await row.Where(r => r.IdempotencyKey == null).ExecuteDeleteAsync(cancellationToken);
                affected += await row.Where(r => r.IdempotencyKey != null).ExecuteUpdateAsync(s => s.SetProperty(r => r.StoredAt, now)
                    .SetProperty(r => r.StoredEvents, to).SetProperty(r => r.Events, (byte[]?)null).SetProperty(r => r.Quarantine, (string?)null), cancellationToken);
            }
        }
        if (affected != progress.Count)
            throw new InvalidOperationException($"{progress.Count - affected} of the {progress.Count} inbox request(s) of this batch were already stored; the batch is not stored again");
    }
}
