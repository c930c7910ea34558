using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Attestation;

/// <summary>
/// A revocation: a log entry that withdraws a letter. Entries are never changed, so a letter is revoked by a later entry that names
/// it (its id and the SHA-256 of its log entry). The entry is the revocation's RFC 8785 JSON, or, when the firm signs it, the
/// RFC 8785 JSON of a DSSE envelope of that JSON (<see cref="PayloadType"/>).
/// </summary>
public sealed record Revocation
{
    public const string Type = "urn:custodes:revocation:v1";
    public const string PayloadType = "application/vnd.custodes.revocation.v1+json";

    public required Guid LetterId { get; init; }
    public required string Issuer { get; init; }
    public required string SubjectOrganization { get; init; }
    /// <summary>Where the revoked letter is in the log.</summary>
    public required long LetterLogIndex { get; init; }
    /// <summary>Hex SHA-256 of the revoked letter's log entry.</summary>
    public required string LetterEntrySha256 { get; init; }
    public required DateTimeOffset RevokedAt { get; init; }
    public required string Reason { get; init; }

    public byte[] ToCanonicalJson() => CanonicalJson.Serialize(new JsonObject
    {
        ["type"] = Type,
        ["letter_id"] = LetterId.ToString(),
        ["issuer"] = Issuer,
        ["subject_organization"] = SubjectOrganization,
        ["letter_log_index"] = LetterLogIndex,
        ["letter_entry_sha256"] = LetterEntrySha256,
        ["revoked_at"] = RevokedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["reason"] = Reason,
    });

    /// <summary>The log entry: plain canonical JSON, or a DSSE envelope of it signed by <paramref name="key"/>.</summary>
    public byte[] ToLogEntry(Ed25519SigningKey? key) => key is null
        ? ToCanonicalJson()
        : CanonicalJson.Serialize(DsseEnvelope.Sign(PayloadType, ToCanonicalJson(), key).ToJson());

    public static string EntrySha256(ReadOnlySpan<byte> letterEntry) => Convert.ToHexStringLower(SHA256.HashData(letterEntry));

    /// <summary>Reads a revocation from a log entry; also returns the envelope when it is signed. Anything else is bad input.</summary>
    public static (Revocation Revocation, DsseEnvelope? Envelope) FromLogEntry(ReadOnlySpan<byte> entry)
    {
        var root = JsonRead.Parse(entry, "the revocation entry");
        if (root.ValueKind != JsonValueKind.Object) throw new BadInputException("a revocation entry is a JSON object", path: "$");
        if (root.TryGetProperty("payloadType", out _))
        {
            var envelope = DsseEnvelope.FromJson(root);
            if (envelope.PayloadType != PayloadType) throw new BadInputException($"payloadType is '{envelope.PayloadType}', expected '{PayloadType}'", path: "$.payloadType");
            return (Parse(JsonRead.Parse(envelope.Payload.Span, "the revocation")), envelope);
        }
        return (Parse(root), null);
    }

    private static Revocation Parse(JsonElement json)
    {
        var type = JsonRead.String(json, "type", "$");
        if (type != Type) throw new BadInputException($"type is '{type}', expected '{Type}'", path: "$.type");
        if (!Guid.TryParse(JsonRead.String(json, "letter_id", "$"), out var letterId)) throw new BadInputException("letter_id is not a UUID", path: "$.letter_id");
        if (!json.TryGetProperty("letter_log_index", out var index) || !index.TryGetInt64(out var letterIndex)) throw new BadInputException("letter_log_index must be an integer", path: "$.letter_log_index");
        if (!DateTimeOffset.TryParse(JsonRead.String(json, "revoked_at", "$"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var revokedAt))
            throw new BadInputException("revoked_at is not a timestamp", path: "$.revoked_at");
        return new Revocation
        {
            LetterId = letterId,
            Issuer = JsonRead.String(json, "issuer", "$"),
            SubjectOrganization = JsonRead.String(json, "subject_organization", "$"),
            LetterLogIndex = letterIndex,
            LetterEntrySha256 = JsonRead.String(json, "letter_entry_sha256", "$"),
            RevokedAt = revokedAt,
            Reason = JsonRead.String(json, "reason", "$"),
        };
    }
}
