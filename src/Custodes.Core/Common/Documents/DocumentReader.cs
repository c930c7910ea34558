using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Custodes.Common.Documents;

/// <summary>Reads JSON or YAML into a <see cref="DocNode"/> tree that keeps lines and paths; rejects duplicate keys.</summary>
/// <remarks>Both formats stop at <see cref="MaxDepth"/> levels of nesting before recursing further: the tree is built by recursion, and a
/// body of 25,000 '[' would otherwise overflow the stack and end the process (a catchable error it is not). YAML aliases are refused, so a
/// small document cannot expand into a huge tree ("billion laughs").</remarks>
public static partial class DocumentReader
{
    /// <summary>How deeply objects and lists may nest, counting the outermost one as 1 (the default of System.Text.Json).</summary>
    public const int MaxDepth = 64;

    /// <summary>The error for a value nested deeper than <see cref="MaxDepth"/>, at the container that went one level too deep.</summary>
    public static BadInputException TooDeep(string file, string path, long? line) =>
        new($"nested more than {MaxDepth} levels deep; a document may nest objects and lists at most {MaxDepth} levels", file, path, line);

    /// <summary>Reads a document, choosing JSON when it starts with '{' or '[' and YAML otherwise.</summary>
    public static DocNode Read(ReadOnlySpan<byte> bytes, string file)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        var first = bytes.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0) throw new BadInputException("the file is empty; expected a JSON or YAML document", file, "$", 1);
        return bytes[first] is (byte)'{' or (byte)'[' ? ReadJson(bytes, file) : ReadYaml(bytes, file);
    }

    public static DocNode ReadJson(ReadOnlySpan<byte> bytes, string file)
    {
        var lines = new LineIndex(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = MaxDepth + 1 });
        try
        {
            if (!reader.Read()) throw new BadInputException("the file is empty; expected a JSON document", file, "$", 1);
            var root = ReadJsonValue(ref reader, file, "$", lines);
            if (reader.Read())
                throw new BadInputException("unexpected content after the end of the JSON document", file, "$", lines.LineOf(reader.TokenStartIndex));
            return root;
        }
        catch (JsonException e)
        {
            throw new BadInputException($"malformed JSON: {CleanJsonMessage(e.Message)}", file, e.Path, (e.LineNumber ?? 0) + 1, e);
        }
        catch (InvalidOperationException e)
        {
            throw new BadInputException($"malformed JSON: {e.Message}", file, null, lines.LineOf(reader.TokenStartIndex), e);
        }
    }

    private static DocNode ReadJsonValue(ref Utf8JsonReader reader, string file, string path, LineIndex lines)
    {
        var line = lines.LineOf(reader.TokenStartIndex);
        // The reader allows one level more than MaxDepth so that this check, not the reader, names the path and line.
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= MaxDepth) throw TooDeep(file, path, line);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<string, DocNode>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString()!;
                    var keyLine = lines.LineOf(reader.TokenStartIndex);
                    var childPath = Child(path, key);
                    if (!seen.Add(key)) throw new BadInputException($"duplicate key '{key}'", file, childPath, keyLine);
                    reader.Read();
                    entries.Add(new(key, ReadJsonValue(ref reader, file, childPath, lines)));
                }
                return new DocMap(file, path, line, entries);
            case JsonTokenType.StartArray:
                var items = new List<DocNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadJsonValue(ref reader, file, $"{path}[{items.Count}]", lines));
                return new DocList(file, path, line, items);
            case JsonTokenType.String:
                return new DocScalar(file, path, line, reader.GetString(), ScalarKind.String);
            case JsonTokenType.Number:
                return new DocScalar(file, path, line, Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Number);
            case JsonTokenType.True:
                return new DocScalar(file, path, line, "true", ScalarKind.Boolean);
            case JsonTokenType.False:
                return new DocScalar(file, path, line, "false", ScalarKind.Boolean);
            default:
                return new DocScalar(file, path, line, null, ScalarKind.Null);
        }
    }

    public static DocNode ReadYaml(ReadOnlySpan<byte> bytes, string file)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new BadInputException($"the file is not valid UTF-8 (byte offset {e.Index})", file, null, null, e);
        }

        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) throw new BadInputException("the file is empty; expected a YAML document", file, "$", 1);
            parser.Consume<DocumentStart>();
            var root = ReadYamlValue(parser, file, "$", 1);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var next))
                throw new BadInputException("the file holds more than one YAML document; expected one", file, "$", next.Start.Line);
            return root;
        }
        catch (YamlException e)
        {
            throw new BadInputException($"malformed YAML: {e.Message}", file, null, e.Start.Line, e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner reports some syntax errors (an unclosed flow collection) this way.
            throw new BadInputException($"malformed YAML: {e.Message}", file, null, parser.Current?.Start.Line ?? 1, e);
        }
    }

    private static DocNode ReadYamlValue(IParser parser, string file, string path, int depth)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
            return new DocScalar(file, path, scalar.Start.Line, ResolveText(scalar), Resolve(scalar));
        if (depth > MaxDepth && parser.Current is MappingStart or SequenceStart) throw TooDeep(file, path, parser.Current.Start.Line);
        if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            var entries = new List<KeyValuePair<string, DocNode>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current;
                if (!parser.TryConsume<Scalar>(out var key))
                    throw new BadInputException("only plain string keys are supported in a mapping", file, path, keyEvent?.Start.Line);
                var childPath = Child(path, key.Value);
                if (!seen.Add(key.Value)) throw new BadInputException($"duplicate key '{key.Value}'", file, childPath, key.Start.Line);
                entries.Add(new(key.Value, ReadYamlValue(parser, file, childPath, depth + 1)));
            }
            return new DocMap(file, path, mapStart.Start.Line, entries);
        }
        if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var items = new List<DocNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadYamlValue(parser, file, $"{path}[{items.Count}]", depth + 1));
            return new DocList(file, path, seqStart.Start.Line, items);
        }
        var current = parser.Current;
        throw new BadInputException(current is AnchorAlias alias ? $"YAML aliases (*{alias.Value}) are not supported; write the value out" : $"unexpected YAML {current?.GetType().Name}", file, path, current?.Start.Line);
    }

    // YAML 1.2 core schema for plain scalars; quoted scalars are always strings.
    private static ScalarKind Resolve(Scalar scalar)
    {
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str")) return ScalarKind.String;
        var v = scalar.Value;
        if (v is "" or "~" or "null" or "Null" or "NULL") return ScalarKind.Null;
        if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE") return ScalarKind.Boolean;
        return YamlNumber().IsMatch(v) ? ScalarKind.Number : ScalarKind.String;
    }

    private static string? ResolveText(Scalar scalar) => Resolve(scalar) switch
    {
        ScalarKind.Null => null,
        ScalarKind.Number => scalar.Value.TrimStart('+'),
        _ => scalar.Value,
    };

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex YamlNumber();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainKey();

    /// <summary>The JSON path of a child key: <c>$.scope</c>, or <c>$.requirements['3.5.3']</c> when the key is not an identifier.</summary>
    public static string Child(string path, string key) => PlainKey().IsMatch(key) ? $"{path}.{key}" : $"{path}['{key.Replace("'", "\\'")}']";

    private static string CleanJsonMessage(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>Maps byte offsets to 1-based line numbers.</summary>
    private readonly struct LineIndex
    {
        private readonly int[] _newlines;

        public LineIndex(ReadOnlySpan<byte> bytes)
        {
            var list = new List<int>();
            for (var i = bytes.IndexOf((byte)'\n'); i >= 0;)
            {
                list.Add(i);
                var next = bytes[(i + 1)..].IndexOf((byte)'\n');
                i = next < 0 ? -1 : i + 1 + next;
            }
            _newlines = list.ToArray();
        }

        public long LineOf(long offset)
        {
            var index = Array.BinarySearch(_newlines, (int)Math.Min(offset, int.MaxValue));
            return (index < 0 ? ~index : index) + 1;
        }
    }
}
