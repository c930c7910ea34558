using System.Globalization;

namespace Custodes.Common.Documents;

/// <summary>Typed reads from a <see cref="DocNode"/> that fail with a located <see cref="BadInputException"/>.</summary>
public static class DocNodeExtensions
{
    public static DocMap AsMap(this DocNode node) =>
        node as DocMap ?? throw node.Error($"expected an object, found {node.KindName}");

    public static DocList AsList(this DocNode node) =>
        node as DocList ?? throw node.Error($"expected an array, found {node.KindName}");

    public static string AsString(this DocNode node) =>
        node is DocScalar { Kind: ScalarKind.String, Text: { } text } ? text : throw node.Error($"expected a string, found {node.KindName}");

    public static string AsNonEmptyString(this DocNode node)
    {
        var text = node.AsString();
        return string.IsNullOrWhiteSpace(text) ? throw node.Error("expected a non-empty string") : text;
    }

    public static bool AsBool(this DocNode node) => node switch
    {
        DocScalar { Kind: ScalarKind.Boolean, Text: var t } => t is "true" or "True" or "TRUE",
        _ => throw node.Error($"expected true or false, found {node.KindName}"),
    };

    public static int AsInt(this DocNode node, int min = int.MinValue, int max = int.MaxValue)
    {
        if (node is DocScalar { Kind: ScalarKind.Number, Text: { } t } && int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value < min || value > max ? throw node.Error($"expected an integer from {min} to {max}, found {value}") : value;
        throw node.Error($"expected an integer, found {node.KindName}");
    }

    /// <summary>A calendar date written YYYY-MM-DD (ISO 8601).</summary>
    public static DateOnly AsDate(this DocNode node)
    {
        var text = node is DocScalar { Text: { } t } && node is DocScalar { Kind: ScalarKind.String or ScalarKind.Number } ? t : null;
        return text is not null && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw node.Error($"expected a date written YYYY-MM-DD, found {Describe(node)}");
    }

    public static IReadOnlyList<string> AsStringList(this DocNode node) =>
        node.AsList().Items.Select(i => i.AsString()).ToArray();

    public static bool IsNull(this DocNode? node) => node is null or DocScalar { Kind: ScalarKind.Null };

    public static string Describe(DocNode node) => node is DocScalar { Kind: not ScalarKind.Null, Text: var t } ? $"'{t}'" : node.KindName;
}
