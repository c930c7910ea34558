namespace Custodes.Watch.Formats;

/// <summary>Cuts an input into lines (NDJSON, syslog) or, quote-aware, into CSV rows whose quoted fields may span lines.
/// Records over the size limit are skipped to their end without being buffered and reported with their first bytes.</summary>
internal sealed class LineFramer(InputBuffer input, int maxRecordBytes, bool quoteAware) : IRecordFramer
{
    private long _line = 1;
    private int _scan;           // how far (from input.Start) the current record has been scanned
    private bool _inQuotes;
    private int _innerNewlines;  // newlines inside quotes of the current record

    public bool TryRead(out RawRecord record)
    {
        while (true)
        {
            var span = input.Available;
            var end = FindEnd(span);
            if (end >= 0)
            {
                record = Emit(span, end, consumed: end + 1);
                return true;
            }
            if (span.Length > maxRecordBytes)
            {
                record = SkipOversize();
                return true;
            }
            var read = input.Fill(maxRecordBytes + 1);
            if (read > 0) continue;
            if (read < 0)
            {
                record = SkipOversize();
                return true;
            }
            // End of input: the last line may lack its newline.
            span = input.Available;
            if (span.Length == 0)
            {
                record = default;
                return false;
            }
            record = Emit(span, span.Length, consumed: span.Length, unterminatedQuote: quoteAware && _inQuotes);
            return true;
        }
    }

    private RawRecord Emit(ReadOnlySpan<byte> span, int end, int consumed, bool unterminatedQuote = false)
    {
        var length = end > 0 && span[end - 1] == '\r' ? end - 1 : end;
        var record = new RawRecord(_line, input.Buffer.AsMemory(input.Start, length), length,
            unterminatedQuote ? "file ends inside a quoted field (truncated)" : null);
        if (unterminatedQuote) record = record with { Bytes = record.Bytes[..Math.Min(length, Framing.KeptPrefix)] };
        input.Start += consumed;
        _line += 1 + _innerNewlines;
        Reset();
        return record;
    }

    private void Reset()
    {
        _scan = 0;
        _inQuotes = false;
        _innerNewlines = 0;
    }

    /// <summary>Index of the newline ending the record, or -1 after scanning all of <paramref name="span"/>.</summary>
    private int FindEnd(ReadOnlySpan<byte> span)
    {
        if (!quoteAware)
        {
            var at = span[_scan..].IndexOf((byte)'\n');
            if (at >= 0) return _scan + at;
            _scan = span.Length;
            return -1;
        }
        while (_scan < span.Length)
        {
            var at = span[_scan..].IndexOfAny((byte)'"', (byte)'\n');
            if (at < 0)
            {
                _scan = span.Length;
                return -1;
            }
            var i = _scan + at;
            _scan = i + 1;
            if (span[i] == '"') _inQuotes = !_inQuotes;
            else if (_inQuotes) _innerNewlines++;
            else return i;
        }
        return -1;
    }

    /// <summary>Keeps the first bytes of an oversize record, then discards the rest up to its end chunk by chunk.</summary>
    private RawRecord SkipOversize()
    {
        var line = _line;
        var prefix = input.Available[..Math.Min(Framing.KeptPrefix, input.Available.Length)].ToArray();
        long length = 0;
        while (true)
        {
            var span = input.Available;
            var end = FindEnd(span);
            if (end >= 0)
            {
                length += end;
                input.Start += end + 1;
                break;
            }
            length += span.Length;
            input.Start = input.End;
            _scan = 0;
            if (input.Fill(maxRecordBytes + 1) == 0) break;
        }
        _line += 1 + _innerNewlines;
        Reset();
        return new RawRecord(line, prefix, length, Framing.TooLarge(length, maxRecordBytes));
    }
}
