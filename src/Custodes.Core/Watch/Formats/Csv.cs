using System.Text;

namespace Custodes.Watch.Formats;

/// <summary>RFC 4180 fields of one CSV row (quotes, doubled quotes, delimiters and newlines inside quotes).</summary>
internal static class Csv
{
    public static List<string> Split(ReadOnlySpan<byte> row, byte delimiter)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var text = Encoding.UTF8.GetString(row);
        var i = 0;
        while (true)
        {
            sb.Clear();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(text[i++]);
                }
                // Text after the closing quote up to the delimiter is kept rather than dropped.
                while (i < text.Length && text[i] != (char)delimiter) sb.Append(text[i++]);
            }
            else
            {
                while (i < text.Length && text[i] != (char)delimiter) sb.Append(text[i++]);
            }
            fields.Add(sb.ToString().TrimEnd('\r'));
            if (i >= text.Length) break;
            i++; // the delimiter
        }
        return fields;
    }

    /// <summary>The delimiter of a header row: the most frequent of comma, semicolon, tab outside quotes.</summary>
    public static byte DetectDelimiter(ReadOnlySpan<byte> header)
    {
        int comma = 0, semicolon = 0, tab = 0;
        var quoted = false;
        foreach (var b in header)
        {
            if (b == '"') quoted = !quoted;
            else if (!quoted && b == ',') comma++;
            else if (!quoted && b == ';') semicolon++;
            else if (!quoted && b == '\t') tab++;
        }
        return tab > comma && tab > semicolon ? (byte)'\t' : semicolon > comma ? (byte)';' : (byte)',';
    }
}

/// <summary>Reads CSV records against the header row, which is the first non-blank record.</summary>
internal sealed class CsvRowReader
{
    private string[]? _header;
    private byte _delimiter = (byte)',';

    public string[]? Header => _header;

    /// <summary>The row, or null when this record was the header.</summary>
    public FlatRow? Read(ReadOnlySpan<byte> record)
    {
        if (_header is null)
        {
            _delimiter = Csv.DetectDelimiter(record);
            _header = [.. Csv.Split(record, _delimiter).Select(h => h.Trim())];
            if (_header.All(string.IsNullOrWhiteSpace)) throw new RecordRejectedException("empty CSV header row");
            return null;
        }
        var values = Csv.Split(record, _delimiter);
        if (values.Count > _header.Length && values.Skip(_header.Length).Any(v => v.Length > 0))
            throw new RecordRejectedException($"row has {values.Count} fields but the header has {_header.Length}");
        var row = new FlatRow();
        for (var i = 0; i < _header.Length; i++)
            if (_header[i].Length > 0) row.Add(_header[i], i < values.Count ? values[i] : "");
        return row;
    }
}
