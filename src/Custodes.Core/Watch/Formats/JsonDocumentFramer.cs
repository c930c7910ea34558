using System.Text.Json;

namespace Custodes.Watch.Formats;

/// <summary>Cuts a JSON document into records without loading it: the elements of a top-level array, the elements of a
/// known wrapper array (<c>{"activities": [...]}</c>, <c>{"Result": [...]}</c>), or top-level values one after another.
/// A record over the size limit is skipped (its first bytes kept); malformed JSON ends the file with one reported record.</summary>
internal sealed class JsonDocumentFramer : IRecordFramer
{
    private enum Mode { TopLevel, InRecordsArray, InWrapper }

    private readonly InputBuffer _input;
    private readonly int _maxRecordBytes;
    private readonly int _maxBuffer;
    private readonly HashSet<string> _wrappers;

    private JsonReaderState _state = new(new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 256 });
    private long _position;              // stream position where the reader resumes
    private bool _done;

    private Mode _mode = Mode.TopLevel;
    private int _recordDepth;            // depth of the records inside the open records array (1 or 2)
    private bool _expectWrapperArray;    // the last property name at depth 1 names a wrapper array

    private long _recordStart = -1;      // stream position where the current record starts
    private long _recordLine;
    private int _recordTokenDepth;
    private bool _candidate;             // current record is a top-level object that may turn out to be a wrapper
    private byte[]? _oversizePrefix;     // set while skipping an oversize record

    private long _line = 1;
    private long _lineCountedTo;

    public JsonDocumentFramer(InputBuffer input, int maxRecordBytes, IEnumerable<string> wrappers)
    {
        _input = input;
        _maxRecordBytes = maxRecordBytes;
        _maxBuffer = (int)Math.Min(int.MaxValue / 2, Math.Max(64L << 20, (long)maxRecordBytes * 4));
        _wrappers = new HashSet<string>(wrappers, StringComparer.OrdinalIgnoreCase);
        _position = _lineCountedTo = input.Offset + input.Start;
    }

    public bool TryRead(out RawRecord record)
    {
        record = default;
        if (_done) return false;
        while (true)
        {
            var keepFrom = _recordStart >= 0 && _oversizePrefix is null ? _recordStart : _position;
            LineAt(keepFrom); // count newlines before their bytes may be dropped
            _input.Start = (int)(keepFrom - _input.Offset);
            var resume = (int)(_position - _input.Offset);
            var reader = new Utf8JsonReader(_input.Buffer.AsSpan(resume, _input.End - resume), _input.Eof, _state);
            try
            {
                while (reader.Read())
                {
                    if (!Token(ref reader, resume, out record)) continue;
                    Advance(resume, ref reader);
                    return true;
                }
            }
            catch (JsonException e)
            {
                var at = _recordStart >= 0 ? _recordLine : LineAt(_position) + (e.LineNumber ?? 0);
                var reason = e.Message.Split(" LineNumber")[0].TrimEnd('.', ' ');
                record = Broken(_input.Eof ? $"malformed or truncated JSON ({reason}); the rest of the file was not read" : $"malformed JSON ({reason}); the rest of the file was not read", at);
                _done = true;
                return true;
            }
            Advance(resume, ref reader);

            if (_input.Eof)
            {
                _done = true;
                if (_recordStart >= 0 || _mode != Mode.TopLevel)
                {
                    record = Broken("file ends inside a JSON value (truncated)", _recordStart >= 0 ? _recordLine : LineAt(_position));
                    return true;
                }
                return false;
            }
            if (_recordStart >= 0 && _oversizePrefix is null && _position - _recordStart > _maxRecordBytes)
                _oversizePrefix = Slice(_recordStart, Framing.KeptPrefix);
            if (_input.Fill(_maxBuffer) < 0)
            {
                record = Broken($"a single JSON token is larger than {_maxBuffer:N0} bytes; the rest of the file was not read", LineAt(_position));
                _done = true;
                return true;
            }
        }
    }

    private void Advance(int resume, ref Utf8JsonReader reader)
    {
        _position = _input.Offset + resume + reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>Handles one token; true when it completed a record.</summary>
    private bool Token(ref Utf8JsonReader reader, int resume, out RawRecord record)
    {
        record = default;
        var depth = reader.CurrentDepth;
        var type = reader.TokenType;
        var tokenStart = _input.Offset + resume + reader.TokenStartIndex;
        var tokenEnd = _input.Offset + resume + reader.BytesConsumed;

        if (_recordStart >= 0)
        {
            if (_candidate && depth == 1)
            {
                if (type == JsonTokenType.PropertyName)
                {
                    _expectWrapperArray = _wrappers.Contains(reader.GetString()!);
                    return false;
                }
                if (type == JsonTokenType.StartArray && _expectWrapperArray)
                {
                    // Not a record after all: a wrapper whose array holds the records.
                    _recordStart = -1;
                    _candidate = false;
                    _oversizePrefix = null;
                    _expectWrapperArray = false;
                    _mode = Mode.InRecordsArray;
                    _recordDepth = 2;
                    return false;
                }
                _expectWrapperArray = false;
            }
            if (type is JsonTokenType.EndObject or JsonTokenType.EndArray && depth == _recordTokenDepth)
            {
                record = Complete(tokenEnd);
                return true;
            }
            return false;
        }

        switch (_mode)
        {
            case Mode.TopLevel:
                if (depth != 0) return false;
                if (type == JsonTokenType.StartArray)
                {
                    _mode = Mode.InRecordsArray;
                    _recordDepth = 1;
                    return false;
                }
                return StartRecord(type, depth, tokenStart, tokenEnd, candidate: type == JsonTokenType.StartObject, out record);

            case Mode.InRecordsArray:
                if (type == JsonTokenType.EndArray && depth == _recordDepth - 1)
                {
                    _mode = _recordDepth == 2 ? Mode.InWrapper : Mode.TopLevel;
                    return false;
                }
                return depth == _recordDepth && StartRecord(type, depth, tokenStart, tokenEnd, candidate: false, out record);

            default: // InWrapper: the records array closed; look for another one until the wrapper ends
                if (depth == 0 && type == JsonTokenType.EndObject) _mode = Mode.TopLevel;
                else if (depth == 1 && type == JsonTokenType.PropertyName) _expectWrapperArray = _wrappers.Contains(reader.GetString()!);
                else if (depth == 1 && type == JsonTokenType.StartArray && _expectWrapperArray)
                {
                    _mode = Mode.InRecordsArray;
                    _recordDepth = 2;
                    _expectWrapperArray = false;
                }
                else if (depth == 1) _expectWrapperArray = false;
                return false;
        }
    }

    private bool StartRecord(JsonTokenType type, int depth, long tokenStart, long tokenEnd, bool candidate, out RawRecord record)
    {
        record = default;
        _recordStart = tokenStart;
        _recordLine = LineAt(tokenStart);
        _recordTokenDepth = depth;
        _candidate = candidate;
        _expectWrapperArray = false;
        if (type is JsonTokenType.StartObject or JsonTokenType.StartArray) return false;
        record = Complete(tokenEnd); // a scalar record ends where it starts
        return true;
    }

    private RawRecord Complete(long end)
    {
        var length = end - _recordStart;
        RawRecord record;
        if (_oversizePrefix is not null || length > _maxRecordBytes)
            record = new RawRecord(_recordLine, _oversizePrefix ?? Slice(_recordStart, Framing.KeptPrefix), length, Framing.TooLarge(length, _maxRecordBytes));
        else
            record = new RawRecord(_recordLine, _input.Buffer.AsMemory((int)(_recordStart - _input.Offset), (int)length), length);
        _recordStart = -1;
        _candidate = false;
        _oversizePrefix = null;
        return record;
    }

    private RawRecord Broken(string problem, long line)
    {
        var from = _recordStart >= 0 && _oversizePrefix is null ? _recordStart : _position;
        var kept = _oversizePrefix ?? Slice(from, Framing.KeptPrefix);
        return new RawRecord(line, kept, kept.Length, problem);
    }

    private byte[] Slice(long from, int max)
    {
        var start = (int)Math.Clamp(from - _input.Offset, 0, _input.End);
        return _input.Buffer.AsSpan(start, Math.Min(max, _input.End - start)).ToArray();
    }

    /// <summary>Line number at a stream position, counting newlines since the last position asked (positions only grow).</summary>
    private long LineAt(long position)
    {
        if (position <= _lineCountedTo) return _line;
        var from = (int)(_lineCountedTo - _input.Offset);
        var to = (int)Math.Min(position - _input.Offset, _input.End);
        if (from >= 0 && to > from) _line += _input.Buffer.AsSpan(from, to - from).Count((byte)'\n');
        _lineCountedTo = position;
        return _line;
    }
}
