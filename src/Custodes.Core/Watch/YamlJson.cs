using System.Globalization;
using System.Text.Json.Nodes;
using Custodes.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Custodes.Watch;

/// <summary>YAML documents as JSON nodes, so settings and rules are read the same way from YAML or JSON. Plain scalars
/// that read as numbers or booleans become numbers or booleans; quoted ones stay strings.</summary>
internal static class YamlJson
{
    public static IReadOnlyList<JsonNode?> Documents(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new BadInputException($"invalid YAML: {e.InnerException?.Message ?? e.Message}", file, line: e.Start.Line);
        }
        return [.. stream.Documents.Select(d => Convert(d.RootNode, file))];
    }

    public static JsonNode? Convert(YamlNode node, string file) => node switch
    {
        YamlMappingNode map => Object(map, file),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(c => Convert(c, file))]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new BadInputException("YAML aliases and anchors are not supported", file, line: node.Start.Line),
    };

    private static JsonObject Object(YamlMappingNode map, string file)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? throw new BadInputException("mapping keys must be scalars", file, line: key.Start.Line);
            if (obj.ContainsKey(name)) throw new BadInputException($"duplicate key '{name}'", file, line: key.Start.Line);
            obj[name] = Convert(value, file);
        }
        return obj;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
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
