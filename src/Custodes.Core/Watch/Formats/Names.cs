using System.Text;

namespace Custodes.Watch.Formats;

/// <summary>Field-name forms: sources spell one field <c>RunByUser</c>, <c>run_by_user</c> or <c>Run By User</c>.</summary>
internal static class Names
{
    /// <summary>Lower-case letters and digits only: the form names are compared in.</summary>
    public static string Canonical(string name)
    {
        Span<char> buffer = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        var n = 0;
        foreach (var c in name)
            if (char.IsLetterOrDigit(c)) buffer[n++] = char.ToLowerInvariant(c);
        return new string(buffer[..n]);
    }

    public static bool Same(string a, string b) => Canonical(a) == Canonical(b);

    /// <summary>snake_case for detail keys: <c>Command Line</c>, <c>commandLine</c> → <c>command_line</c>.</summary>
    public static string Snake(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        var pendingBreak = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                pendingBreak = sb.Length > 0;
                continue;
            }
            var boundary = char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
            if ((pendingBreak || boundary) && sb.Length > 0 && sb[^1] != '_') sb.Append('_');
            pendingBreak = false;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.Length == 0 ? "field" : sb.ToString();
    }
}
