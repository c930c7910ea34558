using System.Globalization;
using System.Text.Json.Nodes;
using Custodes.Common;
using Custodes.Common.Documents;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Custodes.Watch;

/// <summary>YAML documents as JSON nodes, so settings and rules are read the same way from YAML or JSON. Plain scalars
/// that read as numbers or booleans become numbers or booleans; quoted ones stay strings.</summary>
/// <remarks>Read from the parser's events rather than YamlDotNet's representation model: that model loads by recursion with no
/// depth limit (a deeply nested document overflows the stack and ends the process) and resolves aliases to shared nodes, which
/// the conversion would expand without bound ("billion laughs"). Here nesting stops at <see cref="DocumentReader.MaxDepth"/>
/// and aliases are refused.</remarks>
internal static class YamlJson
{
    public static IReadOnlyList<JsonNode?> Documents(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<JsonNode?>();
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                documents.Add(Value(parser, file, "$", 1));
                parser.Consume<DocumentEnd>();
            }
            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            throw new BadInputException($"invalid YAML: {e.InnerException?.Message ?? e.Message}", file, line: e.Start.Line);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner reports some syntax errors (an unclosed flow collection) this way.
            throw new BadInputException($"invalid YAML: {e.Message}", file, line: parser.Current?.Start.Line ?? 1);
        }
        return documents;
    }

    private static JsonNode? Value(IParser parser, string file, string path, int depth)
    {
        if (parser.TryConsume<Scalar>(out var scalar)) return Scalar(scalar);
        if (depth > DocumentReader.MaxDepth && parser.Current is MappingStart or SequenceStart) throw DocumentReader.TooDeep(file, path, parser.Current.Start.Line);
        if (parser.TryConsume<MappingStart>(out _))
        {
            var obj = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current;
                if (!parser.TryConsume<Scalar>(out var key)) throw new BadInputException("mapping keys must be scalars", file, path, keyEvent?.Start.Line);
                var childPath = DocumentReader.Child(path, key.Value);
                if (obj.ContainsKey(key.Value)) throw new BadInputException($"duplicate key '{key.Value}'", file, childPath, key.Start.Line);
                obj[key.Value] = Value(parser, file, childPath, depth + 1);
            }
            return obj;
        }
        if (parser.TryConsume<SequenceStart>(out _))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _)) array.Add(Value(parser, file, $"{path}[{array.Count}]", depth + 1));
            return array;
        }
        var current = parser.Current;
        throw new BadInputException(current is AnchorAlias alias ? $"YAML aliases (*{alias.Value}) are not supported; write the value out" : $"unexpected YAML {current?.GetType().Name}",
            file, path, current?.Start.Line);
    }

    private static JsonNode? Scalar(Scalar scalar)
    {
        var v = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain) return JsonValue.Create(v);
        if (v is "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && v.Any(char.IsDigit) && !v.Contains(':')) return JsonValue.Create(d);
        return JsonValue.Create(v);
    }
}
