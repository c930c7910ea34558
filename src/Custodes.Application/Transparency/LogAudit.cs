using Custodes.Application.Database;
using Custodes.Attestation;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Transparency;

/// <summary>The outcome of auditing the whole log (<c>custodes log verify --json</c>).</summary>
public sealed record LogAuditResult
{
    public bool Valid => Errors.Count == 0;
    public required string Origin { get; init; }
    public required long Size { get; init; }
    public string? RootHash { get; init; }
    public required long EntriesChecked { get; init; }
    public required int CheckpointsChecked { get; init; }
    /// <summary>The size of the saved checkpoint checked for consistency, when one was given.</summary>
    public long? SavedCheckpointSize { get; init; }
    public required IReadOnlyList<string> Errors { get; init; }
}

/// <summary>
/// Audits the stored log from scratch: recomputes every stored hash from the entries, checks every checkpoint's signature
/// and root, and that a checkpoint saved earlier (by anyone) describes a prefix of this log — otherwise the log forked.
/// </summary>
public sealed class LogAudit(TransparencyLog log)
{
    private const int MaxErrors = 20;

    public async Task<LogAuditResult> VerifyAsync(string? savedCheckpoint = null, CancellationToken cancellationToken = default)
    {
        var identity = await log.Keys.GetAsync(cancellationToken);
        var verifier = identity.Verifier;
        var errors = new List<string>();
        void Fail(string code, string detail)
        {
            if (errors.Count < MaxErrors) errors.Add($"{code}: {detail}");
        }

        await using var stateDb = log.Installation.OpenDb();
        var state = await stateDb.LogState.AsNoTracking().FirstAsync(s => s.Id == 1, cancellationToken);
        if (state.VerifierKey is not null && state.VerifierKey != verifier.KeyString)
            Fail(LogErrors.CheckpointWrongKey, $"the log recorded key {state.VerifierKey}, but {log.Keys.KeyPath} is {verifier.KeyString}");
        var checkpoints = await stateDb.LogCheckpoints.AsNoTracking().OrderBy(c => c.Size).ToListAsync(cancellationToken);

        Checkpoint? saved = null;
        if (savedCheckpoint is not null)
        {
            saved = Open(savedCheckpoint, verifier, identity.Origin, "the saved checkpoint", Fail);
            if (saved is not null && saved.Size > state.Size)
                Fail(LogErrors.RolledBack, $"the saved checkpoint is of {saved.Size} entries, the log now has {state.Size}: the log lost entries it had signed");
        }

        // The roots to know: at every stored checkpoint and at the saved one.
        var wanted = new SortedDictionary<long, MerkleHash?>();
        foreach (var c in checkpoints) wanted[c.Size] = null;
        if (saved is { Size: > 0 } s) wanted[s.Size] = null;

        var frontier = new List<MerkleHash>();
        long count = 0;
        await using (var entriesDb = log.Installation.OpenDb())
        await using (var hashesDb = log.Installation.OpenDb())
        {
            await using var entries = entriesDb.LogEntries.AsNoTracking().OrderBy(e => e.Index).AsAsyncEnumerable().GetAsyncEnumerator(cancellationToken);
            await using var hashes = hashesDb.LogHashes.AsNoTracking().OrderBy(h => h.StoredIndex).AsAsyncEnumerable().GetAsyncEnumerator(cancellationToken);
            var hashesLeft = await hashes.MoveNextAsync();
            long expectedStored = 0;
            while (errors.Count == 0 && await entries.MoveNextAsync())
            {
                var entry = entries.Current;
                var n = count;
                if (entry.Index != n)
                {
                    Fail(LogErrors.EntryMissing, $"entry {n} is missing (the next stored entry is {entry.Index})");
                    break;
                }
                var hash = MerkleHash.OfLeaf(entry.Data);
                var level = 0;
                while (true)
                {
                    if (!hashesLeft || hashes.Current.StoredIndex != expectedStored)
                    {
                        Fail(LogErrors.HashMissing, $"stored hash {expectedStored} (level {level} of entry {n}) is missing");
                        break;
                    }
                    if (hashes.Current.Hash.Length != MerkleHash.Size || new MerkleHash(hashes.Current.Hash) != hash)
                    {
                        Fail(LogErrors.HashMismatch, level == 0
                            ? $"entry {n} does not hash to its stored leaf hash {expectedStored}: the entry or its hash was changed"
                            : $"stored hash {expectedStored} (level {level} above entry {n}) differs from the hash recomputed from the entries");
                        break;
                    }
                    hashesLeft = await hashes.MoveNextAsync();
                    expectedStored++;
                    if (((n >> level) & 1) == 0) break;
                    hash = MerkleHash.OfNode(frontier[^1], hash);
                    frontier.RemoveAt(frontier.Count - 1);
                    level++;
                }
                if (errors.Count > 0) break;
                frontier.Add(hash);
                count++;
                if (wanted.ContainsKey(count)) wanted[count] = Root(frontier);
            }
            if (errors.Count == 0 && hashesLeft)
                Fail(LogErrors.HashExtra, $"stored hash {hashes.Current.StoredIndex} and later are not produced by the {count} entries");
        }
        if (errors.Count == 0 && count != state.Size)
            Fail(LogErrors.SizeMismatch, $"the log records {state.Size} entries but stores {count}");

        var checkedCount = 0;
        foreach (var row in checkpoints)
        {
            var checkpoint = Open(row.Note, verifier, identity.Origin, $"checkpoint {row.Size}", Fail);
            checkedCount++;
            if (checkpoint is null) continue;
            if (checkpoint.Size != row.Size || !row.RootHash.AsSpan().SequenceEqual(checkpoint.RootHash.Bytes))
                Fail(LogErrors.CheckpointRootMismatch, $"checkpoint {row.Size}'s signed text does not match its stored size and root");
            else if (wanted.GetValueOrDefault(row.Size) is { } root && root != checkpoint.RootHash)
                Fail(LogErrors.CheckpointRootMismatch, $"checkpoint {row.Size} signs root {checkpoint.RootHash}, the entries give {root}");
        }
        var latest = checkpoints.Count > 0 ? checkpoints[^1] : null;
        if (errors.Count == 0 && (latest?.Size ?? 0) != state.Size)
            Fail(LogErrors.SizeMismatch, $"the latest checkpoint is of {latest?.Size ?? 0} entries, the log records {state.Size}");

        if (saved is not null && saved.Size <= count && saved.Size > 0 && wanted.GetValueOrDefault(saved.Size) is { } savedRoot && savedRoot != saved.RootHash)
            Fail(LogErrors.Forked, $"the saved checkpoint signs root {saved.RootHash} for {saved.Size} entries, but this log's first {saved.Size} entries hash to {savedRoot}: the log forked");

        return new LogAuditResult
        {
            Origin = identity.Origin,
            Size = state.Size,
            RootHash = latest is null ? null : Convert.ToBase64String(latest.RootHash),
            EntriesChecked = count,
            CheckpointsChecked = checkedCount,
            SavedCheckpointSize = saved?.Size,
            Errors = errors,
        };
    }

