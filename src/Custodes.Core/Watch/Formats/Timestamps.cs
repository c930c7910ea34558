using System.Globalization;

namespace Custodes.Watch.Formats;

/// <summary>Reads the timestamps the sources write, and refuses to guess a zone that neither the text, the format nor the
/// caller gives.</summary>
public static class Timestamps
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy/MM/dd HH:mm:ss", "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt", "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm",
        "MM/dd/yyyy HH:mm:ss", "d MMM yyyy HH:mm:ss", "MMM d, yyyy h:mm:ss tt", "MMM d, yyyy h:mm tt", "yyyy-MM-dd",
    ];

    /// <summary>Parses text that is an RFC 3339/ISO 8601 time (with or without zone), a common export format
    /// (<c>2024-02-26 03:25:21.6791347</c>, <c>8/29/2019 3:12:07 AM</c>) or epoch seconds/milliseconds.
    /// A time without zone is read in <paramref name="assumeZone"/>; without one it is rejected.</summary>
    public static DateTimeOffset Parse(string text, TimeZoneInfo? assumeZone, string field = "time")
    {
        var s = text.Trim();
        if (s.Length == 0) throw new RecordRejectedException($"{field} is empty");
        if (LooksNumeric(s))
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch)) return FromEpoch(epoch, field);
        }
        if (TryParseIso(s, out var clock, out var offset))
            return offset is { } o ? ToUtc(clock, o, field) : InZone(clock, assumeZone, field, s);
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dto) && HasExplicitZone(s))
            return dto.ToUniversalTime();
        if (DateTime.TryParseExact(s, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
            return InZone(local, assumeZone, field, s);
        throw new RecordRejectedException($"{field} '{Clip(s)}' is not a time this format reads (expected RFC 3339, e.g. 2019-08-29T03:12:07Z)");
    }

    /// <summary>Epoch seconds (with fraction), or milliseconds when the number is too large to be seconds.</summary>
    public static DateTimeOffset FromEpoch(double value, string field = "time")
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value < 0) throw new RecordRejectedException($"{field} {value} is not an epoch time");
        // Seconds reach 1e11 only in the year 5138, so anything larger is milliseconds (Datto's details, Java clients).
        var ms = value >= 1e11 ? value : value * 1000.0;
        if (ms > 253402300799999) throw new RecordRejectedException($"{field} {value} is beyond year 9999");
        return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond));
    }

    /// <summary>Fast ISO 8601 reader: <c>yyyy-MM-ddTHH:mm[:ss[.f…]][Z|±hh[:mm]]</c>, 'T' or space; offset null when none is written.</summary>
    public static bool TryParseIso(ReadOnlySpan<char> s, out DateTime clock, out TimeSpan? offset)
    {
        clock = default;
        offset = null;
        if (s.Length < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':') return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute)) return false;
        int i = 16, second = 0;
        long fraction = 0;
        if (i < s.Length && s[i] == ':')
        {
            if (!Digits(s, 17, 2, out second)) return false;
            i = 19;
            if (i < s.Length && (s[i] == '.' || s[i] == ','))
            {
                i++;
                int digits = 0;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    if (digits < 7) { fraction = fraction * 10 + (s[i] - '0'); digits++; }
                    i++;
                }
                if (digits == 0) return false;
                for (; digits < 7; digits++) fraction *= 10;
            }
        }
        if (i < s.Length)
        {
            if (s[i] is 'Z' or 'z') { offset = TimeSpan.Zero; i++; }
            else if (s[i] is '+' or '-')
            {
                var sign = s[i] == '-' ? -1 : 1;
                if (!Digits(s, i + 1, 2, out var oh)) return false;
                var om = 0;
                i += 3;
                if (i < s.Length && s[i] == ':') i++;
                if (i + 2 <= s.Length && Digits(s, i, 2, out om)) i += 2;
                if (oh > 14 || om > 59) return false;
                offset = TimeSpan.FromMinutes(sign * (oh * 60 + om));
            }
            else return false;
            if (i != s.Length) return false;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 60 || year < 1)
            return false;
        // A leap second (:60) is read as the last tick of :59 rather than refused.
        clock = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified).AddTicks(second == 60 ? TimeSpan.TicksPerSecond - 1 : fraction);
        return true;
    }

    /// <summary>The UTF-8 twin of <see cref="TryParseIso(ReadOnlySpan{char}, out DateTime, out TimeSpan?)"/> for the NDJSON hot path.</summary>
    public static bool TryParseIso(ReadOnlySpan<byte> utf8, out DateTime clock, out TimeSpan? offset)
    {
        clock = default;
        offset = null;
        if (utf8.Length > 48) return false;
        Span<char> chars = stackalloc char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] > 0x7F) return false;
            chars[i] = (char)utf8[i];
        }
        return TryParseIso(chars, out clock, out offset);
    }

    public static DateTimeOffset ToUtc(DateTime clock, TimeSpan offset, string field = "time")
    {
        var ticks = clock.Ticks - offset.Ticks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) throw new RecordRejectedException($"{field} is out of range");
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>A zone-less wall-clock time read in <paramref name="zone"/>; rejected without a zone, or when the time does
    /// not exist there (the hour skipped when clocks go forward).</summary>
    public static DateTimeOffset InZone(DateTime clock, TimeZoneInfo? zone, string field, string? text = null)
    {
        if (zone is null)
            throw new RecordRejectedException($"{field} '{Clip(text ?? clock.ToString("s", CultureInfo.InvariantCulture))}' has no time zone; this format does not define one, so pass --timezone");
        var unspecified = DateTime.SpecifyKind(clock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
            throw new RecordRejectedException($"{field} '{Clip(text ?? unspecified.ToString("s", CultureInfo.InvariantCulture))}' does not exist in {zone.Id} (clocks went forward)");
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, zone), TimeSpan.Zero);
    }

    /// <summary>Resolves a zone name: an IANA id (<c>America/Denver</c>), <c>UTC</c>, or a fixed offset (<c>+02:00</c>).</summary>
    public static TimeZoneInfo ResolveZone(string name)
    {
        var n = name.Trim();
        if (n.Length == 0 || n.Equals("UTC", StringComparison.OrdinalIgnoreCase) || n.Equals("Z", StringComparison.OrdinalIgnoreCase)
            || n.Equals("Etc/UTC", StringComparison.OrdinalIgnoreCase) || n.Equals("GMT", StringComparison.OrdinalIgnoreCase))
            return TimeZoneInfo.Utc;
        if (n[0] is '+' or '-' && TryParseIso($"2000-01-01T00:00{n}", out _, out var offset) && offset is { } o)
            return o == TimeSpan.Zero ? TimeZoneInfo.Utc : TimeZoneInfo.CreateCustomTimeZone($"UTC{n}", o, $"UTC{n}", $"UTC{n}");
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(n);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new Common.BadInputException($"unknown time zone '{name}'; expected an IANA id such as America/Denver, UTC, or an offset such as +02:00");
        }
    }

    internal static string Clip(string s) => s.Length <= 64 ? s : s[..64] + "…";

    private static bool LooksNumeric(string s)
    {
        foreach (var c in s)
            if (!char.IsAsciiDigit(c) && c != '.' && c != 'e' && c != 'E' && c != '+') return false;
        return true;
    }

    private static bool HasExplicitZone(string s)
    {
        var t = s.TrimEnd();
        if (t.EndsWith('Z') || t.EndsWith(" UTC", StringComparison.OrdinalIgnoreCase) || t.EndsWith(" GMT", StringComparison.OrdinalIgnoreCase)) return true;
        // A trailing ±hh:mm or ±hhmm after the time part.
        var sign = Math.Max(t.LastIndexOf('+'), t.LastIndexOf('-'));
        return sign > 10 && t.IndexOf(':') is > 0 and var colon && colon < sign;
    }

    private static bool Digits(ReadOnlySpan<char> s, int at, int count, out int value)
    {
        value = 0;
        if (at + count > s.Length) return false;
        for (var i = at; i < at + count; i++)
        {
            if (!char.IsAsciiDigit(s[i])) return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }
}
