using System.Text.Json;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Attestation;

public enum SignatureStatus
{
    Ok,
    Bad,
}

public enum InclusionStatus
{
    Ok,
    Bad,
    Absent,
    /// <summary>The proof leads to the bundled checkpoint, but no log key was given to check who signed that checkpoint: anyone can
    /// make a checkpoint of a one-entry tree, so this says nothing about the letter being in a real log. Added to contracts §4.</summary>
    Unchecked,
}

/// <summary>The result of <c>custodes attest verify --json</c> (contracts §4), field for field.</summary>
public sealed record LetterVerification
{
    /// <summary>True only when the signature is good, the letter is in force and not revoked, its log proof holds (or leads to a
    /// checkpoint whose signature was not checked, <see cref="InclusionStatus.Unchecked"/>), and nothing else went wrong.</summary>
    public bool Valid => Signature == SignatureStatus.Ok && !Expired && Revoked != true && Inclusion is InclusionStatus.Ok or InclusionStatus.Unchecked && Errors.Count == 0;

    public required SignatureStatus Signature { get; init; }

    public required bool Expired { get; init; }

    /// <summary>Null offline: only the log knows of revocations. The online check sets it (and adds an error when true).</summary>
    public bool? Revoked { get; init; }

    public required InclusionStatus Inclusion { get; init; }

    // The letter's claims, shown only when the signature verifies: an unverified letter says nothing.
    public string? Issuer { get; init; }

    public string? SubjectOrganization { get; init; }

    public JsonElement? Score { get; init; }

    public string? ValidUntil { get; init; }

    /// <summary>Each problem as <c>"&lt;code&gt;: &lt;detail&gt;"</c>, with the codes of <see cref="LetterErrors"/>.</summary>
    public required IReadOnlyList<string> Errors { get; init; }

    // Added to contracts §4 after its fields, and only when the letter has them, so that the output of every other letter is unchanged.
    /// <summary>The older letter this one replaces (signed in the predicate).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Supersedes { get; init; }

    /// <summary>Online only: the newer letter that replaced this one. Superseded is not revoked: the letter stays genuine, but read the newer one.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? SupersededBy { get; init; }

    /// <summary>A conditional CMMC letter's POA&amp;M closeout date (signed): unless a closeout letter supersedes it by then, it expires.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? PoamCloseoutDue { get; init; }

    /// <summary>The SHA-256 of the artifact hash list of the assessment the letter attests (CMMC Hashing Guide), when the letter carries one.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactsSha256 { get; init; }

}

/// <summary>The named errors of letter verification: the code before the colon in <see cref="LetterVerification.Errors"/>.</summary>
public static class LetterErrors
{
    public const string BundleMalformed = "bundle_malformed";
    public const string MediaTypeUnknown = "media_type_unknown";
    public const string EnvelopeMalformed = "envelope_malformed";
    public const string SignatureMissing = "signature_missing";
    public const string SignatureWrongKey = "signature_wrong_key";
    public const string SignatureInvalid = "signature_invalid";
    public const string PayloadTypeUnexpected = "payload_type_unexpected";
    public const string StatementMalformed = "statement_malformed";
    public const string PredicateTypeUnexpected = "predicate_type_unexpected";
    public const string PredicateMalformed = "predicate_malformed";
    public const string LetterExpired = "letter_expired";
    public const string LetterRevoked = "letter_revoked";
    /// <summary>Online: the log's server cannot say whether the letter was revoked.</summary>
    public const string RevocationUnknown = "revocation_status_unknown";
    public const string InclusionAbsent = "inclusion_absent";
    public const string TransparencyMalformed = "transparency_malformed";
    public const string CheckpointMalformed = "checkpoint_malformed";
    public const string CheckpointWrongKey = "checkpoint_wrong_key";
    public const string CheckpointSignatureInvalid = "checkpoint_signature_invalid";
    public const string CheckpointOriginMismatch = "checkpoint_origin_mismatch";
    public const string InclusionIndexOutOfRange = "inclusion_index_out_of_range";
    public const string InclusionProofTruncated = "inclusion_proof_truncated";
    public const string InclusionProofTooLong = "inclusion_proof_too_long";
    public const string InclusionProofMismatch = "inclusion_proof_mismatch";

    /// <summary>The code of an error line.</summary>
    public static string CodeOf(string error) => error.IndexOf(':') is var colon and > 0 ? error[..colon] : error;
}

/// <summary>
/// Verifies a letter bundle offline: the DSSE signature with the signer's public key, expiry at a given time, and the
/// inclusion proof against the bundled checkpoint (whose signature is checked when the log's note key is given).
/// </summary>
/// <remarks>Bad input never escapes as an exception: every problem is a named error, and the letter is then not valid.</remarks>
public static class LetterVerifier
{
    public static LetterVerification Verify(ReadOnlySpan<byte> bundleJson, Ed25519PublicKey signerKey, DateTimeOffset at, NoteVerifier? logKey = null)
    {
        try
        {
            return VerifyCore(bundleJson, signerKey, at, logKey);
        }
        catch (Exception e) when (e is BadInputException or JsonException or InvalidOperationException or FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            // Every known failure is named below; this keeps a failure nobody foresaw from escaping as a crash, or passing.
            return Failed(LetterErrors.BundleMalformed, $"unforeseen failure ({e.GetType().Name}): {e.Message}");
        }
    }

