using System.Text.Json;
using Custodes.Watch.Events;

namespace Custodes.Watch.Formats.Vendors;

/// <summary>Shared plumbing of the vendor formats: each accepts the vendor's JSON (an API page, a bare array, or JSON
/// Lines of records or of pages) or a CSV export of the same fields, finds fields by tolerant names, and maps one record
/// with <see cref="Map"/>. A bad element of a page is quarantined alone.</summary>
public abstract class VendorFormat : IEventFormat
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract IReadOnlyCollection<string> WrapperProperties { get; }

    /// <summary>The zone of zone-less times when the vendor defines one (UTC for ScreenConnect); null when it does not.</summary>
    protected virtual TimeZoneInfo? FormatZone => null;

    public RecordFraming DetectFraming(ReadOnlySpan<byte> head) => Sniff.JsonOrElse(head, csvElse: true);

    public IRecordParser CreateParser(FormatContext context)
    {
        foreach (var field in context.Options.FieldMap.Keys)
            if (!RowMapper.Fields.Contains(field))
                throw new Common.BadInputException($"--map {field}=…: '{field}' is not an event field; expected one of {string.Join(", ", RowMapper.Fields)}");
        return new Parser(this, context);
    }

    /// <summary>Fills <paramref name="draft"/> from one record (time, actor, action, …); throws
    /// <see cref="RecordRejectedException"/> when the record cannot be an event.</summary>
    internal abstract void Map(Row row, EventDraft draft, VendorContext context);

    private sealed class Parser(VendorFormat format, FormatContext context) : IRecordParser
    {
        private readonly CsvRowReader _csv = new();
        private readonly VendorContext _vendor = new(context, context.ZoneOr(format.FormatZone));

        public void Parse(ReadOnlySpan<byte> record, RecordSink sink)
        {
            var first = record[record.IndexOfAnyExcept(" \t\r\n"u8)];
            if (first is (byte)'{' or (byte)'[')
            {
                using var document = JsonDocument.Parse(record.ToArray());
                Json(document.RootElement, sink, top: true);
                return;
            }
            if (_csv.Read(record) is { } row) sink.Add(One(row));
        }

        private void Json(JsonElement element, RecordSink sink, bool top)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray()) Element(item, sink);
                return;
            }
            if (element.ValueKind != JsonValueKind.Object) throw new RecordRejectedException("expected a JSON object");
            // A whole API page on one line: {"lastActivityId": …, "activities": [ … ]}.
            if (top)
                foreach (var wrapper in format.WrapperProperties)
                    if (new JsonRow(element).Find(wrapper) is { ValueKind: JsonValueKind.Array } items)
                    {
                        foreach (var item in items.EnumerateArray()) Element(item, sink);
                        return;
                    }
            sink.Add(One(new JsonRow(element)));
        }

        private void Element(JsonElement item, RecordSink sink)
        {
            try
            {
                if (item.ValueKind != JsonValueKind.Object) throw new RecordRejectedException("expected a JSON object");
                sink.Add(One(new JsonRow(item)));
            }
            catch (RecordRejectedException e)
            {
                sink.Reject(e.Message, item.GetRawText());
            }
        }

        private WatchEvent One(Row row)
        {
            var draft = new EventDraft { Source = format.Name };
            format.Map(row, draft, _vendor);
            Overrides(row, draft);
            return draft.Build(context);
        }

        /// <summary><c>--map tenant=Company</c> and the like take precedence over the vendor mapping.</summary>
        private void Overrides(Row row, EventDraft draft)
        {
            foreach (var (field, name) in context.Options.FieldMap)
            {
                var value = row.Get(name);
                if (value is null) continue;
                switch (field)
                {
                    case "time": draft.Time = _vendor.Time(value, name); break;
                    case "source": draft.Source = value; break;
                    case "msp": draft.Msp = value; break;
                    case "tenant": draft.Tenant = value; break;
                    case "actor": draft.Actor = value; break;
                    case "actor_ip": draft.ActorIp = value; break;
                    case "action": draft.Action = ActionNames.Normalize(value); break;
                    case "target": draft.Target = value; break;
                }
            }
        }
    }
}