    private static MerkleHash Root(List<MerkleHash> frontier)
    {
        var root = frontier[^1];
        for (var i = frontier.Count - 2; i >= 0; i--) root = MerkleHash.OfNode(frontier[i], root);
        return root;
    }

    /// <summary>Opens a checkpoint with the log's key; every way it can fail is a named error.</summary>
    internal static Checkpoint? Open(string note, NoteVerifier verifier, string origin, string what, Action<string, string> fail)
    {
        var opened = Checkpoint.Open(note, verifier);
        if (!opened.IsValid)
        {
            switch (opened.Error)
            {
                case NoteError.NoKnownSignature:
                    fail(LogErrors.CheckpointWrongKey, $"{what} is not signed by the log key {verifier.Name}+{verifier.KeyHash:x8}");
                    break;
                case NoteError.InvalidSignature:
                    fail(LogErrors.CheckpointSignatureInvalid, $"{what}: {opened.Message}; it was changed after signing");
                    break;
                default:
                    fail(LogErrors.CheckpointMalformed, $"{what}: {opened.Message}");
                    break;
            }
            return null;
        }
        if (opened.Checkpoint!.Origin != origin)
        {
            fail(LogErrors.CheckpointOriginMismatch, $"{what} is of log '{opened.Checkpoint.Origin}', not '{origin}'");
            return null;
        }
        return opened.Checkpoint;
    }
}
