using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Attestation;

/// <summary>Where a letter stands in a transparency log: entry index, inclusion proof and the signed checkpoint it leads to.</summary>
public sealed record LetterTransparency(string Origin, long Index, IReadOnlyList<MerkleHash> InclusionProof, string Checkpoint);

/// <summary>The letter file of contracts §4: a DSSE envelope of an in-toto statement, and its place in the log.</summary>
public sealed record LetterBundle
{
    public const string MediaTypeV1 = "application/vnd.custodes.letter.v1+json";

    public required DsseEnvelope Envelope { get; init; }

    /// <summary>Absent only for a letter that was never logged (such a letter does not verify).</summary>
    public LetterTransparency? Transparency { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["mediaType"] = MediaTypeV1, ["envelope"] = Envelope.ToJson() };
        if (Transparency is { } t)
        {
            json["transparency"] = new JsonObject
            {
                ["origin"] = t.Origin,
                ["index"] = t.Index,
                ["inclusion_proof"] = new JsonArray([.. t.InclusionProof.Select(h => (JsonNode)h.ToBase64())]),
                ["checkpoint"] = t.Checkpoint,
            };
        }
        return json;
    }

    /// <summary>The letter file's bytes (indented UTF-8 JSON).</summary>
    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(ToJson(), Json.Indented);

    /// <summary>Reads a letter file strictly: anything malformed is bad input naming the file and JSON path.</summary>
    public static LetterBundle Parse(ReadOnlySpan<byte> json, string? file = null)
    {
        try
        {
            var root = ParseJson(json);
            var mediaType = JsonRead.String(root, "mediaType", "$");
            if (mediaType != MediaTypeV1) throw new BadInputException($"mediaType is '{mediaType}', expected '{MediaTypeV1}'", path: "$.mediaType");
            if (!root.TryGetProperty("envelope", out var envelope)) throw new BadInputException("'envelope' is missing", path: "$.envelope");
            return new LetterBundle
            {
                Envelope = DsseEnvelope.FromJson(envelope, "$.envelope"),
                Transparency = root.TryGetProperty("transparency", out var t) && t.ValueKind != JsonValueKind.Null ? ParseTransparency(t) : null,
            };
        }
        catch (BadInputException e) when (file is not null)
        {
            throw e.InFile(file);
        }
    }

    internal static JsonElement ParseJson(ReadOnlySpan<byte> json)
    {
        var root = JsonRead.Parse(json, "the letter");
        return root.ValueKind == JsonValueKind.Object ? root : throw new BadInputException("a letter is a JSON object", path: "$");
    }

    internal static LetterTransparency ParseTransparency(JsonElement t)
    {
        const string path = "$.transparency";
        if (t.ValueKind != JsonValueKind.Object) throw new BadInputException("expected an object", path: path);
        var origin = JsonRead.String(t, "origin", path);
        if (!t.TryGetProperty("index", out var indexJson) || !indexJson.TryGetInt64(out var index) || index < 0)
            throw new BadInputException("'index' must be a non-negative integer", path: $"{path}.index");
        if (!t.TryGetProperty("inclusion_proof", out var proofJson) || proofJson.ValueKind != JsonValueKind.Array)
            throw new BadInputException("'inclusion_proof' must be an array of base64 hashes", path: $"{path}.inclusion_proof");
        var proof = new List<MerkleHash>(proofJson.GetArrayLength());
        var i = 0;
        foreach (var hash in proofJson.EnumerateArray())
        {
            var at = $"{path}.inclusion_proof[{i++}]";
            if (hash.ValueKind != JsonValueKind.String) throw new BadInputException("expected a base64 hash", path: at);
            proof.Add(MerkleHash.FromBase64(JsonRead.Text(hash, at), at));
        }
        return new LetterTransparency(origin, index, proof, JsonRead.String(t, "checkpoint", path));
    }
}

/// <summary>The pure steps of issuing a letter: statement, signature, log entry, bundle. Storage and the log are the caller's.</summary>
public static class Letter
{
    /// <summary>The letter's statement: one subject, the organization, digested as SHA-256 of the assessment's RFC 8785 JSON.</summary>
    public static InTotoStatement CreateStatement(LetterPredicate predicate, JsonElement assessment) => new()
    {
        Subject = [new InTotoSubject(predicate.SubjectOrganization, new Dictionary<string, string>
        {
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Serialize(assessment))),
        })],
        PredicateType = LetterPredicate.Type,
        Predicate = predicate.ToJson(),
    };

    /// <summary>Signs the statement's canonical JSON into a DSSE envelope.</summary>
    public static DsseEnvelope Sign(InTotoStatement statement, Ed25519SigningKey key) =>
        DsseEnvelope.Sign(InTotoStatement.PayloadType, statement.ToCanonicalJson(), key);

    /// <summary>The log entry of a letter: the RFC 8785 JSON of its envelope.</summary>
    public static byte[] LogEntry(DsseEnvelope envelope) => CanonicalJson.Serialize(envelope.ToJson());

    /// <summary>The letter file, once the entry is in the log at <paramref name="index"/> under <paramref name="signedCheckpoint"/>.</summary>
    public static LetterBundle Bundle(DsseEnvelope envelope, string origin, long index, IReadOnlyList<MerkleHash> inclusionProof, string signedCheckpoint) => new()
    {
        Envelope = envelope,
        Transparency = new LetterTransparency(origin, index, inclusionProof, signedCheckpoint),
    };
}
