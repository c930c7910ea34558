using System.Globalization;
using Custodes.Common;

namespace Custodes.Cli.Attest;

/// <summary>Dates on the command line: <c>2027-10-01</c> (UTC midnight, or the day's last second for an end) or an RFC 3339 timestamp.</summary>
internal static class Dates
{
    public static DateTimeOffset Parse(string text, string option, bool endOfDay = false)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1).AddSeconds(-1) : start;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        throw new BadInputException($"{option} '{text}' is not a date: expected 2027-10-01 or 2027-10-01T12:00:00Z");
    }

    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
