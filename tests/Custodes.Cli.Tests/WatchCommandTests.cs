using System.Text.Json;
using Custodes.Cli;

namespace Custodes.Cli.Tests;

public sealed class WatchCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("custodes-watch-cli");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<string> Simulate(string name, params string[] args)
    {
        var (code, output, _) = await Run(["watch", "simulate", .. args]);
        Assert.Equal(0, code);
        var path = PathOf(name);
        await File.WriteAllTextAsync(path, output);
        return path;
    }

    [Fact]
    public async Task Simulate_dental_2019_piped_into_detect_json_names_the_actor_and_tenants()
    {
        var log = await Simulate("dental.ndjson", "--msps", "2", "--tenants", "100", "--days", "30", "--seed", "5", "--attack", "dental-2019");
        var (code, output, _) = await Run("watch", "detect", log, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["events", "alerts"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(File.ReadLines(log).Count(), json.RootElement.GetProperty("events").GetInt64());
        var mass = json.RootElement.GetProperty("alerts").EnumerateArray()
            .Single(a => a.GetProperty("rule").GetString() == "mass-execution" && a.GetProperty("actor").GetString() == "tech02");
        Assert.Equal("msp-01", mass.GetProperty("msp").GetString());
        Assert.Equal("critical", mass.GetProperty("severity").GetString());
        Assert.Equal(100, mass.GetProperty("tenants").GetArrayLength());
        Assert.Contains("dental-0001", mass.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        foreach (var field in (string[])["rule", "severity", "msp", "actor", "tenants", "first_seen", "last_seen", "event_count", "summary"])
            Assert.True(mass.TryGetProperty(field, out _), field);
        Assert.EndsWith("Z", mass.GetProperty("first_seen").GetString());
        // Additive: what each alert is evidence against in NIST SP 800-171 r2.
        Assert.Equal(["3.1.7", "3.4.6"], mass.GetProperty("requirements").EnumerateArray().Select(r => r.GetString()));
        var backup = json.RootElement.GetProperty("alerts").EnumerateArray().First(a => a.GetProperty("rule").GetString() == "backup-destruction");
        Assert.Equal(["3.8.9"], backup.GetProperty("requirements").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Fail_on_exits_one_only_when_an_alert_reaches_that_severity()
    {
        var log = await Simulate("rogue.ndjson", "--msps", "1", "--tenants", "5", "--days", "10", "--attack", "rogue-tool");
        Assert.Equal(1, (await Run("watch", "detect", log, "--fail-on", "high")).Code);
        Assert.Equal(0, (await Run("watch", "detect", log, "--fail-on", "critical")).Code);
    }

    [Fact]
    public async Task Human_output_is_a_table_with_summaries()
    {
        var log = await Simulate("rogue.ndjson", "--msps", "1", "--tenants", "5", "--days", "10", "--attack", "rogue-tool");
        var (code, output, _) = await Run("watch", "detect", log);
        Assert.Equal(0, code);
        var text = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "); // the console wraps at its width
        Assert.Contains("installed AnyDesk, a remote-access tool not on the approved list", text);
        Assert.Matches(@"\d+ events, \d+ alerts \(\d+ high", text);
    }

    [Fact]
    public async Task Bad_lines_are_quarantined_with_file_line_and_reason_and_the_good_events_kept()
    {
        var log = PathOf("mixed.ndjson");
        await File.WriteAllLinesAsync(log,
        [
            """{"time":"2019-08-29T03:12:07Z","source":"kaseya-vsa","msp":"percsoft","tenant":"dental-042","actor":"tech7","actor_ip":"203.0.113.9","action":"script.run","target":"FRONTDESK-01","detail":{"script":"Maint-0829","command_line":"vssadmin delete shadows /all /quiet"}}""",
            """{"time":"2019-08-29T03:12:07","source":"kaseya-vsa","msp":"percsoft","action":"script.run"}""",
            "not json",
        ]);
        var quarantine = PathOf("q.ndjson");
        var (code, output, errors) = await Run("watch", "detect", log, "--json", "--quarantine", quarantine);

        Assert.Equal(0, code);
        Assert.Equal(1, JsonDocument.Parse(output).RootElement.GetProperty("events").GetInt64());
        Assert.Contains($"{log}:2: time '2019-08-29T03:12:07' has no time zone", errors);
        Assert.Contains($"{log}:3:", errors);
        var entries = File.ReadAllLines(quarantine).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([2L, 3L], entries.Select(e => e.GetProperty("line").GetInt64()));
        Assert.Equal("not json", entries[1].GetProperty("raw").GetString());
        Assert.Equal(log, entries[0].GetProperty("file").GetString());
    }

    [Fact]
    public async Task A_timezone_option_reads_zone_less_times()
    {
        var log = PathOf("local.ndjson");
        await File.WriteAllTextAsync(log, """{"time":"2019-08-28T21:12:07","source":"kaseya-vsa","msp":"percsoft","action":"session.start","actor":"tech7"}""" + "\n");
        var (code, output, _) = await Run("watch", "detect", log, "--json", "--timezone", "America/Denver");
        Assert.Equal(0, code);
        var alert = JsonDocument.Parse(output).RootElement.GetProperty("alerts")[0];
        Assert.Equal("2019-08-29T03:12:07Z", alert.GetProperty("first_seen").GetString());
    }

    [Fact]
    public async Task Vendor_formats_need_and_take_an_msp()
    {
        var log = PathOf("ninja.json");
        await File.WriteAllTextAsync(log, """{"lastActivityId": 2, "activities": [{"id": 1, "activityTime": 1700000000.5, "statusCode": "APP_USER_MFA_DELETED", "activityType": "SYSTEM", "userId": 17}]}""");
        var (code, _, errors) = await Run("watch", "detect", log, "--format", "ninjaone", "--json");
        Assert.Equal(2, code);
        Assert.Contains("--msp", errors);
        var (ok, output, _) = await Run("watch", "detect", log, "--format", "ninjaone", "--msp", "acme-it", "--json");
        Assert.Equal(0, ok);
        Assert.Equal("mfa-disabled", JsonDocument.Parse(output).RootElement.GetProperty("alerts")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Sigma_rules_add_alerts()
    {
        var log = await Simulate("k.ndjson", "--msps", "1", "--tenants", "6", "--days", "10", "--attack", "kaseya-2021");
        var rule = PathOf("certutil.yml");
        await File.WriteAllTextAsync(rule, "title: Certutil copied and used to decode\nid: certutil-decode\nlevel: critical\ndetection:\n  sel:\n    command_line|contains|all: [certutil, -decode]\n  condition: sel\n");
        var (code, output, _) = await Run("watch", "detect", log, "--json", "--sigma", rule);
        Assert.Equal(0, code);
        var alert = JsonDocument.Parse(output).RootElement.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("rule").GetString() == "sigma:certutil-decode");
        Assert.Equal(6, alert.GetProperty("tenants").GetArrayLength());
    }

    [Theory]
    [InlineData("--format", "solarwinds")]
    [InlineData("--settings", "/nonexistent/watch.yaml")]
    [InlineData("--sigma", "/nonexistent/rules")]
    [InlineData("--fail-on", "severe")]
    [InlineData("--map", "nonsense")]
    public async Task Bad_usage_exits_two_with_the_reason_on_stderr(string option, string value)
    {
        var log = await Simulate("x.ndjson", "--msps", "1", "--tenants", "2", "--days", "1");
        var (code, output, errors) = await Run("watch", "detect", log, "--json", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error:", errors);
    }

    [Fact]
    public async Task Unreadable_settings_name_the_file_and_path()
    {
        var settings = PathOf("watch.yaml");
        await File.WriteAllTextAsync(settings, "mass_execution:\n  min_tenants: zero\n");
        var log = await Simulate("x.ndjson", "--msps", "1", "--tenants", "2", "--days", "1");
        var (code, _, errors) = await Run("watch", "detect", log, "--settings", settings);
        Assert.Equal(2, code);
        Assert.Contains($"{settings}: $.mass_execution.min_tenants", errors);
    }

    [Fact]
    public async Task An_input_that_is_all_bad_records_is_bad_input()
    {
        var log = PathOf("garbage.txt");
        await File.WriteAllTextAsync(log, "hello\nworld\n");
        var (code, _, errors) = await Run("watch", "detect", log);
        Assert.Equal(2, code);
        Assert.Contains("no events could be read", errors);
    }

    [Fact]
    public async Task A_missing_input_is_bad_input_and_an_unreadable_one_an_io_failure()
    {
        Assert.Equal(2, (await Run("watch", "detect", PathOf("missing.ndjson"))).Code);
        Assert.Equal(3, (await Run("watch", "detect", _dir.FullName)).Code);
    }

    [Fact]
    public async Task Simulate_writes_to_a_file_with_its_settings_and_is_deterministic()
    {
        var a = PathOf("a.ndjson");
        var settings = PathOf("s.yaml");
        var (code, output, errors) = await Run("watch", "simulate", "--msps", "1", "--tenants", "3", "--days", "2", "--seed", "9", "--out", a, "--settings-out", settings);
        Assert.Equal(0, code);
        Assert.Equal("", output);
        Assert.Contains("simulated", errors);
        Assert.Contains("learning_period: 7d", await File.ReadAllTextAsync(settings));
        var again = await Simulate("b.ndjson", "--msps", "1", "--tenants", "3", "--days", "2", "--seed", "9");
        Assert.Equal(await File.ReadAllTextAsync(a), await File.ReadAllTextAsync(again));
    }

    [Fact]
    public async Task Formats_lists_every_format()
    {
        var (code, output, _) = await Run("watch", "formats", "--json");
        Assert.Equal(0, code);
        var names = JsonDocument.Parse(output).RootElement.GetProperty("formats").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(["custodes", "csv", "syslog", "jsonl", "screenconnect", "connectwise-automate", "kaseya-vsa", "ninjaone", "datto-rmm", "n-able", "atera"], names);
    }
}
