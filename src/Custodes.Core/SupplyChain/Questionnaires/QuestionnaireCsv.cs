using System.Text;
using Custodes.Common;

namespace Custodes.SupplyChain.Questionnaires;

/// <summary>Writes a questionnaire as CSV (RFC 4180; metadata as leading <c># key: value</c> lines, then the table) and reads a filled one back.</summary>
public static class QuestionnaireCsv
{
    public static byte[] Write(QuestionnaireResponse response)
    {
        var (meta, rows) = QuestionnaireTable.From(response);
        var sb = new StringBuilder();
        foreach (var m in meta) sb.Append("# ").Append(m[0]).Append(": ").Append(m[1].ReplaceLineEndings(" ")).Append("\r\n");
        foreach (var row in rows) sb.Append(string.Join(",", row.Select(Quote))).Append("\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 || value.StartsWith('#') ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    public static QuestionnaireTable Read(ReadOnlySpan<byte> bytes, string file)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new BadInputException($"the file is not valid UTF-8 (byte offset {e.Index})", file, inner: e);
        }
        var meta = new List<TableCell[]>();
        var rows = new List<TableCell[]>();
        var i = 0;
        var line = 1L;
        while (i < text.Length)
        {
            if (text[i] == '#' && rows.Count == 0)
            {
                var end = text.IndexOf('\n', i);
                var content = (end < 0 ? text[(i + 1)..] : text[(i + 1)..end]).TrimEnd('\r').Trim();
                var colon = content.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) throw new BadInputException("expected a metadata line '# key: value'", file, $"line {line}", line);
                var where = $"line {line}";
                meta.Add([new TableCell(content[..colon].Trim(), where, line), new TableCell(content[(colon + 1)..].Trim(), where, line)]);
                i = end < 0 ? text.Length : end + 1;
                line++;
                continue;
            }
            var cells = new List<TableCell>();
            var field = new StringBuilder();
            var atRowEnd = false;
            while (!atRowEnd)
            {
                var fieldLine = line;
                field.Clear();
                if (i < text.Length && text[i] == '"')
                {
                    i++;
                    while (true)
                    {
                        if (i >= text.Length) throw new BadInputException("a quoted field is not closed", file, $"row {rows.Count + 1}, column {cells.Count + 1}", fieldLine);
                        if (text[i] == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                            i++;
                            break;
                        }
                        if (text[i] == '\n') line++;
                        field.Append(text[i++]);
                    }
                    if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                        throw new BadInputException("unexpected text after a quoted field", file, $"row {rows.Count + 1}, column {cells.Count + 1}", line);
                }
                else
                {
                    while (i < text.Length && text[i] is not (',' or '\r' or '\n')) field.Append(text[i++]);
                }
                cells.Add(new TableCell(field.ToString().Trim(), $"row {rows.Count + 1}, column {cells.Count + 1}", fieldLine));
                if (i < text.Length && text[i] == ',') { i++; continue; }
                if (i < text.Length && text[i] == '\r') i++;
                if (i < text.Length && text[i] == '\n') i++;
                line++;
                atRowEnd = true;
            }
            rows.Add([.. cells]);
        }
        // Name columns by header, so errors read "row 3, column answer".
        if (rows.Count > 0)
        {
            var header = rows[0].Select(c => c.Text).ToArray();
            for (var r = 1; r < rows.Count; r++)
                for (var c = 0; c < rows[r].Length; c++)
                    rows[r][c] = rows[r][c] with { Where = $"row {r + 1}, column {(c < header.Length && header[c].Length > 0 ? header[c] : (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))}" };
        }
        return new QuestionnaireTable(file, meta, rows);
    }
}
