using System.Text.Json.Nodes;
using Custodes.Common;
using Custodes.Watch.Detection;

namespace Custodes.Watch.Sigma;

/// <summary>Loads Sigma rules from YAML files or directories: <c>title</c>, <c>id</c>, <c>level</c>, <c>detection</c> with
/// named selections (maps are AND, lists of maps OR, lists of strings keywords), field modifiers
/// <c>contains|startswith|endswith|re|all|cased|exists|cidr</c>, and <c>condition</c> with <c>and/or/not</c>, parentheses,
/// <c>1 of selection*</c>, <c>all of them</c>. Aggregations (<c>| count()</c>) are refused, not ignored.</summary>
public static class SigmaLoader
{
    /// <summary>The rules of several documents (YAML text and the name errors give); a rule id may appear only once across them.</summary>
    public static IReadOnlyList<SigmaRule> Parse(IEnumerable<(string Yaml, string File)> documents)
    {
        var rules = new List<SigmaRule>();
        foreach (var (yaml, file) in documents) rules.AddRange(Parse(yaml, file));
        var duplicate = rules.GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new BadInputException($"Sigma rule id '{duplicate.Key}' appears more than once ({string.Join(", ", duplicate.Select(r => r.File))})");
        return rules;
    }

    public static IReadOnlyList<SigmaRule> Parse(string yaml, string file = "sigma")
    {
        var rules = new List<SigmaRule>();
        foreach (var document in YamlJson.Documents(yaml, file))
        {
            if (document is null) continue;
            if (document is not JsonObject rule) throw new BadInputException("a Sigma rule must be a mapping", file);
            if (rule["action"] is not null) throw new BadInputException("Sigma rule collections (action: global/reset/repeat) are not supported; one rule per document", file);
            rules.Add(Rule(rule, file));
        }
        return rules;
    }

    private static SigmaRule Rule(JsonObject rule, string file)
    {
        var title = Text(rule["title"]) ?? throw new BadInputException("missing 'title'", file, "$.title");
        var id = Text(rule["id"]) ?? Slug(title);
        if (rule["detection"] is not JsonObject detection) throw new BadInputException("missing 'detection' mapping", file, "$.detection");
        var conditionNode = detection["condition"] ?? throw new BadInputException("missing 'detection.condition'", file, "$.detection.condition");
        var selections = new Dictionary<string, SigmaNode>(StringComparer.Ordinal);
        foreach (var (name, node) in detection)
        {
            if (name == "condition" || name == "timeframe") continue;
            selections[name] = Selection(node, file, $"$.detection.{name}");
        }
        var conditions = conditionNode is JsonArray list ? list.Select(c => Text(c) ?? "").ToArray() : [Text(conditionNode) ?? ""];
        var compiled = conditions.Select(c => SigmaCondition.Parse(c, selections, file)).ToArray();
        return new SigmaRule
        {
            Id = id,
            Title = title,
            Description = Text(rule["description"]),
            Level = Level(Text(rule["level"]), file),
            Requirements = Requirements(rule["requirements"], file),
            File = file,
            Condition = compiled.Length == 1 ? compiled[0] : new OrNode(compiled),
        };
    }

    private static SigmaNode Selection(JsonNode? node, string file, string path)
    {
        switch (node)
        {
            case JsonObject map:
                return new AndNode([.. map.Select(kv => Field(kv.Key, kv.Value, file, $"{path}.{kv.Key}"))]);
            case JsonArray list when list.All(i => i is JsonObject):
                return new OrNode([.. list.Select((item, i) => Selection(item, file, $"{path}[{i}]"))]);
            case JsonArray list:
                return new KeywordNode([.. list.Select(v => SigmaValues.Build(Text(v) ?? "", "contains", cased: false, regexIgnoreCase: false))]);
            case JsonValue value:
                return new KeywordNode([SigmaValues.Build(Text(value) ?? "", "contains", cased: false, regexIgnoreCase: false)]);
            default:
                throw new BadInputException("a selection must be a mapping, a list of mappings, or a list of keywords", file, path);
        }
    }

    private static SigmaNode Field(string key, JsonNode? value, string file, string path)
    {
        var parts = key.Split('|');
        var field = SigmaFields.Resolve(parts[0]);
        var kind = "equals";
        bool all = false, cased = false, regexIgnoreCase = false;
        bool? exists = null;
        foreach (var modifier in parts.Skip(1))
        {
            switch (modifier)
            {
                case "contains" or "startswith" or "endswith" or "re" or "cidr": kind = modifier; break;
                case "all": all = true; break;
                case "cased": cased = true; break;
                case "i" when kind == "re": regexIgnoreCase = true; break;
                case "m" or "s" when kind == "re": break;
                case "exists": exists = value is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw new BadInputException("'exists' takes true or false", file, path); break;
                default: throw new BadInputException($"unsupported Sigma modifier '{modifier}' (supported: contains, startswith, endswith, re, all, cased, exists, cidr)", file, path);
            }
        }
        if (exists is not null) return new FieldNode(field, [], false, exists);
        var values = value switch
        {
            null => [],
            JsonArray list => list.Select(v => Text(v)).ToList(),
            _ => [Text(value)],
        };
        try
        {
            // A null in a list means "absent", which only a list of one null can express; other values are matched.
            if (values.All(v => v is null)) return new FieldNode(field, [], false, null);
            return new FieldNode(field, [.. values.Where(v => v is not null).Select(v => SigmaValues.Build(v!, kind, cased, regexIgnoreCase))], all, null);
        }
        catch (ArgumentException e)
        {
            throw new BadInputException($"invalid {kind} value: {e.Message}", file, path);
        }
        catch (FormatException e)
        {
            throw new BadInputException($"invalid {kind} value: {e.Message}", file, path);
        }
    }

    // Not a Sigma field: Custodes' own, naming the requirements a match is evidence against (other Sigma tools ignore unknown fields).
    private static IReadOnlyList<string> Requirements(JsonNode? node, string file) => node switch
    {
        null => [],
        JsonValue v => RuleRequirements.Validate([Text(v) ?? ""], file, "$.requirements"),
        JsonArray list when list.All(i => i is JsonValue) => RuleRequirements.Validate([.. list.Select(i => Text(i) ?? "")], file, "$.requirements"),
        _ => throw new BadInputException("'requirements' is a list of NIST SP 800-171 r2 requirement ids, e.g. [3.5.3, 3.1.12]", file, "$.requirements"),
    };

    private static Severity Level(string? level, string file) => level?.ToLowerInvariant() switch
    {
        null or "medium" => Severity.Medium,
        "informational" or "low" => Severity.Low,
        "high" => Severity.High,
        "critical" => Severity.Critical,
        _ => throw new BadInputException($"unknown level '{level}' (informational, low, medium, high, critical)", file, "$.level"),
    };

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    private static string Slug(string title) =>
        System.Text.RegularExpressions.Regex.Replace(title.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
}
