using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace Custodes.Watch.Detection;

/// <summary>Durations as people write them in settings: <c>30m</c>, <c>7d</c>, <c>1h30m</c>, <c>90s</c>, ISO 8601
/// <c>PT30M</c>, or <c>00:30:00</c>.</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        if (s.Length == 0) return false;
        if (s[0] is 'P' or 'p')
        {
            try
            {
                value = XmlConvert.ToTimeSpan(s.ToUpperInvariant());
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
        if (s.Contains(':')) return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value);
        var total = TimeSpan.Zero;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return false;
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            TimeSpan unit;
            switch (s[unitStart..i].ToLowerInvariant())
            {
                case "w": unit = TimeSpan.FromDays(7); break;
                case "d": unit = TimeSpan.FromDays(1); break;
                case "h": unit = TimeSpan.FromHours(1); break;
                case "m" or "min": unit = TimeSpan.FromMinutes(1); break;
                case "s": unit = TimeSpan.FromSeconds(1); break;
                default: return false;
            }
            total += unit * n;
            while (i < s.Length && s[i] == ' ') i++;
        }
        value = total;
        return true;
    }

    /// <summary>The short form: <c>7d</c>, <c>30m</c>, <c>1h30m</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        var sb = new StringBuilder();
        if (value < TimeSpan.Zero) { sb.Append('-'); value = value.Negate(); }
        if (value.Days > 0) sb.Append(CultureInfo.InvariantCulture, $"{value.Days}d");
        if (value.Hours > 0) sb.Append(CultureInfo.InvariantCulture, $"{value.Hours}h");
        if (value.Minutes > 0) sb.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        if (value.Seconds > 0 || value.Milliseconds > 0) sb.Append(CultureInfo.InvariantCulture, $"{value.Seconds + value.Milliseconds / 1000.0:0.###}s");
        return sb.ToString();
    }
}

/// <summary>Reads and writes <see cref="TimeSpan"/> in the forms of <see cref="Durations"/>.</summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return TimeSpan.FromSeconds(reader.GetDouble());
        var text = reader.GetString() ?? "";
        return Durations.TryParse(text, out var value) ? value : throw new JsonException($"'{text}' is not a duration (expected e.g. 30m, 7d, 1h30m, PT30M)");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteStringValue(Durations.Format(value));
}

/// <summary>Reads <c>07:00</c> as a <see cref="TimeOnly"/>.</summary>
public sealed class ClockJsonConverter : JsonConverter<TimeOnly>
{
    public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? "";
        if (text is "24:00" or "24:00:00") return TimeOnly.MaxValue;
        return TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out var t) ? t : throw new JsonException($"'{text}' is not a time of day (expected e.g. 07:00)");
    }

    public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(value.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture));
}

/// <summary>Reads <c>mon</c>, <c>Monday</c> or <c>1</c> as a <see cref="DayOfWeek"/>.</summary>
public sealed class DayJsonConverter : JsonConverter<DayOfWeek>
{
    public override DayOfWeek Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return (DayOfWeek)(reader.GetInt32() % 7);
        var text = (reader.GetString() ?? "").Trim().ToLowerInvariant();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var name = day.ToString().ToLowerInvariant();
            if (text == name || (text.Length >= 3 && name.StartsWith(text, StringComparison.Ordinal))) return day;
        }
        throw new JsonException($"'{text}' is not a day of the week");
    }

    public override void Write(Utf8JsonWriter writer, DayOfWeek value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString()[..3].ToLowerInvariant());
}
