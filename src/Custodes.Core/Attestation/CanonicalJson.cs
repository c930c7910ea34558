using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Attestation;

/// <summary>RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of a JSON value, for hashing and signing.</summary>
/// <remarks>
/// Object members sorted by their names' UTF-16 code units, no whitespace, numbers as ECMAScript's Number.prototype.toString
/// writes them, strings with only the escapes JSON requires. Input must be I-JSON: duplicate names, lone surrogates and
/// numbers outside IEEE 754 doubles are bad input.
/// </remarks>
public static class CanonicalJson
{
    /// <summary>Parses UTF-8 JSON and returns its canonical form.</summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json, string? file = null)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json)) throw new BadInputException("not UTF-8", file);
        JsonDocument document;
        long consumed;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 128 });
            document = JsonDocument.ParseValue(ref reader);
            consumed = reader.BytesConsumed;
        }
        catch (JsonException e)
        {
            throw new BadInputException($"not valid JSON: {e.Message}", file, e.Path, e.LineNumber + 1, e);
        }
        using (document)
        {
            if (!IsWhitespace(utf8Json[(int)consumed..])) throw new BadInputException("unexpected text after the JSON value", file);
            try
            {
                return Serialize(document.RootElement);
            }
            catch (BadInputException e) when (file is not null)
            {
                throw e.InFile(file);
            }
        }
    }

    /// <summary>The canonical UTF-8 bytes of a parsed JSON value.</summary>
    public static byte[] Serialize(JsonElement element)
    {
        var output = new ArrayBufferWriter<byte>(256);
        Write(output, element, "$");
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The canonical UTF-8 bytes of a JSON node (null is JSON null).</summary>
    public static byte[] Serialize(JsonNode? node) => Serialize(JsonSerializer.SerializeToElement(node));

    /// <summary>Formats a double as ECMAScript's Number::toString does (RFC 8785 §3.2.2.3).</summary>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value)) throw new BadInputException($"{value} cannot be written in JSON");
        if (value == 0) return "0"; // and -0 too

        // .NET's round-trip format gives the shortest digits that read back to the same double, which is what
        // ECMAScript asks for; only the layout around them differs.
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = roundTrip[0] == '-';
        var text = negative ? roundTrip.AsSpan(1) : roundTrip.AsSpan();
        var exponent = 0;
        var e = text.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var integerDigits = dot < 0 ? text.Length : dot;
        Span<char> digits = stackalloc char[32];
        var k = 0;
        foreach (var c in text)
            if (c != '.') digits[k++] = c;

        // value = 0.d₁d₂…dₖ × 10ⁿ, with no leading or trailing zero digit.
        var n = integerDigits + exponent;
        var lead = 0;
        while (lead < k - 1 && digits[lead] == '0') lead++;
        n -= lead;
        var s = digits[lead..k].TrimEnd('0');
        k = s.Length;

        var result = new StringBuilder(32);
        if (negative) result.Append('-');
        if (k <= n && n <= 21)
        {
            result.Append(s).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            result.Append(s[..n]).Append('.').Append(s[n..]);
        }
        else if (-6 < n && n <= 0)
        {
            result.Append("0.").Append('0', -n).Append(s);
        }
        else
        {
            result.Append(s[0]);
            if (k > 1) result.Append('.').Append(s[1..]);
            result.Append('e').Append(n - 1 >= 0 ? '+' : '-').Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }

    private static void Write(ArrayBufferWriter<byte> output, JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<(string Name, JsonElement Value)>();
                foreach (var property in element.EnumerateObject()) members.Add((ReadString(() => property.Name, path), property.Value));
                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                output.Write("{"u8);
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        if (members[i].Name == members[i - 1].Name) throw new BadInputException($"duplicate member name '{members[i].Name}'", path: path);
                        output.Write(","u8);
                    }
                    WriteString(output, members[i].Name);
                    output.Write(":"u8);
                    Write(output, members[i].Value, $"{path}.{members[i].Name}");
                }
                output.Write("}"u8);
                break;
            case JsonValueKind.Array:
                output.Write("["u8);
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index > 0) output.Write(","u8);
                    Write(output, item, $"{path}[{index}]");
                    index++;
                }
                output.Write("]"u8);
                break;
            case JsonValueKind.String:
                WriteString(output, ReadString(element.GetString, path)!);
                break;
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                    throw new BadInputException($"number {raw} is outside the range of IEEE 754 doubles", path: path);
                output.Write(Encoding.ASCII.GetBytes(FormatNumber(number)));
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            case JsonValueKind.Null:
                output.Write("null"u8);
                break;
            default:
                throw new BadInputException($"no JSON value at {path}", path: path);
        }
    }

    private static string ReadString(Func<string?> read, string path)
    {
        string? value;
        try
        {
            value = read();
        }
        catch (InvalidOperationException e)
        {
            throw new BadInputException("string is not valid Unicode (a lone surrogate?)", path: path, inner: e);
        }
        if (value is null) throw new BadInputException("expected a string", path: path);
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(value[i])) throw new BadInputException($"string holds a lone surrogate U+{(int)value[i]:X4}", path: path);
        }
        return value;
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string value)
    {
        output.Write("\""u8);
        var run = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            WriteUtf8(output, value.AsSpan(run, i - run));
            run = i + 1;
            switch (c)
            {
                case '"': output.Write("\\\""u8); break;
                case '\\': output.Write("\\\\"u8); break;
                case '\b': output.Write("\\b"u8); break;
                case '\t': output.Write("\\t"u8); break;
                case '\n': output.Write("\\n"u8); break;
                case '\f': output.Write("\\f"u8); break;
                case '\r': output.Write("\\r"u8); break;
                default:
                    output.Write(Encoding.ASCII.GetBytes($"\\u{(int)c:x4}"));
                    break;
            }
        }
        WriteUtf8(output, value.AsSpan(run));
        output.Write("\""u8);
    }

    private static void WriteUtf8(ArrayBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return;
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> rest) => rest.IndexOfAnyExcept(" \t\r\n"u8) < 0;
}
