using Custodes.Watch.Events;
using Custodes.Watch.Formats;
using static Custodes.Core.Tests.Watch.Formats;

namespace Custodes.Core.Tests.Watch;

public sealed class VendorFormatTests
{
    [Fact]
    public void ScreenConnect_session_and_security_events_map_by_event_type()
    {
        var (events, quarantine) = ReadFile("screenconnect", Sample("screenconnect.csv"), Msp("acme-it"));
        Assert.Equal(0, quarantine.Count);
        Assert.Equal(
            [EventActions.LoginSuccess, EventActions.SessionStart, EventActions.ScriptRun, EventActions.FileTransfer, EventActions.SessionEnd,
             EventActions.LoginFailure, EventActions.LoginSuccess, EventActions.SessionStart, EventActions.ScriptRun, EventActions.ScriptRun, "screenconnect.added_note"],
            events.Select(e => e.Action));
        var command = events[2];
        Assert.Equal(Utc("2024-02-19T14:07:02Z"), command.Time); // the server writes UTC
        Assert.Equal(("screenconnect", "acme-it", "Smile Dental", "mwright", "198.51.100.61", "FRONTDESK-01"),
            (command.Source, command.Msp, command.Tenant, command.Actor, command.ActorIp, command.Target));
        Assert.Equal("ipconfig /all", command.Detail[DetailKeys.CommandLine]);
        Assert.Equal("6c1b2f0e-7a51-4a3f-9a5e-0f5e2b3c9d11", command.Detail[DetailKeys.SessionId]);
        Assert.Equal("mwright", events[5].Actor);
        Assert.Equal("svchost32.exe", events[9].Detail[DetailKeys.File]);
    }

    [Fact]
    public void ScreenConnect_guest_application_log_takes_its_meaning_from_the_text()
    {
        var (events, quarantine) = ReadFile("screenconnect", Sample("screenconnect-guest.csv"), Msp("acme-it") with { Tenant = "Smile Dental" });
        Assert.Equal(0, quarantine.Count);
        Assert.Equal([EventActions.SessionStart, EventActions.ScriptRun, EventActions.ScriptRun, EventActions.SessionEnd], events.Select(e => e.Action));
        Assert.Equal(("mwright", "XRAY-PC", "Smile Dental"), (events[0].Actor, events[0].Target, events[0].Tenant));
        Assert.Equal(Utc("2024-02-26T03:25:21.6791347Z"), events[0].Time);
        Assert.Equal("23.8.6.8735", events[0].Detail["client_version"]);
        Assert.Equal(("RunElevated", "file.exe"), (events[1].Detail["transfer_action"], events[1].Detail[DetailKeys.File]));
        Assert.Equal("42", events[2].Detail["command_length"]);
    }

    [Fact]
    public void ConnectWise_Automate_script_history_is_read_in_the_server_zone()
    {
        var (events, quarantine) = ReadFile("connectwise-automate", Sample("connectwise-automate.csv"), Msp("harbor-msp", "America/New_York"));
        Assert.Equal(0, quarantine.Count);
        Assert.Equal(8, events.Count);
        Assert.All(events, e => Assert.Equal(EventActions.ScriptRun, e.Action));
        Assert.Equal(Utc("2024-05-14T01:04:10Z"), events[0].Time); // 21:04:10 EDT, StartedDate
        Assert.Equal(("root", "Harbor CPA", "ACCT-PC01", "Patch Tuesday - Install Approved"), (events[0].Actor, events[0].Tenant, events[0].Target, events[0].Detail[DetailKeys.Script]));
        Assert.Equal("vssadmin delete shadows /all /quiet", events[3].CommandText());
        Assert.Equal("3", events[0].Detail["script_status"]);
    }

    [Fact]
    public void ConnectWise_Automate_without_a_zone_quarantines_every_row()
    {
        var (events, quarantine) = ReadFile("connectwise-automate", Sample("connectwise-automate.csv"), Msp("harbor-msp"));
        Assert.Empty(events);
        Assert.Equal(8, quarantine.Count);
        Assert.All(quarantine.Entries, q => Assert.Contains("pass --timezone", q.Reason));
        Assert.Equal([2L, 3, 4, 5, 6, 7, 8, 9], quarantine.Entries.Select(q => q.Line));
    }

