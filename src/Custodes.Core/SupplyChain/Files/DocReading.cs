using System.Globalization;
using Custodes.Common;
using Custodes.Common.Documents;

namespace Custodes.SupplyChain;

/// <summary>Small typed reads shared by the supply-chain file formats, on top of <see cref="DocNodeExtensions"/>.</summary>
internal static class DocReading
{
    public static DocNode Required(this DocMap map, string key) =>
        map.Get(key) is { } node && !node.IsNull() ? node : throw new BadInputException($"missing required field '{key}'", map.File, DocumentReader.Child(map.Path, key), map.Line);

    public static string? OptionalString(this DocMap map, string key) => map.Get(key) is { } node && !node.IsNull() ? node.AsString() : null;

    public static DateOnly? OptionalDate(this DocMap map, string key) => map.Get(key) is { } node && !node.IsNull() ? node.AsDate() : null;

    public static bool? OptionalBool(this DocMap map, string key) => map.Get(key) is { } node && !node.IsNull() ? node.AsBool() : null;

    public static int? OptionalInt(this DocMap map, string key, int min = int.MinValue, int max = int.MaxValue) =>
        map.Get(key) is { } node && !node.IsNull() ? node.AsInt(min, max) : null;

    /// <summary>A decimal number from <paramref name="min"/> to <paramref name="max"/> (hours, written 1.5 or 6), kept exact: schedules compare sums of them.</summary>
    public static decimal AsDecimal(this DocNode node, decimal min, decimal max)
    {
        if (node is DocScalar { Kind: ScalarKind.Number, Text: { } t } && decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return value < min || value > max ? throw node.Error($"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, found {t}") : value;
        throw node.Error($"expected a number, found {DocNodeExtensions.Describe(node)}");
    }

    public static decimal? OptionalDecimal(this DocMap map, string key, decimal min, decimal max) =>
        map.Get(key) is { } node && !node.IsNull() ? node.AsDecimal(min, max) : null;

    /// <summary>A scalar string or a list of strings (the contracts write <c>access: admin-all-endpoints</c>; several levels are a list).</summary>
    public static IReadOnlyList<DocNode> OneOrMany(this DocNode node) => node is DocList list ? list.Items : [node];

    public static T Enum<T>(this DocNode node, WireNames<T> names, string what) where T : struct, Enum =>
        node is DocScalar { Kind: ScalarKind.String } && names.TryParse(node.AsString(), out var value)
            ? value
            : throw node.Error($"unknown {what} {DocNodeExtensions.Describe(node)}; expected {names.Expected}");

    /// <summary>Flags from a list (or one scalar) of wire names; a name given twice is an error.</summary>
    public static T Flags<T>(this DocNode node, WireNames<T> names, string what) where T : struct, Enum
    {
        ulong value = 0;
        foreach (var item in node.OneOrMany())
        {
            var flag = Convert.ToUInt64(item.Enum(names, what), CultureInfo.InvariantCulture);
            if ((value & flag) != 0) throw item.Error($"{what} '{item.AsString()}' is listed twice");
            value |= flag;
        }
        return (T)System.Enum.ToObject(typeof(T), value);
    }

    /// <summary>Data classes: a list of CUI, FCI, PHI, PCI, PII, or <c>[none]</c> alone.</summary>
    public static DataClasses DataClasses(this DocNode node)
    {
        var items = node.OneOrMany();
        if (items.Count == 1 && items[0] is DocScalar { Kind: ScalarKind.String, Text: PortfolioNames.NoData }) return SupplyChain.DataClasses.None;
        foreach (var item in items)
            if (item is DocScalar { Text: PortfolioNames.NoData })
                throw item.Error("'none' cannot be combined with other data classes");
        if (node is DocList { Items.Count: 0 }) throw node.Error($"expected at least one data class ({PortfolioNames.Data.Expected}, or none)");
        try
        {
            return node.Flags(PortfolioNames.Data, "data class");
        }
        catch (BadInputException e) when (e.Message.StartsWith("unknown data class", StringComparison.Ordinal))
        {
            throw new BadInputException(e.Message.Replace("; expected one of ", "; expected none or one of ", StringComparison.Ordinal), e.File, e.Path, e.Line);
        }
    }

    /// <summary>Finds the node at a JSON path written by <see cref="DocumentReader.Child"/> (<c>$.a[2].b['3.1.1']</c>), or its nearest existing ancestor.</summary>
    public static DocNode Locate(DocNode root, string path)
    {
        var node = root;
        var i = 1; // past '$'
        while (i < path.Length)
        {
            DocNode? child = null;
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] != '.' && path[end] != '[') end++;
                child = (node as DocMap)?.Get(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i, StringComparison.Ordinal);
                if (end < 0) break;
                child = (node as DocMap)?.Get(path[(i + 2)..end].Replace("\\'", "'", StringComparison.Ordinal));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0) break;
                if (int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && node is DocList list && index < list.Items.Count)
                    child = list.Items[index];
                i = end + 1;
            }
            else break;
            if (child is null) break;
            node = child;
        }
        return node;
    }

    /// <summary>An error at a JSON path of a document, located at that node (or the nearest one that exists) with file and line.</summary>
    public static BadInputException ErrorAt(DocNode root, string path, string message)
    {
        var node = Locate(root, path);
        return new BadInputException(message, node.File, path, node.Line);
    }
}
