using System.Globalization;
using System.Text.Json;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Attestation;

/// <summary>A letter's status as its log's server reports it (<c>GET /api/v1/letters/{id}/status</c>).</summary>
/// <remarks><paramref name="SupersededBy"/>, <paramref name="ExpiredAt"/> and <paramref name="ExpiryReason"/>: a newer letter replaced this one (not a
/// revocation), or the letter ended before its valid-until date (a conditional CMMC letter whose POA&amp;M was not closed out).</remarks>
public sealed record RemoteLetterStatus(string Status, DateTimeOffset? RevokedAt, string? Reason, long? RevocationIndex,
    Guid? SupersededBy = null, DateTimeOffset? SupersededAt = null, DateTimeOffset? ExpiredAt = null, string? ExpiryReason = null);

/// <summary>What online verification needs from a log's server; every answer is checked, none is trusted on its own.</summary>
public interface ILogClient : ITileReader
{
    /// <summary>The signed checkpoint at <c>/log/checkpoint</c>.</summary>
    Task<string> CheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>The log's note verifier key as the server publishes it (<c>/.well-known/custodes/keys</c>).</summary>
    Task<string> VerifierKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>The letter's status, or null when the server has no status for it.</summary>
    Task<RemoteLetterStatus?> StatusAsync(Guid letterId, CancellationToken cancellationToken = default);

    /// <summary>The entry bundle at <c>/log/tile/entries/…</c>.</summary>
    Task<byte[]> EntryBundleAsync(Tile tile, CancellationToken cancellationToken = default);
}

/// <summary>Online verification's findings beyond the offline ones.</summary>
public sealed record OnlineFindings
{
    public required long? CheckpointSize { get; init; }
    public required long? CurrentSize { get; init; }
    /// <summary><c>ok</c> when the current checkpoint provably extends the letter's; <c>bad</c> otherwise; null when not checked.</summary>
    public required string? Consistency { get; init; }
    public RemoteLetterStatus? Status { get; init; }
    /// <summary>True when the revocation entry was found in the log and names this letter.</summary>
    public bool? RevocationProved { get; init; }
}

/// <summary>
/// Online verification: the offline checks, then the log's current checkpoint (signed by the log key), a consistency proof
/// from the letter's checkpoint to it computed from the served tiles (so the log cannot have forked or dropped the letter), and
/// the letter's revocation status — a revocation proved by its entry in the log.
/// </summary>
public static class OnlineLetterVerifier
{
    public static async Task<(LetterVerification Verification, OnlineFindings Findings)> VerifyAsync(
        ReadOnlyMemory<byte> bundleJson, Ed25519PublicKey signerKey, DateTimeOffset at, NoteVerifier logKey, ILogClient log, CancellationToken cancellationToken = default)
    {
        var offline = LetterVerifier.Verify(bundleJson.Span, signerKey, at, logKey);
        var errors = offline.Errors.ToList();
        var (letterId, transparency, entry) = Read(bundleJson, offline);

        // The log's current tree, signed by the log key.
        var current = Checkpoint.Open(await log.CheckpointAsync(cancellationToken), logKey);
        if (!current.IsValid)
        {
            errors.Add(current.Error switch
            {
                NoteError.NoKnownSignature => $"{LogErrors.CheckpointWrongKey}: the log's current checkpoint is not signed by the log key {logKey.Name}+{logKey.KeyHash:x8}",
                NoteError.InvalidSignature => $"{LogErrors.CheckpointSignatureInvalid}: the log's current checkpoint: {current.Message}",
                _ => $"{LogErrors.CheckpointMalformed}: the log's current checkpoint: {current.Message}",
            });
            return (offline with { Errors = errors }, new OnlineFindings { CheckpointSize = null, CurrentSize = null, Consistency = null });
        }
        var now = current.Checkpoint!;

        string? consistency = null;
        long? bundledSize = null;
        if (transparency is not null && offline.Inclusion == InclusionStatus.Ok && Checkpoint.Open(transparency.Checkpoint, logKey) is { IsValid: true } bundled)
        {
            var then = bundled.Checkpoint!;
            bundledSize = then.Size;
            consistency = await CheckConsistencyAsync(then, now, log, errors, cancellationToken) ? "ok" : "bad";
        }

        bool? revoked = null;
        var earlyExpiry = false;
        RemoteLetterStatus? status = null;
        bool? proved = null;
        if (letterId is { } id)
        {
            status = await log.StatusAsync(id, cancellationToken);
            switch (status?.Status)
            {
                case "revoked" when status.RevokedAt is { } revokedAt && revokedAt > at:
                    revoked = false; // revoked later than the moment asked about
                    break;
                case "revoked":
                    revoked = true;
                    proved = status.RevocationIndex is { } index && entry is not null && await ProveRevocationAsync(id, entry, index, now, log, cancellationToken);
                    errors.Add($"{LetterErrors.LetterRevoked}: revoked on {Format(status.RevokedAt)} by the issuer: {status.Reason ?? "no reason given"}" +
                        (proved == true ? $" (revocation entry {status.RevocationIndex} is in the log)" : " (the log's server says so, but its revocation entry could not be found in the log)"));
                    break;
                case "expired" when status.ExpiredAt is { } endedAt && endedAt <= at && !offline.Expired:
                    // Ended before its valid-until date, which the signed letter cannot say: the server's word, shown with its reason.
                    revoked = false;
                    earlyExpiry = true;
                    errors.Add($"{LetterErrors.LetterExpired}: ended on {Format(endedAt)}: {status.ExpiryReason ?? "no reason given"}");
                    break;
                case "valid" or "expired":
                    revoked = false;
                    break;
                default:
                    errors.Add($"{LetterErrors.RevocationUnknown}: the log's server has no status for letter {id}, so it cannot say the letter was not revoked");
                    break;
            }
        }

        return (offline with
        {
            Revoked = revoked,
            Expired = offline.Expired || earlyExpiry,
            SupersededBy = status?.SupersededBy is { } by && (status.SupersededAt is null || status.SupersededAt <= at) ? by.ToString() : null,
            Errors = errors,
        }, new OnlineFindings
        {
            CheckpointSize = bundledSize,
            CurrentSize = now.Size,
            Consistency = consistency,
            Status = status,
            RevocationProved = proved,
        });
    }

