using Custodes.Common;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;
using static Custodes.Core.Tests.Watch.Formats;

namespace Custodes.Core.Tests.Watch;

public sealed class FormatTests
{
    private const string ContractExample =
        """{"time": "2019-08-29T03:12:07Z", "source": "kaseya-vsa", "msp": "percsoft", "tenant": "dental-042", "actor": "tech7", "actor_ip": "203.0.113.9", "action": "script.run", "target": "FRONTDESK-01", "detail": {"script": "Maint-0829", "command_line": "vssadmin delete shadows /all /quiet"}}""";

    [Fact]
    public void The_contract_example_parses_field_for_field()
    {
        var e = EventJson.Parse(System.Text.Encoding.UTF8.GetBytes(ContractExample));
        Assert.Equal(Utc("2019-08-29T03:12:07Z"), e.Time);
        Assert.Equal(TimeSpan.Zero, e.Time.Offset);
        Assert.Equal(("kaseya-vsa", "percsoft", "dental-042", "tech7", "203.0.113.9", "script.run", "FRONTDESK-01"),
            (e.Source, e.Msp, e.Tenant, e.Actor, e.ActorIp, e.Action, e.Target));
        Assert.Equal("Maint-0829", e.Detail[DetailKeys.Script]);
        Assert.Equal("vssadmin delete shadows /all /quiet", e.Detail[DetailKeys.CommandLine]);
    }

    [Fact]
    public void Events_round_trip_through_ndjson()
    {
        var (events, quarantine) = ReadFile("custodes", Sample("custodes.ndjson"));
        Assert.Equal(0, quarantine.Count);
        foreach (var e in events) Assert.Equal(e, EventJson.Parse(System.Text.Encoding.UTF8.GetBytes(EventJson.Serialize(e))));
        Assert.Equal("""{"time":"2019-08-29T03:12:07Z","source":"kaseya-vsa","msp":"percsoft","tenant":"dental-042","actor":"tech7","actor_ip":"203.0.113.9","action":"script.run","target":"FRONTDESK-01","detail":{"script":"Maint-0829","command_line":"vssadmin delete shadows /all /quiet"}}""",
            EventJson.Serialize(events[6]));
    }

    [Fact]
    public void The_custodes_sample_keeps_unknown_actions_and_non_string_details()
    {
        var (events, quarantine) = ReadFile("custodes", Sample("custodes.ndjson"));
        Assert.Equal(13, events.Count);
        Assert.Equal(0, quarantine.Count);
        Assert.Contains(events, e => e.Action == "ticket.updated" && e.Detail["ticket"] == "T-48213");
        var install = events.Single(e => e.Action == EventActions.AgentInstalled);
        Assert.Equal(new DetailEntry("elevated", "true", IsJson: true), install.Detail.Single(d => d.Key == "elevated"));
        Assert.Null(events[0].Tenant);
    }

    [Fact]
    public void Unknown_top_level_fields_are_kept_in_detail()
    {
        var (events, _) = ReadText("custodes", """{"time":"2019-08-29T03:12:07Z","source":"s","msp":"m","action":"a","ticket":42}""");
        Assert.Equal("42", Assert.Single(events).Detail["ticket"]);
    }

    [Theory]
    [InlineData("""{"source":"s","msp":"m","action":"a"}""", "missing required field 'time'")]
    [InlineData("""{"time":"2019-08-29T03:12:07Z","source":"s","action":"a"}""", "missing required field 'msp'")]
    [InlineData("""{"time":"2019-08-29T03:12:07Z","source":"s","msp":"m"}""", "missing required field 'action'")]
    [InlineData("""{"time":1567048327,"source":"s","msp":"m","action":"a"}""", "time must be a string")]
    [InlineData("""{"time":"yesterday","source":"s","msp":"m","action":"a"}""", "is not an RFC 3339 time")]
    [InlineData("""{"time":"2019-08-29T03:12:07Z","source":"s","msp":"m","action":"a","detail":"x"}""", "detail must be an object")]
    [InlineData("""[1,2]""", "expected a JSON object")]
    [InlineData("""{"time":"2019-08-29T03:12:07Z","source":"s","msp":"m","action":"a"} trailing""", "malformed JSON")]
    public void Bad_custodes_lines_are_quarantined_with_a_reason(string line, string reason)
    {
        var (events, quarantine) = ReadText("custodes", line + "\n");
        Assert.Empty(events);
        var entry = Assert.Single(quarantine.Entries);
        Assert.Contains(reason, entry.Reason);
        Assert.Equal(1, entry.Line);
        Assert.Equal(line, entry.Raw);
    }

