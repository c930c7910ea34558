using System.Text.Json;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Transparency;
using Custodes.Application.Witness;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Web.Letters;

/// <summary>The answer of the public verify page, in words an office manager reads.</summary>
public sealed record LetterCheckResult
{
    /// <summary>Genuine, current and not revoked.</summary>
    public required bool Valid { get; init; }
    /// <summary>Signed by a registered firm key in its validity period, and recorded in this log as it claims.</summary>
    public required bool Genuine { get; init; }
    public LetterPredicate? Letter { get; init; }
    public RegisteredKey? Key { get; init; }
    public long? LogIndex { get; init; }
    public bool Revoked { get; init; }
    public DateTime? RevokedAt { get; init; }
    public string? RevocationReason { get; init; }
    public bool Expired { get; init; }
    /// <summary>Why the letter is not valid, one plain sentence each.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }
    /// <summary>The named errors behind <see cref="Reasons"/>, for the technically minded.</summary>
    public required IReadOnlyList<string> Errors { get; init; }
    /// <summary>The witnesses that cosigned a checkpoint covering the letter, when this installation requires a quorum of them.</summary>
    public IReadOnlyList<string> WitnessedBy { get; init; } = [];
}

/// <summary>Verifies an uploaded letter on the server: the firm's key from the registry, the offline checks, and the letter's record in this installation's log and letters.</summary>
internal sealed class LetterCheck(SigningKeyRegistry registry, TransparencyLog log, LetterStore letters, LogWitnesses witnesses, TimeProvider clock)
{
    public async Task<LetterCheckResult> CheckAsync(byte[] bundleJson, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var reasons = new List<string>();
        if (NotALetter(bundleJson) is { } notALetter) return Bad(notALetter, $"{LetterErrors.BundleMalformed}: {notALetter}");
        LetterBundle bundle;
        try
        {
            bundle = LetterBundle.Parse(bundleJson, "letter");
        }
        catch (BadInputException e)
        {
            // The parser's messages name JSON paths ($.envelope.signatures[0].sig): fine for the technical details, not for the sentence.
            return Bad("This is not a Custodes letter file: its signed envelope or log record is damaged.", $"{LetterErrors.BundleMalformed}: {e.Describe()}");
        }

        RegisteredKey? key = null;
        foreach (var signature in bundle.Envelope.Signatures)
            if ((key = await registry.FindAsync(signature.KeyId, cancellationToken)) is not null) break;
        if (key is null)
            return Bad("It was not signed with the key of any assessor firm this service knows, so it cannot be confirmed as genuine.", $"{LetterErrors.SignatureWrongKey}: no signature by a registered key");

        var identity = await log.Keys.GetAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var offline = LetterVerifier.Verify(bundleJson, key.ToPublicKey(), now, identity.Verifier);
        errors.AddRange(offline.Errors);
        LetterPredicate? letter = null;
        // The verifier read a predicate only when the signed content is a well-formed letter.
        if (offline.Signature == SignatureStatus.Ok && offline.Issuer is not null)
        {
            var statement = InTotoStatement.Parse(bundle.Envelope.Payload.Span);
            letter = LetterPredicate.FromJson(statement.Predicate);
            if (!key.CoversIssuance(letter.IssuedAt))
                errors.Add($"{LetterErrors.SignatureWrongKey}: key {key.KeyId} of {key.Organization} did not sign letters on {letter.IssuedAt:yyyy-MM-dd}");
        }

        // The letter's record: its checkpoint is a prefix of this log, and its entry is this letter.
        if (offline.Inclusion == InclusionStatus.Ok && bundle.Transparency is { } t && Checkpoint.Open(t.Checkpoint, identity.Verifier) is { IsValid: true } opened)
        {
            var size = await log.SizeAsync(cancellationToken);
            if (opened.Checkpoint!.Size > size)
                errors.Add($"{LogErrors.RolledBack}: the letter's checkpoint is of {opened.Checkpoint.Size} entries, this log has {size}");
            else if (await log.TreeHashAsync(opened.Checkpoint.Size, cancellationToken) != opened.Checkpoint.RootHash)
                errors.Add($"{LogErrors.Forked}: the letter's checkpoint does not describe this log's first {opened.Checkpoint.Size} entries");
        }

        IReadOnlyList<string> witnessedBy = [];
        if (offline.Inclusion == InclusionStatus.Ok && bundle.Transparency is { } record && !errors.Any(e => LetterErrors.CodeOf(e) is LogErrors.Forked or LogErrors.RolledBack)
            && await witnesses.QuorumAsync(cancellationToken) is var quorum and > 0)
            witnessedBy = await WitnessedByAsync(record, quorum, errors, cancellationToken);

        var status = letter is null ? null : await letters.StatusAsync(letter.LetterId, now, cancellationToken);
        if (status?.Status == LetterStatuses.Revoked)
            errors.Add($"{LetterErrors.LetterRevoked}: revoked at {status.RevokedAt:yyyy-MM-dd HH:mm}Z: {status.Reason}");
        else if (letter is not null && status?.Status == LetterStatuses.Unknown)
            errors.Add($"{LetterErrors.RevocationUnknown}: this service issued no letter {letter.LetterId}");
        // Ended before its valid-until date (an unmet POA&M closeout): only this service knows, the signed letter cannot say.
        var endedEarly = status is { Status: LetterStatuses.Expired, ExpiryReason: not null } && !offline.Expired;
        if (endedEarly) errors.Add($"{LetterErrors.LetterExpired}: ended at {status!.ExpiredAt:yyyy-MM-dd}: {status.ExpiryReason}");

        foreach (var error in errors) reasons.Add(Explain(error, letter, status));
        if (status?.SupersededBy is { } newer)
            reasons.Add($"A newer letter from the same assessor replaces this one (it is not revoked): ask for letter {newer}, or open /letters/{newer}.");
        var genuine = offline.Signature == SignatureStatus.Ok && offline.Inclusion == InclusionStatus.Ok
            && !errors.Any(e => LetterErrors.CodeOf(e) is LetterErrors.SignatureWrongKey or LogErrors.Forked or LogErrors.RolledBack or LetterErrors.RevocationUnknown);
        return new LetterCheckResult
        {
            Valid = errors.Count == 0,
            Genuine = genuine,
            Letter = letter,
            Key = key,
            LogIndex = bundle.Transparency?.Index,
            Revoked = status?.Status == LetterStatuses.Revoked,
            RevokedAt = status?.RevokedAt,
            RevocationReason = status?.Reason,
            Expired = offline.Expired || endedEarly,
            Reasons = [.. reasons.Distinct()],
            Errors = errors,
            WitnessedBy = witnessedBy,
        };

        static LetterCheckResult Bad(string reason, string error) => new() { Valid = false, Genuine = false, Reasons = [reason], Errors = [error] };
    }

