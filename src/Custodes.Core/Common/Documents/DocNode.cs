using System.Text.Json.Nodes;

namespace Custodes.Common.Documents;

/// <summary>A parsed JSON or YAML value that remembers where it came from (file, JSON path, line), so validation errors can say where.</summary>
public abstract record DocNode(string File, string Path, long Line)
{
    public BadInputException Error(string message) => new(message, File, Path, Line);

    /// <summary>A short name of the node's kind for messages ("a string", "an object").</summary>
    public abstract string KindName { get; }

    public abstract JsonNode? ToJsonNode();
}

/// <summary>An object / mapping, with keys in document order and duplicates already rejected.</summary>
public sealed record DocMap(string File, string Path, long Line, IReadOnlyList<KeyValuePair<string, DocNode>> Entries) : DocNode(File, Path, Line)
{
    public override string KindName => "an object";

    public DocNode? Get(string key)
    {
        foreach (var entry in Entries)
            if (entry.Key == key) return entry.Value;
        return null;
    }

    /// <summary>Rejects keys outside <paramref name="allowed"/>: a typo must not be silently ignored.</summary>
    public void OnlyKeys(params string[] allowed)
    {
        foreach (var entry in Entries)
            if (Array.IndexOf(allowed, entry.Key) < 0)
                throw entry.Value.Error($"unknown field '{entry.Key}'; expected one of: {string.Join(", ", allowed)}");
    }

    public override JsonNode ToJsonNode()
    {
        var obj = new JsonObject();
        foreach (var (key, value) in Entries) obj[key] = value.ToJsonNode();
        return obj;
    }
}

/// <summary>An array / sequence.</summary>
public sealed record DocList(string File, string Path, long Line, IReadOnlyList<DocNode> Items) : DocNode(File, Path, Line)
{
    public override string KindName => "an array";

    public override JsonNode ToJsonNode() => new JsonArray(Items.Select(i => i.ToJsonNode()).ToArray());
}

/// <summary>The kind of a scalar: JSON's string, number, true/false, null (YAML plain scalars are resolved by the YAML core schema).</summary>
public enum ScalarKind { String, Number, Boolean, Null }

/// <summary>A string, number, boolean or null, with its source text.</summary>
public sealed record DocScalar(string File, string Path, long Line, string? Text, ScalarKind Kind) : DocNode(File, Path, Line)
{
    public override string KindName => Kind switch
    {
        ScalarKind.String => "a string",
        ScalarKind.Number => "a number",
        ScalarKind.Boolean => "a boolean",
        _ => "null",
    };

    public override JsonNode? ToJsonNode() => Kind switch
    {
        ScalarKind.String => JsonValue.Create(Text),
        ScalarKind.Number => JsonNode.Parse(Text!),
        ScalarKind.Boolean => JsonValue.Create(Text is "true" or "True" or "TRUE"),
        _ => null,
    };
}