    private static LetterVerification VerifyCore(ReadOnlySpan<byte> bundleJson, Ed25519PublicKey signerKey, DateTimeOffset at, NoteVerifier? logKey)
    {
        var errors = new List<string>();
        JsonElement root;
        try
        {
            root = LetterBundle.ParseJson(bundleJson);
            var mediaType = JsonRead.String(root, "mediaType", "$");
            if (mediaType != LetterBundle.MediaTypeV1)
                return Failed(LetterErrors.MediaTypeUnknown, $"mediaType is '{mediaType}', expected '{LetterBundle.MediaTypeV1}'");
        }
        catch (BadInputException e)
        {
            return Failed(LetterErrors.BundleMalformed, e.Describe());
        }

        var envelopeJson = root.TryGetProperty("envelope", out var envelopeValue) ? envelopeValue : (JsonElement?)null;
        var (signature, predicate) = CheckSignature(envelopeJson, signerKey, errors);

        var expired = false;
        if (predicate is not null && at > predicate.ValidUntil)
        {
            expired = true;
            errors.Add($"{LetterErrors.LetterExpired}: the letter was valid until {Format(predicate.ValidUntil)}, checked at {Format(at)}");
        }

        var inclusion = CheckInclusion(root, envelopeJson, logKey, errors);

        return new LetterVerification
        {
            Signature = signature,
            Expired = expired,
            Revoked = null,
            Inclusion = inclusion,
            Issuer = predicate?.Issuer,
            SubjectOrganization = predicate?.SubjectOrganization,
            Score = predicate?.Score,
            ValidUntil = predicate is null ? null : Format(predicate.ValidUntil),
            Supersedes = predicate?.Supersedes?.ToString(),
            PoamCloseoutDue = predicate?.PoamCloseoutDue?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ArtifactsSha256 = predicate?.ArtifactsSha256,
            Errors = errors,
        };
    }

    private static LetterVerification Failed(string code, string detail) => new()
    {
        Signature = SignatureStatus.Bad,
        Expired = false,
        Inclusion = InclusionStatus.Absent,
        Errors = [$"{code}: {detail}"],
    };

    private static (SignatureStatus, LetterPredicate?) CheckSignature(JsonElement? envelopeJson, Ed25519PublicKey signerKey, List<string> errors)
    {
        if (envelopeJson is not { } json)
        {
            errors.Add($"{LetterErrors.EnvelopeMalformed}: the letter has no envelope");
            return (SignatureStatus.Bad, null);
        }
        DsseEnvelope envelope;
        try
        {
            envelope = DsseEnvelope.FromJson(json, "$.envelope");
        }
        catch (BadInputException e)
        {
            errors.Add($"{LetterErrors.EnvelopeMalformed}: {e.Describe()}");
            return (SignatureStatus.Bad, null);
        }

        switch (envelope.Verify(signerKey))
        {
            case DsseCheck.NoSignatures:
                errors.Add($"{LetterErrors.SignatureMissing}: the envelope carries no signature");
                return (SignatureStatus.Bad, null);
            case DsseCheck.WrongKey:
                errors.Add($"{LetterErrors.SignatureWrongKey}: no signature by key {signerKey.KeyId}; the letter was signed with another key");
                return (SignatureStatus.Bad, null);
            case DsseCheck.InvalidSignature:
                errors.Add($"{LetterErrors.SignatureInvalid}: the signature by key {signerKey.KeyId} does not verify; the letter was changed after signing");
                return (SignatureStatus.Bad, null);
        }

        // The signature holds; now the signed content must be a letter.
        if (envelope.PayloadType != InTotoStatement.PayloadType)
        {
            errors.Add($"{LetterErrors.PayloadTypeUnexpected}: payloadType is '{envelope.PayloadType}', expected '{InTotoStatement.PayloadType}'");
            return (SignatureStatus.Ok, null);
        }
        InTotoStatement statement;
        try
        {
            statement = InTotoStatement.Parse(envelope.Payload.Span);
        }
        catch (BadInputException e)
        {
            errors.Add($"{LetterErrors.StatementMalformed}: {e.Describe()}");
            return (SignatureStatus.Ok, null);
        }
        if (statement.PredicateType != LetterPredicate.Type)
        {
            errors.Add($"{LetterErrors.PredicateTypeUnexpected}: predicateType is '{statement.PredicateType}', expected '{LetterPredicate.Type}'");
            return (SignatureStatus.Ok, null);
        }
        try
        {
            return (SignatureStatus.Ok, LetterPredicate.FromJson(statement.Predicate));
        }
        catch (BadInputException e)
        {
            errors.Add($"{LetterErrors.PredicateMalformed}: {e.Describe()}");
            return (SignatureStatus.Ok, null);
        }
    }

