using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Attestation;

/// <summary>The predicate of an attestation letter (<c>urn:custodes:letter:v1</c>, contracts §4).</summary>
/// <remarks>
/// <see cref="Score"/>, <see cref="Cmmc"/> and <see cref="Counts"/> are the JSON of the <c>score</c> output, kept as JSON so
/// the letter does not depend on the assessment model's types.
/// </remarks>
public sealed record LetterPredicate
{
    public const string Type = "urn:custodes:letter:v1";

    public required Guid LetterId { get; init; }

    /// <summary>The assessor firm.</summary>
    public required string Issuer { get; init; }

    /// <summary>The assessed organization.</summary>
    public required string SubjectOrganization { get; init; }

    public required string Framework { get; init; }

    public required string Scope { get; init; }

    public required DateOnly AssessedOn { get; init; }

    [JsonConverter(typeof(UtcTimestampConverter))]
    public required DateTimeOffset IssuedAt { get; init; }

    [JsonConverter(typeof(UtcTimestampConverter))]
    public required DateTimeOffset ValidUntil { get; init; }

    /// <summary>The score (a number, or null when none can be given).</summary>
    public required JsonElement Score { get; init; }

    public required JsonElement Cmmc { get; init; }

    public required JsonElement Counts { get; init; }

    /// <summary>The letter's human text.</summary>
    public required string Statement { get; init; }

    /// <summary>What the letter does not say (point in time, sampling, not a certification); part of <see cref="Statement"/> too.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Limitations { get; init; }

    /// <summary>The firm's statement of independence from the assessed organization; part of <see cref="Statement"/> too.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Independence { get; init; }

    /// <summary>Who assessed (contracts §10): the firm, its C3PAO id, the lead assessor and the quality reviewer; absent on letters issued before it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LetterAssessor? Assessor { get; init; }

    /// <summary>The letter this one replaces for the same subject and framework (a closeout letter after a conditional one): the old letter is
    /// then shown as superseded, which is not a revocation. Added to contracts §4.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? Supersedes { get; init; }

    /// <summary>For a conditional CMMC Level 2 result: the date by which the POA&amp;M must be closed out (assessed_on + 180 days, 32 CFR 170.21(b)).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateOnly? PoamCloseoutDue { get; init; }

    /// <summary>The SHA-256 (lowercase hex) of the artifact hash list of the assessment (CMMC Hashing Guide), tying the letter to the exact artifacts examined.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactsSha256 { get; init; }

    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, Json.Options);

    public static LetterPredicate FromJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) throw new BadInputException("the letter predicate must be an object", path: "$.predicate");
        try
        {
            var predicate = JsonSerializer.Deserialize<LetterPredicate>(json, Json.Options)
                ?? throw new BadInputException("the letter predicate is null", path: "$.predicate");
            // The shared JSON options do not enforce nullable annotations; a letter's texts must be there.
            foreach (var (name, value) in new[] { ("issuer", predicate.Issuer), ("subject_organization", predicate.SubjectOrganization), ("framework", predicate.Framework), ("scope", predicate.Scope), ("statement", predicate.Statement) })
                if (value is null) throw new BadInputException($"'{name}' must be a string", path: $"$.predicate.{name}");
            return predicate;
        }
        catch (JsonException e)
        {
            throw new BadInputException($"malformed letter predicate: {e.Message}", path: "$.predicate" + e.Path?.TrimStart('$'), inner: e);
        }
    }
}

/// <summary>The predicate's <c>assessor</c>: the firm that assessed and the people who answer for the result.</summary>
public sealed record LetterAssessor
{
    public required string Organization { get; init; }

    /// <summary>The firm's C3PAO identifier, for a CMMC assessment by an authorized third-party assessment organization.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? C3paoId { get; init; }

    public required string LeadAssessor { get; init; }

    /// <summary>The firm member, not the lead, who reviewed the assessment before the letter (absent for letters issued from the command line).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? QaReviewer { get; init; }
}

/// <summary>RFC 3339 UTC timestamps to the second (<c>2026-10-02T14:00:00Z</c>); any offset is accepted when reading.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || !HasOffset(text) || !DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            throw new JsonException($"expected an RFC 3339 timestamp such as 2026-10-02T14:00:00Z, got {text ?? reader.TokenType.ToString()}");
        return value;
    }

    // Without an offset the parser would assume the machine's time zone.
    private static bool HasOffset(string text) => text.Length >= 20 && (text[^1] is 'Z' or 'z' || text[^6] is '+' or '-');

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