    [Fact]
    public void A_truncated_file_keeps_every_complete_event()
    {
        var text = File.ReadAllText(Sample("custodes.ndjson"));
        var (events, quarantine) = ReadText("custodes", text[..(text.Length - 40)]);
        Assert.Equal(12, events.Count);
        var entry = Assert.Single(quarantine.Entries);
        Assert.Equal(13, entry.Line);
        Assert.Contains("malformed JSON", entry.Reason);
    }

    [Fact]
    public void Invalid_utf8_is_quarantined_with_its_bytes()
    {
        var good = System.Text.Encoding.UTF8.GetBytes(ContractExample + "\n");
        var bad = System.Text.Encoding.UTF8.GetBytes("""{"time":"2019-08-29T03:12:07Z","source":"s","msp":"m","action":"a","actor":"te""").Concat(new byte[] { 0xC3, 0x28 })
            .Concat(System.Text.Encoding.UTF8.GetBytes("\"}\n")).ToArray();
        var (events, quarantine) = Read("custodes", new MemoryStream([.. good, .. bad, .. good]), "mixed");
        Assert.Equal(2, events.Count);
        var entry = Assert.Single(quarantine.Entries);
        Assert.Equal(2, entry.Line);
        Assert.StartsWith("invalid UTF-8 at byte 78", entry.Reason);
        Assert.Equal(bad[..^1], Convert.FromBase64String(entry.RawBase64!));
    }

    [Fact]
    public void A_ten_megabyte_line_is_quarantined_without_being_buffered()
    {
        var huge = new byte[10 << 20];
        Array.Fill(huge, (byte)'x');
        huge[0] = (byte)'{';
        var input = new MemoryStream([.. System.Text.Encoding.UTF8.GetBytes(ContractExample + "\n"), .. huge, (byte)'\n', .. System.Text.Encoding.UTF8.GetBytes(ContractExample + "\n")]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var (events, quarantine) = Read("custodes", input, "huge.ndjson");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2, events.Count);
        var entry = Assert.Single(quarantine.Entries);
        Assert.Equal(2, entry.Line);
        Assert.Contains("10,485,760 bytes, over the 1,048,576-byte limit", entry.Reason);
        Assert.True(entry.Truncated);
        Assert.Equal(4096, entry.Raw.Length);
        Assert.True(allocated < 6 << 20, $"allocated {allocated:N0} bytes reading a 10 MB line");
    }

    [Fact]
    public void Times_without_a_zone_are_quarantined_unless_a_zone_is_given()
    {
        const string line = """{"time":"2019-08-28T21:12:07","source":"s","msp":"m","action":"a"}""";
        var (none, quarantine) = ReadText("custodes", line);
        Assert.Empty(none);
        Assert.Contains("has no time zone", Assert.Single(quarantine.Entries).Reason);

        var (events, _) = ReadText("custodes", line, new ReadOptions { TimeZone = Timestamps.ResolveZone("America/Denver") });
        Assert.Equal(Utc("2019-08-29T03:12:07Z"), Assert.Single(events).Time);
    }

    [Fact]
    public void Times_more_than_a_day_ahead_of_the_clock_are_quarantined()
    {
        // The test clock reads 2026-01-01T00:00:00Z.
        var (events, quarantine) = ReadText("custodes", """
            {"time":"2026-01-01T23:59:59Z","source":"s","msp":"m","action":"a"}
            {"time":"2026-01-02T00:00:01Z","source":"s","msp":"m","action":"a"}
            """);
        Assert.Single(events);
        var entry = Assert.Single(quarantine.Entries);
        Assert.Equal(2, entry.Line);
        Assert.Contains("more than 24 h ahead of the clock", entry.Reason);
    }

