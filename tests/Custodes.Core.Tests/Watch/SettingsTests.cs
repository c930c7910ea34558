using Custodes.Common;
using Custodes.Watch.Detection;

namespace Custodes.Core.Tests.Watch;

public sealed class SettingsTests
{
    [Fact]
    public void Defaults_are_the_contract_parameters()
    {
        var s = new DetectionSettings();
        Assert.Equal(5, s.MassExecution.MinTenants);
        Assert.Equal(TimeSpan.FromMinutes(30), s.MassExecution.Window);
        Assert.Equal(TimeSpan.FromDays(7), s.MassExecution.RecurringLookback);
        Assert.Equal(5, s.MassExecution.RecurringMinTenants);
        Assert.Equal(TimeSpan.FromDays(14), s.NewSourceIp.Lookback);
        Assert.Equal(TimeSpan.FromDays(7), s.NewSourceIp.MinHistory);
        Assert.Equal(new TimeOnly(7, 0), s.WorkingHours.Start);
        Assert.Equal(new TimeOnly(19, 0), s.WorkingHours.End);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], s.WorkingHours.Days);
        Assert.Equal("UTC", s.TimeZone);
        Assert.Equal(10, s.BruteForce.MinFailures);
        Assert.Equal(TimeSpan.FromMinutes(10), s.BruteForce.Window);
        Assert.Equal(TimeSpan.Zero, s.LearningPeriod);
    }

    [Fact]
    public void Yaml_settings_hold_defaults_and_per_msp_overlays()
    {
        var settings = WatchSettings.Parse("""
            time_zone: America/Chicago
            mass_execution:
              min_tenants: 8
              window: 45m
            approved_scripts: ["Patch-*"]
            msps:
              percsoft:
                time_zone: America/Denver
                mass_execution: {window: 1h}
                working_hours: {start: "06:30", end: "18:00", days: [mon, tue, wed, thu, fri, sat]}
            """, "watch.yaml");

        Assert.Equal("America/Chicago", settings.Defaults.TimeZone);
        Assert.Equal(8, settings.Defaults.MassExecution.MinTenants);
        Assert.Equal(TimeSpan.FromMinutes(45), settings.Defaults.MassExecution.Window);
        var percsoft = settings.For("percsoft");
        Assert.Equal("America/Denver", percsoft.TimeZone);
        Assert.Equal(8, percsoft.MassExecution.MinTenants); // inherited
        Assert.Equal(TimeSpan.FromHours(1), percsoft.MassExecution.Window); // overridden
        Assert.Equal(["Patch-*"], percsoft.ApprovedScripts);
        Assert.Equal(new TimeOnly(6, 30), percsoft.WorkingHours.Start);
        Assert.Contains(DayOfWeek.Saturday, percsoft.WorkingHours.Days);
        Assert.Same(settings.Defaults, settings.For("someone-else"));
    }

    [Fact]
    public void Json_settings_read_the_same()
    {
        var settings = WatchSettings.Parse("""{"brute_force": {"min_failures": 20, "window": "PT15M"}, "learning_period": "7d"}""");
        Assert.Equal(20, settings.Defaults.BruteForce.MinFailures);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.Defaults.BruteForce.Window);
        Assert.Equal(TimeSpan.FromDays(7), settings.Defaults.LearningPeriod);
    }

    [Fact]
    public void An_unknown_setting_is_bad_input_naming_it()
    {
        var e = Assert.Throws<BadInputException>(() => WatchSettings.Parse("mass_execution:\n  min_tenant: 5\n", "watch.yaml"));
        Assert.Equal("watch.yaml", e.File);
        Assert.Contains("min_tenant", e.Message);
    }

    [Theory]
    [InlineData("mass_execution: {min_tenants: 0}", "$.mass_execution.min_tenants")]
    [InlineData("time_zone: Mars/Olympus", "$.time_zone")]
    [InlineData("mass_execution: {window: soon}", "$.mass_execution.window")]
    [InlineData("msps: {acme: {brute_force: {min_failures: -1}}}", "$.msps.acme.brute_force.min_failures")]
    [InlineData("disabled_rules: [mass-exec]", "$.disabled_rules")]
    public void Invalid_settings_are_bad_input_with_their_path(string yaml, string path)
    {
        var e = Assert.Throws<BadInputException>(() => WatchSettings.Parse(yaml, "watch.yaml"));
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void Malformed_yaml_names_the_line() =>
        // YamlDotNet reports where it noticed: the unclosed flow sequence runs to the end of the input.
        Assert.InRange(Assert.Throws<BadInputException>(() => WatchSettings.Parse("time_zone: UTC\nmass_execution: [unclosed\n", "w.yaml")).Line ?? 0, 2, 3);

    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("PT30M", 30 * 60)]
    [InlineData("00:30:00", 30 * 60)]
    [InlineData("2w", 14 * 86400)]
    public void Durations_are_read_as_people_write_them(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }
}
