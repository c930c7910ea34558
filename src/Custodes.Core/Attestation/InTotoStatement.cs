using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Attestation;

/// <summary>An in-toto Statement v1 subject: a name and its digests (<c>{"sha256": "&lt;hex&gt;"}</c>).</summary>
public sealed record InTotoSubject(string Name, IReadOnlyDictionary<string, string> Digest);

/// <summary>An in-toto Statement v1: what is attested (subjects) and the attestation (a typed predicate).</summary>
public sealed record InTotoStatement
{
    public const string TypeV1 = "https://in-toto.io/Statement/v1";

    /// <summary>The DSSE payload type of a statement.</summary>
    public const string PayloadType = "application/vnd.in-toto+json";

    public required IReadOnlyList<InTotoSubject> Subject { get; init; }

    public required string PredicateType { get; init; }

    public required JsonElement Predicate { get; init; }

    /// <summary>The statement's JSON, in RFC 8785 canonical form: the DSSE payload.</summary>
    public byte[] ToCanonicalJson() => CanonicalJson.Serialize(new JsonObject
    {
        ["_type"] = TypeV1,
        ["subject"] = new JsonArray([.. Subject.Select(s => new JsonObject
        {
            ["name"] = s.Name,
            ["digest"] = new JsonObject([.. s.Digest.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))]),
        })]),
        ["predicateType"] = PredicateType,
        ["predicate"] = JsonNode.Parse(Predicate.GetRawText()),
    });

    /// <summary>Reads a statement; a wrong <c>_type</c>, missing or mistyped members are bad input naming their path.</summary>
    public static InTotoStatement Parse(ReadOnlySpan<byte> json)
    {
        var root = JsonRead.Parse(json, "the statement");
        if (root.ValueKind != JsonValueKind.Object) throw new BadInputException("the statement must be a JSON object", path: "$");
        var type = JsonRead.String(root, "_type", "$");
        if (type != TypeV1) throw new BadInputException($"statement type is '{type}', expected '{TypeV1}'", path: "$._type");
        if (!root.TryGetProperty("subject", out var subjects) || subjects.ValueKind != JsonValueKind.Array || subjects.GetArrayLength() == 0)
            throw new BadInputException("expected a non-empty subject array", path: "$.subject");
        var list = new List<InTotoSubject>();
        var i = 0;
        foreach (var subject in subjects.EnumerateArray())
        {
            var at = $"$.subject[{i++}]";
            if (subject.ValueKind != JsonValueKind.Object) throw new BadInputException("expected a subject object", path: at);
            var name = subject.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? JsonRead.Text(n, $"{at}.name") : "";
            if (!subject.TryGetProperty("digest", out var digest) || digest.ValueKind != JsonValueKind.Object)
                throw new BadInputException("expected a digest object", path: $"{at}.digest");
            var digests = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var d in digest.EnumerateObject())
                digests[d.Name] = d.Value.ValueKind == JsonValueKind.String ? JsonRead.Text(d.Value, $"{at}.digest") : throw new BadInputException("digests are hex strings", path: $"{at}.digest.{d.Name}");
            list.Add(new InTotoSubject(name, digests));
        }
        var predicateType = JsonRead.String(root, "predicateType", "$");
        if (!root.TryGetProperty("predicate", out var predicate)) throw new BadInputException("'predicate' is missing", path: "$.predicate");
        return new InTotoStatement { Subject = list, PredicateType = predicateType, Predicate = predicate.Clone() };
    }
}