    [Fact]
    public void Blank_lines_crlf_and_a_bom_are_not_errors()
    {
        var text = "\uFEFF" + ContractExample + "\r\n\r\n   \r\n" + ContractExample + "\r\n";
        var (events, quarantine) = ReadText("custodes", text);
        Assert.Equal(2, events.Count);
        Assert.Equal(0, quarantine.Count);
    }

    [Fact]
    public void Offsets_are_normalised_to_utc()
    {
        var (events, _) = ReadText("custodes", """{"time":"2019-08-28T21:12:07.25-06:00","source":"s","msp":"m","action":"a"}""");
        var e = Assert.Single(events);
        Assert.Equal(Utc("2019-08-29T03:12:07.25Z"), e.Time);
        Assert.Equal("2019-08-29T03:12:07.25Z", EventJson.FormatTime(e.Time));
    }

    [Fact]
    public void Csv_reads_common_column_names_and_action_words()
    {
        var (events, quarantine) = ReadFile("csv", Sample("csv.csv"));
        Assert.Equal(0, quarantine.Count);
        Assert.Equal(7, events.Count);
        Assert.Equal(EventActions.BackupDeleted, events[5].Action);
        Assert.Equal(EventActions.AccountCreated, events[6].Action);
        Assert.Equal("powershell -NoProfile -Command \"Get-PSDrive -PSProvider FileSystem\"", events[1].Detail[DetailKeys.CommandLine]);
        Assert.Equal("Check-DiskSpace", events[1].Detail[DetailKeys.Script]);
        Assert.Equal(("acme-rmm", "acme-it", "law-007", "jsmith", "LAW-FS01"), (events[1].Source, events[1].Msp, events[1].Tenant, events[1].Actor, events[1].Target));
    }

    [Fact]
    public void Csv_columns_can_be_mapped_and_quoted_fields_span_lines()
    {
        var text = "When;Who;What;Client;Notes\n2024-06-03 14:10:43;jsmith;script.run;law-007;\"two\nlines\"\n2024-06-03 14:11:00;jsmith;session.start;law-007;x\n";
        var options = new ReadOptions
        {
            Msp = "acme-it", TimeZone = TimeZoneInfo.Utc,
            FieldMap = new Dictionary<string, string> { ["time"] = "When", ["actor"] = "Who", ["action"] = "What", ["tenant"] = "Client" },
        };
        var (events, quarantine) = ReadText("csv", text, options);
        Assert.Equal(0, quarantine.Count);
        Assert.Equal("two\nlines", events[0].Detail["notes"]);
        Assert.Equal(("jsmith", "law-007", "acme-it"), (events[1].Actor, events[1].Tenant, events[1].Msp));
    }

    [Fact]
    public void A_csv_header_without_the_needed_columns_is_bad_input() =>
        Assert.Throws<BadInputException>(() => ReadText("csv", "who,what\njsmith,login\n"));

    [Fact]
    public void Csv_rows_with_too_many_fields_are_quarantined_by_line()
    {
        var (events, quarantine) = ReadText("csv", "time,msp,action\n2024-06-03T14:10:43Z,m,a\n2024-06-03T14:10:44Z,m,a,extra\n2024-06-03T14:10:45Z,m,a\n");
        Assert.Equal(2, events.Count);
        Assert.Equal(3, Assert.Single(quarantine.Entries).Line);
    }