    [Fact]
    public void Kaseya_VSA_procedure_log_pages_name_the_organization_from_the_machine_id()
    {
        var (events, quarantine) = ReadFile("kaseya-vsa", Sample("kaseya-vsa.json"), Msp("percsoft"));
        Assert.Equal(0, quarantine.Count);
        Assert.Equal(6, events.Count);
        var first = events[0];
        Assert.Equal(("kadmin", "dental-042", "frontdesk-01.front.dental-042", "Kaseya VSA Agent Hot-fix"), (first.Actor, first.Tenant, first.Target, first.Detail[DetailKeys.Script]));
        Assert.Equal(Utc("2021-07-02T14:01:12Z"), first.Time);
        Assert.Contains("Set-MpPreference -DisableRealtimeMonitoring", first.CommandText());
        Assert.Equal("clinic-011", events[4].Tenant);
        Assert.Equal("Failed ELSE", events[4].Detail[DetailKeys.Status]);
        Assert.Equal((EventActions.SessionStart, "tech2"), (events[5].Action, events[5].Actor));
    }

    [Fact]
    public void Kaseya_VSA_records_are_numbered_by_the_line_they_start_on()
    {
        var quarantine = new Quarantine();
        var text = File.ReadAllText(Sample("kaseya-vsa.json")).Replace("\"LastExecution\": \"2021-07-02T14:01:25Z\", ", "");
        var reader = new EventReader(EventFormats.Get("kaseya-vsa"), Msp("percsoft") with { Clock = Clock }, quarantine);
        var events = reader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "vsa.json").ToList();
        Assert.Equal(5, events.Count);
        var entry = Assert.Single(quarantine.Entries);
        Assert.Equal(7, entry.Line); // the first record spans lines 4-5
        Assert.Contains("no time", entry.Reason);
        Assert.Contains("srv01.servers.law-007", entry.Raw);
    }

    [Fact]
    public void NinjaOne_activities_map_status_codes_and_epoch_times()
    {
        var (events, quarantine) = ReadFile("ninjaone", Sample("ninjaone.json"), Msp("acme-it"));
        Assert.Equal(0, quarantine.Count);
        Assert.Equal(
            [EventActions.LoginSuccess, EventActions.ScriptRun, "ninjaone.script_completed", EventActions.MfaDisabled, EventActions.AccountRoleChanged,
             EventActions.SecurityToolDisabled, EventActions.FileTransfer, EventActions.ApiKeyCreated, "ninjaone.triggered"],
            events.Select(e => e.Action));
        Assert.Equal(Utc("2024-06-03T14:21:09.12Z"), events[0].Time);
        Assert.Equal(("user:17", "law-007", "device:3301", "Clear Browser Cache"), (events[1].Actor, events[1].Tenant, events[1].Target, events[1].Detail[DetailKeys.Script]));
        Assert.Equal("mlee", events[3].Detail[DetailKeys.Account]);
        Assert.Equal(("user:17", "System Administrator"), (events[4].Actor, events[4].Detail[DetailKeys.Role]));
        Assert.Equal("SentinelOne", events[5].Detail[DetailKeys.Tool]);
        Assert.Equal("884201", events[0].Detail["activity_id"]);
    }

    [Fact]
    public void A_bad_element_of_a_page_is_quarantined_alone()
    {
        var page = """{"lastActivityId": 3, "activities": [{"id": 1, "activityTime": 1717424469, "statusCode": "APP_USER_LOGGED_IN", "userId": 1}, {"id": 2, "statusCode": "APP_USER_LOGGED_IN"}, {"id": 3, "activityTime": 1717424470, "statusCode": "APP_USER_LOGGED_OUT", "userId": 1}]}""";
        var (events, quarantine) = ReadText("ninjaone", page, Msp("acme-it"));
        Assert.Equal(2, events.Count);
        var entry = Assert.Single(quarantine.Entries);
        Assert.Contains("no activityTime", entry.Reason);
        Assert.Equal("""{"id": 2, "statusCode": "APP_USER_LOGGED_IN"}""", entry.Raw);
    }

    [Fact]
    public void A_truncated_page_keeps_the_complete_records_before_the_cut()
    {
        var text = File.ReadAllText(Sample("ninjaone.json"));
        var cut = text[..text.IndexOf("\"id\": 884206", StringComparison.Ordinal)];
        var (events, quarantine) = ReadText("ninjaone", cut, Msp("acme-it"));
        Assert.Equal(5, events.Count);
        var entry = Assert.Single(quarantine.Entries);
        Assert.Contains("truncated", entry.Reason);
        Assert.Equal(9, entry.Line);
    }

    [Fact]
    public void An_oversize_record_in_a_page_is_quarantined_and_the_rest_kept()
    {
        var big = new string('x', 2 << 20);
        var page = $$"""{"activities": [{"id": 1, "activityTime": 1717424469, "statusCode": "APP_USER_LOGGED_IN", "userId": 1}, {"id": 2, "activityTime": 1717424469, "message": "{{big}}"}, {"id": 3, "activityTime": 1717424470, "statusCode": "APP_USER_LOGGED_IN", "userId": 2}]}""";
        var (events, quarantine) = ReadText("ninjaone", page, Msp("acme-it"));
        Assert.Equal(2, events.Count);
        Assert.Contains("over the 1,048,576-byte limit", Assert.Single(quarantine.Entries).Reason);
    }

    [Fact]
    public void Datto_RMM_activity_logs_unpack_their_details()
    {
        var (events, quarantine) = ReadFile("datto-rmm", Sample("datto-rmm.json"), Msp("acme-it"));
        Assert.Equal(0, quarantine.Count);
        Assert.Equal([EventActions.LoginSuccess, EventActions.ScriptRun, EventActions.ScriptRun, EventActions.SessionStart, EventActions.AgentInstalled, EventActions.LoginFailure],
            events.Select(e => e.Action));
        Assert.Equal(("pbrown", "198.51.100.77"), (events[0].Actor, events[0].ActorIp));
        var job = events[1];
        Assert.Equal(("Harbor CPA", "ACCT-PC01", "Cleanup shadow copies", "vssadmin delete shadows /all /quiet"),
            (job.Tenant, job.Target, job.Detail[DetailKeys.Script], job.Detail[DetailKeys.CommandLine]));
        Assert.Equal(Utc("2024-06-03T14:30:00Z"), job.Time);
        Assert.Equal("1717425000000", job.Detail["job_start_time"]);
        Assert.Equal("TeamViewer 15.53", events[4].Detail[DetailKeys.Tool]);
        Assert.Equal("unknown@example.com", events[5].Actor);
    }

    [Fact]
    public void N_able_audit_exports_are_matched_by_their_words()
    {
        var (events, quarantine) = ReadFile("n-able", Sample("n-able.csv"), Msp("acme-it"));
        Assert.Equal(0, quarantine.Count);
        Assert.Equal([EventActions.LoginSuccess, EventActions.SessionStart, EventActions.SessionEnd, EventActions.MfaDisabled, EventActions.SecurityToolDisabled, EventActions.SecurityToolDisabled],
            events.Select(e => e.Action));
        Assert.Equal(Utc("2024-06-04T04:15:55Z"), events[3].Time);
        Assert.Equal(("avance@msp.example", "Maple School District", "203.0.113.200"), (events[3].Actor, events[3].Tenant, events[3].ActorIp));
    }

    [Fact]
    public void Atera_audit_log_types_and_titles_map_to_actions()
    {
        var (events, quarantine) = ReadFile("atera", Sample("atera.csv"), Msp("acme-it", "America/Chicago"));
        Assert.Equal(0, quarantine.Count);
        Assert.Equal(
            [EventActions.LoginSuccess, EventActions.ScriptRun, EventActions.SessionStart, EventActions.AgentInstalled, EventActions.MfaDisabled, EventActions.AccountCreated, EventActions.BackupDeleted],
            events.Select(e => e.Action));
        Assert.Equal(Utc("2024-06-03T13:59:12Z"), events[0].Time); // 08:59 CDT
        Assert.Equal("Install software: AnyDesk", events[3].Detail[DetailKeys.Tool]);
        Assert.Equal("Admin", events[5].Detail[DetailKeys.Role]);
        Assert.Equal(("Sam Ortiz", "Oak Realty", "OAK-PC-01"), (events[1].Actor, events[1].Tenant, events[1].Target));
    }

    [Fact]
    public void An_unknown_map_field_is_bad_input_for_vendor_formats_too() =>
        Assert.Throws<Custodes.Common.BadInputException>(() => ReadFile("ninjaone", Sample("ninjaone.json"),
            Msp("acme-it") with { FieldMap = new Dictionary<string, string> { ["organisation"] = "data.organizationName" } }));

    [Theory]
    [InlineData("screenconnect")]
    [InlineData("connectwise-automate")]
    [InlineData("kaseya-vsa")]
    [InlineData("ninjaone")]
    [InlineData("datto-rmm")]
    [InlineData("n-able")]
    [InlineData("atera")]
    public void Vendor_records_without_an_msp_are_quarantined_asking_for_one(string format)
    {
        var file = Directory.GetFiles(Path.GetDirectoryName(Sample("x"))!, format + ".*").Single();
        var (events, quarantine) = ReadFile(format, file, new ReadOptions { TimeZone = TimeZoneInfo.Utc });
        Assert.Empty(events);
        Assert.All(quarantine.Entries, q => Assert.Contains("--msp", q.Reason));
    }
}