    /// <summary>True when the log's current tree provably extends <paramref name="then"/>; otherwise adds the named error.</summary>
    public static async Task<bool> CheckConsistencyAsync(Checkpoint then, Checkpoint now, ILogClient log, List<string> errors, CancellationToken cancellationToken)
    {
        if (then.Origin != now.Origin)
        {
            errors.Add($"{LogErrors.CheckpointOriginMismatch}: the letter's checkpoint is of log '{then.Origin}', the server's of '{now.Origin}'");
            return false;
        }
        if (now.Size < then.Size)
        {
            errors.Add($"{LogErrors.RolledBack}: the log now has {now.Size} entries, fewer than the {then.Size} of the letter's checkpoint");
            return false;
        }
        if (now.Size == then.Size)
        {
            if (now.RootHash == then.RootHash) return true;
            errors.Add($"{LogErrors.Forked}: two checkpoints of {now.Size} entries signed by the log key have different roots: the log forked");
            return false;
        }
        MerkleHash[] proof;
        try
        {
            proof = await MerkleLog.ProveConsistencyAsync(now.Size, then.Size, new TileHashReader(now.Size, now.RootHash, log), cancellationToken);
        }
        catch (TileMismatchException e)
        {
            errors.Add($"{LogErrors.TilesMismatch}: {e.Message}");
            return false;
        }
        if (MerkleLog.CheckConsistency(proof, now.Size, now.RootHash, then.Size, then.RootHash) == ProofCheck.Ok) return true;
        errors.Add($"{LogErrors.Forked}: the log's tree of {now.Size} entries does not extend the letter's checkpoint of {then.Size} entries: the log forked");
        return false;
    }

    // The revocation entry must be in the verified tree and name this letter's entry.
    private static async Task<bool> ProveRevocationAsync(Guid letterId, byte[] letterEntry, long index, Checkpoint now, ILogClient log, CancellationToken cancellationToken)
    {
        if (index < 0 || index >= now.Size) return false;
        try
        {
            var tileIndex = index / Tile.FullWidth;
            var width = (int)Math.Min(Tile.FullWidth, now.Size - tileIndex * Tile.FullWidth);
            var entries = EntryBundle.Decode(await log.EntryBundleAsync(Tile.Entries(tileIndex, width), cancellationToken), width);
            var entry = entries[(int)(index % Tile.FullWidth)];
            var leaf = (await new TileHashReader(now.Size, now.RootHash, log).ReadHashesAsync([MerkleLog.StoredHashIndex(0, index)], cancellationToken))[0];
            if (MerkleHash.OfLeaf(entry.Span) != leaf) return false;
            var (revocation, _) = Revocation.FromLogEntry(entry.Span);
            return revocation.LetterId == letterId && revocation.LetterEntrySha256 == Revocation.EntrySha256(letterEntry);
        }
        catch (Exception e) when (e is BadInputException or TileMismatchException or InvalidOperationException)
        {
            return false;
        }
    }

    private static (Guid? LetterId, LetterTransparency? Transparency, byte[]? Entry) Read(ReadOnlyMemory<byte> bundleJson, LetterVerification offline)
    {
        if (offline.Signature != SignatureStatus.Ok) return (null, null, null);
        try
        {
            var bundle = LetterBundle.Parse(bundleJson.Span);
            var statement = InTotoStatement.Parse(bundle.Envelope.Payload.Span);
            // The entry is the canonical form of the envelope as the file has it, as the offline inclusion check hashes it.
            var entry = CanonicalJson.Serialize(LetterBundle.ParseJson(bundleJson.Span).GetProperty("envelope"));
            return (LetterPredicate.FromJson(statement.Predicate).LetterId, bundle.Transparency, entry);
        }
        catch (BadInputException)
        {
            return (null, null, null);
        }
    }

    private static string Format(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "an unknown date";
}
