using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Custodes.Watch.Formats;

/// <summary><c>syslog</c>: RFC 5424 or RFC 3164 lines whose message is a JSON object or key=value pairs; RFC 5424
/// structured-data parameters count as fields too.</summary>
public sealed class SyslogFormat : IEventFormat
{
    public string Name => "syslog";
    public string Description => "Syslog lines (RFC 5424 or RFC 3164) with a JSON or key=value message; RFC 3164 times need --timezone.";
    public IReadOnlyCollection<string> WrapperProperties => [];
    public RecordFraming DetectFraming(ReadOnlySpan<byte> head) => RecordFraming.Lines;

    public IRecordParser CreateParser(FormatContext context) => new Parser(context);

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private sealed class Parser(FormatContext context) : IRecordParser
    {
        private readonly RowMapper _mapper = new(context);

        public void Parse(ReadOnlySpan<byte> record, RecordSink sink)
        {
            var line = Encoding.UTF8.GetString(record).TrimEnd();
            var i = 0;
            // RFC 6587 octet counting: "123 <34>1 …".
            while (i < line.Length && char.IsAsciiDigit(line[i])) i++;
            i = i > 0 && i < line.Length && line[i] == ' ' ? i + 1 : 0;
            if (i >= line.Length || line[i] != '<') throw new RecordRejectedException("not a syslog line (expected <PRI> at the start)");
            var close = line.IndexOf('>', i);
            if (close < 0 || close - i > 4 || !int.TryParse(line.AsSpan(i + 1, close - i - 1), out var pri) || pri > 191)
                throw new RecordRejectedException("malformed syslog PRI");
            var rest = line[(close + 1)..];
            var header = rest.StartsWith("1 ", StringComparison.Ordinal) ? Rfc5424(rest[2..]) : Rfc3164(rest);
            var row = Payload(header.Message);
            foreach (var (name, value) in header.StructuredData)
                if (row.Get(name) is null) row = With(row, name, value);
            sink.Add(_mapper.Map(row, header.AppName ?? "syslog", context.Options.TimeZone, header.Time, header.NoTimeReason,
                draft =>
                {
                    draft.Detail("syslog_host", header.Host);
                    draft.Detail("syslog_facility", (pri / 8).ToString(CultureInfo.InvariantCulture));
                    draft.Detail("syslog_severity", (pri % 8).ToString(CultureInfo.InvariantCulture));
                }));
        }

        private static Row With(Row row, string name, string value)
        {
            if (row is FlatRow flat) return flat.Add(name, value);
            // A JSON payload plus structured data: flatten the JSON's top level into a new row.
            var merged = new FlatRow();
            foreach (var (n, v, _) in row.Fields()) merged.Add(n, v);
            if (row.Object("detail") is { } d) foreach (var (n, v, _) in d.Fields()) merged.Add("detail." + n, v);
            return merged.Add(name, value);
        }

        private sealed record Header(DateTimeOffset? Time, string? NoTimeReason, string? Host, string? AppName, string Message,
            List<(string Name, string Value)> StructuredData);

        private Header Rfc5424(string s)
        {
            var parts = new string[5];
            var at = 0;
            for (var k = 0; k < 5; k++)
            {
                var space = s.IndexOf(' ', at);
                if (space < 0) throw new RecordRejectedException("truncated RFC 5424 header");
                parts[k] = s[at..space];
                at = space + 1;
            }
            DateTimeOffset? time = null;
            string? reason = "RFC 5424 timestamp is nil ('-') and the message has no time";
            if (parts[0] != "-")
            {
                if (!Timestamps.TryParseIso(parts[0], out var clock, out var offset) || offset is null)
                    throw new RecordRejectedException($"RFC 5424 timestamp '{Timestamps.Clip(parts[0])}' is not RFC 3339 with a zone");
                time = Timestamps.ToUtc(clock, offset.Value);
                reason = null;
            }
            var sd = new List<(string, string)>();
            var message = "";
            if (at < s.Length && s[at] == '-') message = at + 1 < s.Length ? s[(at + 1)..] : "";
            else if (at < s.Length && s[at] == '[') message = StructuredData(s, at, sd);
            else throw new RecordRejectedException("RFC 5424 structured data must be '-' or [..]");
            message = message.TrimStart(' ').TrimStart('\uFEFF');
            return new Header(time, reason, Nil(parts[1]), Nil(parts[2]), message, sd);
        }

        /// <summary>Parses <c>[id k="v" …][…]</c> into <paramref name="output"/>; returns what follows.</summary>
        private static string StructuredData(string s, int at, List<(string, string)> output)
        {
            while (at < s.Length && s[at] == '[')
            {
                at++;
                while (at < s.Length && s[at] is not (' ' or ']')) at++; // the SD-ID
                while (at < s.Length && s[at] != ']')
                {
                    while (at < s.Length && s[at] == ' ') at++;
                    var eq = s.IndexOf('=', at);
                    if (eq < 0 || eq + 1 >= s.Length || s[eq + 1] != '"') throw new RecordRejectedException("malformed RFC 5424 structured data");
                    var name = s[at..eq];
                    var value = new StringBuilder();
                    at = eq + 2;
                    while (at < s.Length && s[at] != '"')
                    {
                        if (s[at] == '\\' && at + 1 < s.Length && s[at + 1] is '"' or '\\' or ']') at++;
                        value.Append(s[at++]);
                    }
                    if (at >= s.Length) throw new RecordRejectedException("unterminated RFC 5424 structured-data value");
                    at++;
                    output.Add((name, value.ToString()));
                }
                if (at >= s.Length) throw new RecordRejectedException("unterminated RFC 5424 structured data");
                at++;
            }
            return at < s.Length ? s[at..] : "";
        }

        private Header Rfc3164(string s)
        {
            DateTimeOffset? time = null;
            string? reason = null;
            string rest;
            var firstSpace = s.IndexOf(' ');
            if (firstSpace > 0 && char.IsAsciiDigit(s[0]) && Timestamps.TryParseIso(s.AsSpan(0, firstSpace), out var clock, out var offset))
            {
                // Many senders put an RFC 3339 time where RFC 3164 has "Mmm dd hh:mm:ss".
                time = offset is { } o ? Timestamps.ToUtc(clock, o) : Zoned(clock, ref reason);
                rest = s[(firstSpace + 1)..];
            }
            else
            {
                if (s.Length < 16 || Array.IndexOf(Months, s[..3]) < 0 || s[15] != ' ')
                    throw new RecordRejectedException("not an RFC 3164 header (expected 'Mmm dd hh:mm:ss host tag: message')");
                var month = Array.IndexOf(Months, s[..3]) + 1;
                if (!int.TryParse(s.AsSpan(4, 2).Trim(), out var day) || !TimeOnly.TryParseExact(s.AsSpan(7, 8), "HH:mm:ss", out var clockTime))
                    throw new RecordRejectedException($"malformed RFC 3164 timestamp '{s[..15]}'");
                time = Rfc3164Time(month, day, clockTime, ref reason);
                rest = s[16..];
            }
            var hostEnd = rest.IndexOf(' ');
            var host = hostEnd > 0 ? rest[..hostEnd] : null;
            var afterHost = hostEnd > 0 ? rest[(hostEnd + 1)..] : rest;
            string? tag = null;
            var message = afterHost;
            var colon = afterHost.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && colon <= 48 && !afterHost[..colon].Contains(' '))
            {
                tag = afterHost[..colon];
                var bracket = tag.IndexOf('[');
                if (bracket > 0) tag = tag[..bracket];
                message = afterHost[(colon + 2)..];
            }
            return new Header(time, reason, host, tag, message, []);
        }

