using System.Text;
using System.Text.Json;

namespace Custodes.SupplyChain;

/// <summary>Writes a JSON document as block-style YAML that <see cref="Common.Documents.DocumentReader"/> reads back to the same values.</summary>
/// <remarks>Strings are written as JSON string literals, which are valid YAML double-quoted scalars, so no value changes type on the way back.</remarks>
internal static class YamlText
{
    public static byte[] FromJson(ReadOnlySpan<byte> json, string? header = null)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var sb = new StringBuilder();
        if (header is not null) sb.Append("# ").Append(header).Append('\n');
        WriteMapBody(sb, document.RootElement, 0);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void WriteMapBody(StringBuilder sb, JsonElement obj, int indent, bool firstInline = false)
    {
        var first = true;
        foreach (var property in obj.EnumerateObject())
        {
            if (!(first && firstInline)) sb.Append(' ', indent);
            first = false;
            sb.Append(Key(property.Name)).Append(':');
            WriteValue(sb, property.Value, indent);
        }
    }

    private static void WriteValue(StringBuilder sb, JsonElement value, int indent)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.EnumerateObject().Any():
                sb.Append('\n');
                WriteMapBody(sb, value, indent + 2);
                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0 && value.EnumerateArray().Any(e => e.ValueKind is JsonValueKind.Object or JsonValueKind.Array):
                sb.Append('\n');
                foreach (var item in value.EnumerateArray())
                {
                    sb.Append(' ', indent + 2).Append("- ");
                    if (item.ValueKind == JsonValueKind.Object && item.EnumerateObject().Any()) WriteMapBody(sb, item, indent + 4, firstInline: true);
                    else sb.Append(Flow(item)).Append('\n');
                }
                break;
            default:
                sb.Append(' ').Append(Flow(value)).Append('\n');
                break;
        }
    }

    private static string Flow(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => $"[{string.Join(", ", value.EnumerateArray().Select(Flow))}]",
        JsonValueKind.Object => value.EnumerateObject().Any()
            ? $"{{{string.Join(", ", value.EnumerateObject().Select(p => $"{Key(p.Name)}: {Flow(p.Value)}"))}}}"
            : "{}",
        _ => value.GetRawText(),
    };

    private static string Key(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(key[0]) ? key : JsonSerializer.Serialize(key);
}