    private static InclusionStatus CheckInclusion(JsonElement root, JsonElement? envelopeJson, NoteVerifier? logKey, List<string> errors)
    {
        if (!root.TryGetProperty("transparency", out var transparencyJson) || transparencyJson.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{LetterErrors.InclusionAbsent}: the letter carries no transparency log proof");
            return InclusionStatus.Absent;
        }

        LetterTransparency transparency;
        try
        {
            transparency = LetterBundle.ParseTransparency(transparencyJson);
        }
        catch (BadInputException e)
        {
            errors.Add($"{LetterErrors.TransparencyMalformed}: {e.Describe()}");
            return InclusionStatus.Bad;
        }

        Checkpoint checkpoint;
        if (logKey is not null)
        {
            var opened = Checkpoint.Open(transparency.Checkpoint, logKey);
            if (!opened.IsValid)
            {
                errors.Add(opened.Error switch
                {
                    NoteError.NoKnownSignature => $"{LetterErrors.CheckpointWrongKey}: the checkpoint is not signed by the log key {logKey.Name}+{logKey.KeyHash:x8}",
                    NoteError.InvalidSignature => $"{LetterErrors.CheckpointSignatureInvalid}: {opened.Message}; the checkpoint was changed after signing",
                    _ => $"{LetterErrors.CheckpointMalformed}: {opened.Message}",
                });
                return InclusionStatus.Bad;
            }
            checkpoint = opened.Checkpoint!;
        }
        else
        {
            // Without the log's key the checkpoint's signatures cannot be checked, only its form; the proof then shows
            // the letter is in the tree this checkpoint claims.
            var opened = SignedNote.Open(transparency.Checkpoint);
            if (opened.Note is null)
            {
                errors.Add($"{LetterErrors.CheckpointMalformed}: {opened.Message}");
                return InclusionStatus.Bad;
            }
            try
            {
                checkpoint = Checkpoint.Parse(opened.Note.Text);
            }
            catch (BadInputException e)
            {
                errors.Add($"{LetterErrors.CheckpointMalformed}: {e.Message}");
                return InclusionStatus.Bad;
            }
        }

        if (checkpoint.Origin != transparency.Origin)
        {
            errors.Add($"{LetterErrors.CheckpointOriginMismatch}: the checkpoint is of log '{checkpoint.Origin}', the letter names '{transparency.Origin}'");
            return InclusionStatus.Bad;
        }
        if (transparency.Index >= checkpoint.Size)
        {
            errors.Add($"{LetterErrors.InclusionIndexOutOfRange}: entry {transparency.Index} is not in a log of {checkpoint.Size} entries");
            return InclusionStatus.Bad;
        }

        MerkleHash leaf;
        try
        {
            if (envelopeJson is not { } envelope) return InclusionStatus.Bad; // already reported as a malformed envelope
            leaf = MerkleHash.OfLeaf(CanonicalJson.Serialize(envelope));
        }
        catch (BadInputException e)
        {
            errors.Add($"{LetterErrors.EnvelopeMalformed}: {e.Describe()}");
            return InclusionStatus.Bad;
        }

        var proof = transparency.InclusionProof.ToArray();
        var check = MerkleLog.CheckInclusion(proof, checkpoint.Size, checkpoint.RootHash, transparency.Index, leaf);
        var expected = check is ProofCheck.TooShort or ProofCheck.TooLong ? MerkleLog.InclusionProofLength(checkpoint.Size, transparency.Index) : 0;
        switch (check)
        {
            case ProofCheck.Ok:
                // "ok" only when the checkpoint is the log's own: without its key the proof shows no more than self-consistency.
                return logKey is null ? InclusionStatus.Unchecked : InclusionStatus.Ok;
            case ProofCheck.TooShort:
                errors.Add($"{LetterErrors.InclusionProofTruncated}: the proof has {proof.Length} hashes, entry {transparency.Index} of {checkpoint.Size} needs {expected}");
                break;
            case ProofCheck.TooLong:
                errors.Add($"{LetterErrors.InclusionProofTooLong}: the proof has {proof.Length} hashes, entry {transparency.Index} of {checkpoint.Size} needs {expected}");
                break;
            case ProofCheck.OutOfRange:
                errors.Add($"{LetterErrors.InclusionIndexOutOfRange}: entry {transparency.Index} is not in a log of {checkpoint.Size} entries");
                break;
            default:
                errors.Add($"{LetterErrors.InclusionProofMismatch}: the proof does not lead from this letter to the checkpoint's root hash");
                break;
        }
        return InclusionStatus.Bad;
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