        /// <summary>RFC 3164 has neither year nor zone: the zone must be given, and the year is the one that puts the time
        /// closest to the clock without running into the future.</summary>
        private DateTimeOffset? Rfc3164Time(int month, int day, TimeOnly clockTime, ref string? reason)
        {
            var zone = context.Options.TimeZone;
            if (zone is null)
            {
                reason = "RFC 3164 timestamp has no zone or year and the message has no time; pass --timezone";
                return null;
            }
            var now = context.Options.Clock.GetUtcNow();
            var year = TimeZoneInfo.ConvertTime(now, zone).Year;
            for (var y = year; y >= year - 1; y--)
            {
                if (day > DateTime.DaysInMonth(y, month)) continue;
                var candidate = Timestamps.InZone(new DateTime(new DateOnly(y, month, day), clockTime), zone, "time");
                if (candidate <= now + TimeSpan.FromDays(1)) return candidate;
            }
            reason = "RFC 3164 date does not exist in the current or previous year";
            return null;
        }

        private DateTimeOffset? Zoned(DateTime clock, ref string? reason)
        {
            if (context.Options.TimeZone is { } zone) return Timestamps.InZone(clock, zone, "time");
            reason = "syslog timestamp has no zone and the message has no time; pass --timezone";
            return null;
        }

        private static string? Nil(string s) => s == "-" ? null : s;

        private static Row Payload(string message)
        {
            var m = message.Trim();
            if (m.StartsWith('{'))
            {
                using var document = JsonDocument.Parse(m);
                if (document.RootElement.ValueKind != JsonValueKind.Object) throw new RecordRejectedException("syslog JSON message must be an object");
                return new JsonRow(document.RootElement.Clone());
            }
            var row = KeyValues(m);
            if (row is null) throw new RecordRejectedException("syslog message is neither a JSON object nor key=value pairs");
            return row;
        }

        /// <summary><c>k=v k2="quoted \"value\"" detail.command_line='…'</c>.</summary>
        private static FlatRow? KeyValues(string s)
        {
            var row = new FlatRow();
            var found = false;
            var i = 0;
            while (i < s.Length)
            {
                while (i < s.Length && s[i] == ' ') i++;
                var eq = s.IndexOf('=', i);
                if (eq <= i) break;
                var key = s[i..eq];
                if (key.Contains(' ')) return found ? row : null;
                i = eq + 1;
                var value = new StringBuilder();
                if (i < s.Length && s[i] is '"' or '\'')
                {
                    var quote = s[i++];
                    while (i < s.Length && s[i] != quote)
                    {
                        if (s[i] == '\\' && i + 1 < s.Length && (s[i + 1] == quote || s[i + 1] == '\\')) i++;
                        value.Append(s[i++]);
                    }
                    i++;
                }
                else while (i < s.Length && s[i] != ' ') value.Append(s[i++]);
                row.Add(key, value.ToString());
                found = true;
            }
            return found ? row : null;
        }
    }
}