/// <summary>What a vendor mapping needs besides the row: the zone for zone-less times.</summary>
internal sealed class VendorContext(FormatContext format, TimeZoneInfo? zone)
{
    public FormatContext Format { get; } = format;

    public DateTimeOffset Time(string text, string field) => Timestamps.Parse(text, zone, field);

    /// <summary>The record's time from the first present field; rejected when none is.</summary>
    public DateTimeOffset Time(Row row, params string[] fields)
    {
        foreach (var f in fields)
            if (row.Get(f) is { } v && !string.IsNullOrWhiteSpace(v)) return Time(v, f);
        throw new RecordRejectedException($"no time (looked for {string.Join(", ", fields)})");
    }
}

/// <summary>Recognises actions in the free text of admin and audit logs ("Logon failed", "2FA disabled for user x").</summary>
internal static class Phrases
{
    public static string? Classify(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.ToLowerInvariant();
        bool Has(params string[] words) => words.Any(w => t.Contains(w, StringComparison.Ordinal));

        if (Has("mfa", "2fa", "two-factor", "two factor", "multi-factor", "multifactor", "authenticator") && Has("disabl", "removed", "turned off", "deleted", "reset"))
            return EventActions.MfaDisabled;
        if (Has("log on", "logon", "login", "log in", "logged in", "sign in", "signed in", "signin", "authenticat"))
            return Has("fail", "invalid", "denied", "incorrect", "locked", "wrong", "unsuccessful") ? EventActions.LoginFailure : EventActions.LoginSuccess;
        if (Has("api key", "api token", "apikey", "access token", "oauth client", "api credential") && Has("creat", "generat", "added", "new"))
            return EventActions.ApiKeyCreated;
        if (Has("role", "permission", "security group", "admin rights", "privilege") && Has("chang", "assign", "updat", "grant", "added to", "modif"))
            return EventActions.AccountRoleChanged;
        if (Has("user", "technician", "account", "admin", "operator") && Has("created", "added", "create user", "new user", "new technician", "invited"))
            return EventActions.AccountCreated;
        if (Has("backup", "shadow cop", "snapshot", "recovery point") && Has("delet", "purg", "remov", "destroy"))
            return EventActions.BackupDeleted;
        if (Has("antivirus", "anti-virus", " av ", "defender", "edr", "endpoint protection", "security agent", "webroot", "sentinel", "sophos", "bitdefender", "crowdstrike")
            && Has("disabl", "uninstall", "stopp", "turned off", "tamper", "remov"))
            return EventActions.SecurityToolDisabled;
        if (Has("remote control", "remote session", "take control", "remote desktop", "live connect", "splashtop", "anydesk session", "teamviewer session", "connected to"))
            return Has("end", "ended", "disconnect", "closed", "terminated") ? EventActions.SessionEnd : EventActions.SessionStart;
        if (Has("uninstall", "removed agent", "agent removed", "remove agent", "deleted device", "device deleted"))
            return EventActions.AgentRemoved;
        if (Has("install", "deployed agent", "agent deployed", "onboard"))
            return EventActions.AgentInstalled;
        if (Has("script", "procedure", "powershell", "command", "automation", "task", "job") && Has("run", "ran", "execut", "launch", "start", "push", "deploy", "schedul"))
            return EventActions.ScriptRun;
        if (Has("file") && Has("transfer", "upload", "download", "copied", "sent"))
            return EventActions.FileTransfer;
        if (Has("policy", "profile", "threshold", "setting") && Has("chang", "updat", "modif", "creat", "delet"))
            return EventActions.PolicyChanged;
        return null;
    }

    /// <summary>The admin-like role a free-text account event mentions ("Technician created: x (Admin)"), or null.</summary>
    public static string? Role(string? text)
    {
        if (text is null) return null;
        var m = System.Text.RegularExpressions.Regex.Match(text,
            @"\b(?:global\s+|super\s*|system\s+|domain\s+)?(?:admin(?:istrator)?s?|owner|superuser)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return m.Success ? m.Value : null;
    }

    /// <summary>An action the vendor names but custodes.event/v1 does not: kept, prefixed by the source.</summary>
    public static string Vendor(string source, string text)
    {
        var snake = Names.Snake(text);
        return $"{source}.{(snake.Length > 64 ? snake[..64] : snake)}";
    }
}
