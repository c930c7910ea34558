using System.Globalization;
using System.Text;
using Custodes.Attestation;
using Custodes.Common;

namespace Custodes.Transparency;

/// <summary>C2SP tlog-tiles paths: <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> and <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>, N in 3-digit groups (<c>x001/x234/067</c>).</summary>
public static class TilePath
{
    public static string Format(Tile tile)
    {
        if (tile.Level < Tile.EntriesLevel || tile.Level > Tile.MaxLevel || tile.Index < 0 || tile.Width < 1 || tile.Width > Tile.FullWidth)
            throw new ArgumentException($"no C2SP path for tile level {tile.Level} index {tile.Index} width {tile.Width}", nameof(tile));
        var path = new StringBuilder("tile/", 40);
        path.Append(tile.IsEntries ? "entries" : tile.Level.ToString(CultureInfo.InvariantCulture)).Append('/');
        AppendIndex(path, tile.Index);
        if (tile.IsPartial) path.Append(".p/").Append(tile.Width.ToString(CultureInfo.InvariantCulture));
        return path.ToString();
    }

    /// <summary>Parses a tile path strictly: anything <see cref="Format"/> would not have written is bad input.</summary>
    public static Tile Parse(string path) =>
        TryParse(path, out var tile) ? tile : throw new BadInputException($"malformed tile path '{path}': expected tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>] with N as x001/x234/067", path: path);

    public static bool TryParse(string? path, out Tile tile)
    {
        tile = default;
        if (path is null || path.Length > 200) return false;
        var parts = path.Split('/');
        if (parts.Length < 3 || parts[0] != "tile") return false;

        int level;
        if (parts[1] == "entries") level = Tile.EntriesLevel;
        else if (!TryParseDecimal(parts[1], Tile.MaxLevel, out level)) return false;

        var width = Tile.FullWidth;
        var last = parts.Length - 1;
        if (parts[^2].EndsWith(".p", StringComparison.Ordinal))
        {
            if (!TryParseDecimal(parts[^1], Tile.FullWidth - 1, out width) || width < 1) return false;
            parts[^2] = parts[^2][..^2];
            last--;
        }

        long index = 0;
        for (var i = 2; i <= last; i++)
        {
            var group = parts[i];
            var prefixed = i < last;
            if (group.Length != (prefixed ? 4 : 3) || (prefixed && group[0] != 'x')) return false;
            var digits = prefixed ? group.AsSpan(1) : group.AsSpan();
            if (!digits.ContainsOnlyDigits()) return false;
            try
            {
                index = checked(index * 1000 + int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture));
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        tile = new Tile(level, index, width);
        // Leading zero groups (x000/…) parse but are not canonical: only the path Format writes names the tile.
        if (Format(tile) == path) return true;
        tile = default;
        return false;
    }

    private static void AppendIndex(StringBuilder path, long index)
    {
        Span<char> groups = stackalloc char[40];
        var at = groups.Length;
        var first = true;
        do
        {
            var group = (int)(index % 1000);
            index /= 1000;
            if (!first) groups[--at] = '/';
            groups[--at] = (char)('0' + group % 10);
            groups[--at] = (char)('0' + group / 10 % 10);
            groups[--at] = (char)('0' + group / 100);
            if (!first) groups[--at] = 'x';
            first = false;
        }
        while (index > 0);
        path.Append(groups[at..]);
    }

    // Decimal with no sign, no leading zeros (except "0" itself) and no more than max.
    private static bool TryParseDecimal(string s, int max, out int value)
    {
        value = 0;
        if (s.Length is 0 or > 3 || !s.AsSpan().ContainsOnlyDigits() || (s.Length > 1 && s[0] == '0')) return false;
        value = int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
        return value <= max;
    }
}