    // With a quorum configured, a letter counts only when that many witnesses cosigned a checkpoint covering it: its own, or a newer
    // one of this log (which extends the letter's: the record check above compared the trees).
    private async Task<IReadOnlyList<string>> WitnessedByAsync(LetterTransparency record, int quorum, List<string> errors, CancellationToken cancellationToken)
    {
        var letterSize = Checkpoint.Open(record.Checkpoint, (await log.Keys.GetAsync(cancellationToken)).Verifier).Checkpoint!.Size;
        if (await witnesses.LatestCosignedAsync(quorum, cancellationToken) is { } cosigned && cosigned.Size >= letterSize) return cosigned.Witnesses;
        var listed = await witnesses.ListAsync(cancellationToken);
        var own = WitnessedCheckpoint.FindCosigners(record.Checkpoint, [.. listed.Select(w => w.Verifier)]);
        if (own.Count >= quorum) return [.. own.Select(c => c.Witness.Name)];
        // The count names every witness that vouched for the letter's entry (on its own checkpoint or a newer one), not only the
        // letter's own cosigners: "0 of 2" when one witness did cosign would send the operator after the wrong witness.
        var vouched = own.Select(c => c.Witness.Name).Union(listed.Where(w => w.CosignedSize >= letterSize).Select(w => w.Verifier.Name)).Count();
        errors.Add($"{LogErrors.Unwitnessed}: {vouched} of the {quorum} required witnesses cosigned a checkpoint covering entry {record.Index}");
        return [];
    }

