using System.Text.RegularExpressions;
using Custodes.Common;

namespace Custodes.Watch.Sigma;

/// <summary>Parses a Sigma condition: <c>and</c>, <c>or</c>, <c>not</c>, parentheses, <c>1 of sel*</c>,
/// <c>all of them</c>, <c>N of …</c>; names refer to the rule's selections.</summary>
internal sealed class SigmaCondition
{
    private readonly List<string> _tokens;
    private readonly IReadOnlyDictionary<string, SigmaNode> _selections;
    private readonly string _file;
    private readonly string _text;
    private int _at;
    private int _depth;

    private SigmaCondition(string text, IReadOnlyDictionary<string, SigmaNode> selections, string file)
    {
        _text = text;
        _selections = selections;
        _file = file;
        _tokens = [.. Regex.Matches(text, @"\(|\)|[^\s()]+").Select(m => m.Value)];
    }

    public static SigmaNode Parse(string text, IReadOnlyDictionary<string, SigmaNode> selections, string file)
    {
        if (text.Contains('|')) throw new BadInputException($"condition '{text}': aggregations ('| count() …') are not supported", file, "$.detection.condition");
        var parser = new SigmaCondition(text, selections, file);
        if (parser._tokens.Count == 0) throw parser.Error("is empty");
        var node = parser.Or();
        if (parser._at < parser._tokens.Count) throw parser.Error($"unexpected '{parser._tokens[parser._at]}'");
        return node;
    }

    private SigmaNode Or()
    {
        var parts = new List<SigmaNode> { And() };
        while (Accept("or")) parts.Add(And());
        return parts.Count == 1 ? parts[0] : new OrNode(parts);
    }

    private SigmaNode And()
    {
        var parts = new List<SigmaNode> { Not() };
        while (Accept("and")) parts.Add(Not());
        return parts.Count == 1 ? parts[0] : new AndNode(parts);
    }

    private SigmaNode Not() => Accept("not") ? new NotNode(Nested(Not)) : Primary();

    // Parentheses and 'not' recurse, in parsing here and in matching every event later: a condition of 25,000 '(' would overflow the
    // stack and end the process, so nesting stops at the depth documents may have.
    private SigmaNode Nested(Func<SigmaNode> inner)
    {
        if (++_depth > Common.Documents.DocumentReader.MaxDepth)
            throw Error($"nests parentheses and 'not' more than {Common.Documents.DocumentReader.MaxDepth} levels deep; at most {Common.Documents.DocumentReader.MaxDepth} are allowed");
        var node = inner();
        _depth--;
        return node;
    }

    private SigmaNode Primary()
    {
        if (_at >= _tokens.Count) throw Error("ends too early");
        var token = _tokens[_at++];
        if (token == "(")
        {
            var inner = Nested(Or);
            if (!Accept(")")) throw Error("missing ')'");
            return inner;
        }
        if (_at < _tokens.Count && _tokens[_at].Equals("of", StringComparison.OrdinalIgnoreCase))
        {
            _at++;
            if (_at >= _tokens.Count) throw Error("'of' needs a selection name, pattern or 'them'");
            var pattern = _tokens[_at++];
            var matched = pattern.Equals("them", StringComparison.OrdinalIgnoreCase)
                ? _selections.Where(s => !s.Key.StartsWith('_')).Select(s => s.Value).ToList()
                : _selections.Where(s => Glob(pattern).IsMatch(s.Key)).Select(s => s.Value).ToList();
            if (matched.Count == 0) throw Error($"'{pattern}' matches no selection");
            var atLeast = token.ToLowerInvariant() switch
            {
                "all" => matched.Count,
                "any" => 1,
                _ when int.TryParse(token, out var n) && n >= 1 => n,
                _ => throw Error($"'{token} of' must be 'all of', 'any of' or 'N of'"),
            };
            return new CountNode(matched, atLeast);
        }
        return _selections.TryGetValue(token, out var selection) ? selection : throw Error($"refers to '{token}', which is not a selection");
    }

    private bool Accept(string word)
    {
        if (_at < _tokens.Count && _tokens[_at].Equals(word, StringComparison.OrdinalIgnoreCase))
        {
            _at++;
            return true;
        }
        return false;
    }

    private static Regex Glob(string pattern) => new("^" + Regex.Escape(pattern).Replace(@"\*", ".*") + "$");

    private BadInputException Error(string message) => new($"condition '{_text}' {message}", _file, "$.detection.condition");
}
