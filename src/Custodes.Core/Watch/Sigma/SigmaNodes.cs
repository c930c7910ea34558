using System.Net;
using System.Text.RegularExpressions;
using Custodes.Watch.Events;

namespace Custodes.Watch.Sigma;

/// <summary>A compiled piece of a Sigma detection.</summary>
internal abstract class SigmaNode
{
    public abstract bool Matches(WatchEvent e);
}

internal sealed class AndNode(IReadOnlyList<SigmaNode> parts) : SigmaNode
{
    public override bool Matches(WatchEvent e)
    {
        foreach (var p in parts) if (!p.Matches(e)) return false;
        return true;
    }
}

internal sealed class OrNode(IReadOnlyList<SigmaNode> parts) : SigmaNode
{
    public override bool Matches(WatchEvent e)
    {
        foreach (var p in parts) if (p.Matches(e)) return true;
        return false;
    }
}

internal sealed class NotNode(SigmaNode inner) : SigmaNode
{
    public override bool Matches(WatchEvent e) => !inner.Matches(e);
}

/// <summary><c>N of selection*</c> / <c>all of them</c>.</summary>
internal sealed class CountNode(IReadOnlyList<SigmaNode> parts, int atLeast) : SigmaNode
{
    public override bool Matches(WatchEvent e)
    {
        var n = 0;
        foreach (var p in parts)
            if (p.Matches(e) && ++n >= atLeast) return true;
        return false;
    }
}

/// <summary>One field with its modifiers against one or more values.</summary>
internal sealed class FieldNode(Func<WatchEvent, string?> field, IReadOnlyList<Func<string, bool>> values, bool all, bool? exists) : SigmaNode
{
    public override bool Matches(WatchEvent e)
    {
        var value = field(e);
        if (exists is { } shouldExist) return shouldExist == !string.IsNullOrEmpty(value);
        if (values.Count == 0) return string.IsNullOrEmpty(value); // `field: null`
        if (value is null) return false;
        if (all)
        {
            foreach (var v in values) if (!v(value)) return false;
            return true;
        }
        foreach (var v in values) if (v(value)) return true;
        return false;
    }
}

/// <summary>Keywords: any value found (case-insensitive, wildcards allowed) in any of the event's text.</summary>
internal sealed class KeywordNode(IReadOnlyList<Func<string, bool>> values) : SigmaNode
{
    public override bool Matches(WatchEvent e)
    {
        foreach (var text in Texts(e))
            foreach (var v in values)
                if (v(text)) return true;
        return false;
    }

    private static IEnumerable<string> Texts(WatchEvent e)
    {
        yield return e.Action;
        if (e.Actor is not null) yield return e.Actor;
        if (e.Target is not null) yield return e.Target;
        if (e.Tenant is not null) yield return e.Tenant;
        foreach (var d in e.Detail) yield return d.Value;
    }
}

/// <summary>Builds value matchers from Sigma's rules: case-insensitive, <c>*</c>/<c>?</c> wildcards (<c>\</c> escapes),
/// and the <c>contains|startswith|endswith|re|cidr|cased</c> modifiers.</summary>
internal static class SigmaValues
{
    public static Func<string, bool> Build(string value, string kind, bool cased, bool regexIgnoreCase)
    {
        switch (kind)
        {
            case "re":
                var options = RegexOptions.CultureInvariant | (regexIgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
                var regex = new Regex(value, options, TimeSpan.FromMilliseconds(100));
                return s =>
                {
                    try
                    {
                        return regex.IsMatch(s);
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        return false;
                    }
                };
            case "cidr":
                var network = IPNetwork.Parse(value);
                return s => IPAddress.TryParse(s, out var ip) && network.Contains(ip);
        }
        var pattern = kind switch
        {
            "contains" => "*" + value + "*",
            "startswith" => value + "*",
            "endswith" => "*" + value,
            _ => value,
        };
        return Wildcard(pattern, cased);
    }

    private static Func<string, bool> Wildcard(string pattern, bool cased)
    {
        var comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (!HasWildcards(pattern)) return s => string.Equals(s, Unescape(pattern), comparison);
        // The common shapes without a regex: *x*, x*, *x.
        var inner = pattern.Trim('*');
        if (!HasWildcards(inner) && inner.Length > 0)
        {
            var literal = Unescape(inner);
            var starts = pattern.StartsWith('*');
            var ends = pattern.EndsWith('*') && !pattern.EndsWith("\\*", StringComparison.Ordinal);
            if (starts && ends) return s => s.Contains(literal, comparison);
            if (ends) return s => s.StartsWith(literal, comparison);
            if (starts) return s => s.EndsWith(literal, comparison);
        }
        var regex = new Regex("^" + ToRegex(pattern) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline | (cased ? RegexOptions.None : RegexOptions.IgnoreCase));
        return regex.IsMatch;
    }

    private static bool HasWildcards(string p)
    {
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == '\\') { i++; continue; }
            if (p[i] is '*' or '?') return true;
        }
        return false;
    }

    private static string Unescape(string p)
    {
        var sb = new System.Text.StringBuilder(p.Length);
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == '\\' && i + 1 < p.Length && p[i + 1] is '*' or '?' or '\\') i++;
            sb.Append(p[i]);
        }
        return sb.ToString();
    }

    private static string ToRegex(string p)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '\\' && i + 1 < p.Length && p[i + 1] is '*' or '?' or '\\') sb.Append(Regex.Escape(p[++i].ToString()));
            else if (c == '*') sb.Append(".*");
            else if (c == '?') sb.Append('.');
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}

/// <summary>Event fields by Sigma name: the event's own (<c>action</c>, <c>actor</c>, …), <c>detail.&lt;key&gt;</c>, a bare
/// detail key, or a few common Sigma taxonomy names (<c>CommandLine</c>, <c>User</c>, <c>Computer</c>).</summary>
internal static class SigmaFields
{
    public static Func<WatchEvent, string?> Resolve(string name)
    {
        switch (name.ToLowerInvariant())
        {
            case "time": return e => EventJson.FormatTime(e.Time);
            case "source": return e => e.Source;
            case "msp": return e => e.Msp;
            case "tenant": return e => e.Tenant;
            case "actor" or "user" or "username" or "subjectusername": return e => e.Actor;
            case "actor_ip" or "sourceip" or "ipaddress" or "src_ip": return e => e.ActorIp;
            case "action": return e => e.Action;
            case "target" or "computer" or "computername" or "hostname": return e => e.Target;
            case "commandline": return e => e.Detail[DetailKeys.CommandLine];
        }
        var key = name.StartsWith("detail.", StringComparison.OrdinalIgnoreCase) ? name[7..] : name;
        return e => e.Detail[key];
    }
}