    /// <summary>What is wrong with a file that is not a letter at all, in words for whoever pasted it; null when it looks like a letter.</summary>
    /// <remarks>Never the parser's text: System.Text.Json's messages ("LineNumber: 0 | BytePositionInLine: 0") mean nothing to an office manager.</remarks>
    internal static string? NotALetter(byte[] file)
    {
        const string not = "This is not a Custodes letter file: ";
        JsonDocument document;
        try
        {
            var utf8 = file.AsMemory();
            if (utf8.Span.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException e)
        {
            return not + $"it is not valid JSON (line {(e.LineNumber ?? 0) + 1}).";
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("envelope", out var envelope) || envelope.ValueKind != JsonValueKind.Object)
                return not + "it is JSON but has no signed envelope (a letter file has \"mediaType\" and \"envelope\").";
            if (!root.TryGetProperty("mediaType", out var mediaType) || mediaType.ValueKind != JsonValueKind.String || mediaType.GetString() != LetterBundle.MediaTypeV1)
                return not + "it has a signed envelope but does not say it is a letter of attestation (its \"mediaType\" is missing or different).";
            return null;
        }
    }

    /// <summary>Why a genuine letter is not yet confirmed on an installation that requires witnesses (the verify page's banner says it, once).</summary>
    internal const string UnwitnessedSentence = "The independent witnesses this service relies on have not yet confirmed the public log that records it. Try again in a few minutes.";

    /// <summary>Whether a log without its quorum of witnesses is all that keeps the letter from being valid.</summary>
    internal static bool OnlyUnwitnessed(LetterCheckResult result) =>
        result.Errors.Count > 0 && result.Errors.All(e => LetterErrors.CodeOf(e) == LogErrors.Unwitnessed);

    private static string Explain(string error, LetterPredicate? letter, LetterStatus? status) => LetterErrors.CodeOf(error) switch
    {
        LetterErrors.SignatureInvalid => "The letter was changed after the assessor signed it: what it says now is not what the assessor signed.",
        LetterErrors.SignatureWrongKey or LetterErrors.SignatureMissing => "It was not signed with a key the assessor firm used at the time the letter says it was issued.",
        LetterErrors.LetterExpired when status?.ExpiryReason is { } ended => $"It ended on {status.ExpiredAt:yyyy-MM-dd}: {ended}. Ask for a current letter.",
        LetterErrors.LetterExpired => $"It expired on {(letter is null ? "its end date" : LetterHtml.Date(letter.ValidUntil))}: ask for a current letter.",
        LetterErrors.LetterRevoked => $"The assessor revoked it on {(status?.RevokedAt is { } at ? LetterHtml.Date(at) : "a date")}. Reason given: {status?.Reason}",
        LetterErrors.RevocationUnknown => "This service has no record of issuing this letter, so it cannot confirm it was not withdrawn.",
        LogErrors.Unwitnessed => UnwitnessedSentence,
        LogErrors.Forked or LogErrors.RolledBack => "Its record does not match this service's public log: the letter's record was not made here, or the log was altered.",
        LetterErrors.InclusionAbsent => "It carries no record in the public log, which every genuine letter has.",
        LetterErrors.CheckpointWrongKey or LetterErrors.CheckpointSignatureInvalid or LetterErrors.CheckpointMalformed or LetterErrors.CheckpointOriginMismatch
            => "Its record in the public log is not signed by this service's log.",
        LetterErrors.PayloadTypeUnexpected or LetterErrors.StatementMalformed or LetterErrors.PredicateTypeUnexpected or LetterErrors.PredicateMalformed
            => "The signed content is not a letter of attestation.",
        LetterErrors.BundleMalformed or LetterErrors.EnvelopeMalformed or LetterErrors.MediaTypeUnknown or LetterErrors.TransparencyMalformed
            => "This is not a readable letter file.",
        _ => "Its proof of record in the public log does not check out: the letter or its proof was changed.",
    };
}
