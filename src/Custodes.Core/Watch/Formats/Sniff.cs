using System.Text.Json;

namespace Custodes.Watch.Formats;

/// <summary>Guesses an input's framing from its first bytes.</summary>
internal static class Sniff
{
    /// <summary>JSON Lines when the first line is a complete JSON value; a JSON document when it starts with <c>[</c> or
    /// its first value spans lines; CSV otherwise (when <paramref name="csvElse"/>) or lines.</summary>
    public static RecordFraming JsonOrElse(ReadOnlySpan<byte> head, bool csvElse)
    {
        var start = head.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0) return csvElse ? RecordFraming.CsvRows : RecordFraming.Lines;
        var first = head[start];
        if (first == '[') return RecordFraming.JsonDocument;
        if (first != '{') return csvElse ? RecordFraming.CsvRows : RecordFraming.Lines;
        var rest = head[start..];
        var newline = rest.IndexOf((byte)'\n');
        var line = newline < 0 ? rest : rest[..newline];
        return IsCompleteJson(line) ? RecordFraming.Lines : RecordFraming.JsonDocument;
    }

    private static bool IsCompleteJson(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line, isFinalBlock: true, default);
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