    [Fact]
    public void Syslog_reads_rfc5424_and_rfc3164_with_json_or_key_value_messages()
    {
        var (events, quarantine) = ReadFile("syslog", Sample("syslog.log"), new ReadOptions { TimeZone = TimeZoneInfo.Utc });
        Assert.Equal(0, quarantine.Count);
        Assert.Equal(5, events.Count);
        Assert.Equal(("acme-it", "law-007", "jsmith", "198.51.100.44", EventActions.LoginSuccess), (events[0].Msp, events[0].Tenant, events[0].Actor, events[0].ActorIp, events[0].Action));
        Assert.Equal("acme-rmm", events[0].Source);
        Assert.Equal("rmm01.acme.example", events[0].Detail["syslog_host"]);
        Assert.Equal("law-007", events[1].Tenant); // from structured data
        Assert.Equal("powershell -NoProfile -Command \"Get-PSDrive\"", events[1].Detail[DetailKeys.CommandLine]);
        Assert.Equal(Utc("2024-06-03T20:47:31Z"), events[2].Time); // +02:00 normalised
        Assert.Equal(EventActions.MfaDisabled, events[3].Action);
        Assert.Equal(Utc("2025-06-03T22:50:02Z"), events[3].Time); // RFC 3164: no year, the latest not ahead of the clock
        Assert.Equal("Global Admin", events[4].Detail[DetailKeys.Role]);
    }

    [Fact]
    public void Rfc3164_without_a_zone_needs_one_unless_the_message_has_a_time()
    {
        var (events, quarantine) = ReadFile("syslog", Sample("syslog.log"));
        Assert.Equal(4, events.Count);
        var entry = Assert.Single(quarantine.Entries);
        Assert.Equal(4, entry.Line);
        Assert.Contains("pass --timezone", entry.Reason);
    }

    [Theory]
    [InlineData("no pri here", "expected <PRI>")]
    [InlineData("<999>1 2024-06-03T14:01:09Z h a p m - x=y", "malformed syslog PRI")]
    [InlineData("<134>1 2024-06-03T14:01:09 h a p m - action=x msp=m", "not RFC 3339 with a zone")]
    [InlineData("<134>1 2024-06-03T14:01:09Z h a p m - just words", "neither a JSON object nor key=value")]
    public void Bad_syslog_lines_are_quarantined(string line, string reason) =>
        Assert.Contains(reason, Assert.Single(ReadText("syslog", line).Quarantine.Entries).Reason);

    [Fact]
    public void Jsonl_maps_dotted_paths_and_keeps_other_fields()
    {
        var map = new Dictionary<string, string> { ["time"] = "ts", ["action"] = "event.type", ["actor"] = "user.name", ["actor_ip"] = "user.ip", ["tenant"] = "org", ["target"] = "device" };
        var (events, quarantine) = ReadFile("jsonl", Sample("jsonl.jsonl"), new ReadOptions { FieldMap = map });
        Assert.Equal(0, quarantine.Count);
        Assert.Equal(4, events.Count);
        Assert.Equal(("jsmith", "192.0.2.15", "cpa-002", "CPA-SRV"), (events[2].Actor, events[2].ActorIp, events[2].Tenant, events[2].Target));
        Assert.Equal("bcdedit /set {default} recoveryenabled No", events[2].Detail[DetailKeys.CommandLine]);
        Assert.Equal("87", events[2].Detail["risk"]);
        Assert.Equal(EventActions.ApiKeyCreated, events[3].Action);
    }

    [Fact]
    public void Jsonl_also_reads_a_json_array()
    {
        var (events, quarantine) = ReadText("jsonl", "[\n {\"time\": \"2024-06-03T14:01:09Z\", \"msp\": \"m\", \"action\": \"login\"},\n {\"time\": \"2024-06-03T14:02:09Z\", \"msp\": \"m\", \"action\": \"logout\"}\n]");
        Assert.Equal(0, quarantine.Count);
        Assert.Equal([EventActions.LoginSuccess, "logout"], events.Select(e => e.Action));
    }

    [Fact]
    public void An_unknown_map_field_is_bad_input() =>
        Assert.Throws<BadInputException>(() => ReadText("csv", "a\n1\n", new ReadOptions { FieldMap = new Dictionary<string, string> { ["who"] = "a" } }));

    [Fact]
    public void Unknown_formats_are_bad_input_listing_the_known_ones() =>
        Assert.Contains("screenconnect", Assert.Throws<BadInputException>(() => EventFormats.Get("labtech")).Message);
}
