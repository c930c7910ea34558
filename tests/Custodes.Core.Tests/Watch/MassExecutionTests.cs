using Custodes.Watch.Detection;
using Custodes.Watch.Events;
using static Custodes.Core.Tests.Watch.Ev;

namespace Custodes.Core.Tests.Watch;

public sealed class MassExecutionTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Mass_execution_fires_for_one_script_on_five_tenants_in_30_minutes()
    {
        var alerts = Detect(Burst(Day, 5, 5 * Minute)).Rule(RuleIds.MassExecution);

        var alert = Assert.Single(alerts);
        Assert.Equal("tech7", alert.Actor);
        Assert.Equal("percsoft", alert.Msp);
        Assert.Equal([Tenant(1), Tenant(2), Tenant(3), Tenant(4), Tenant(5)], alert.Tenants);
        Assert.Equal(5, alert.EventCount);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Day, alert.FirstSeen);
        Assert.Equal(Day + 20 * Minute, alert.LastSeen);
        Assert.Equal("Maint-0829", alert.Subject);
        Assert.Contains("Maint-0829", alert.Summary);
    }

    [Fact]
    public void Four_tenants_are_not_a_mass_execution() =>
        Assert.Empty(Detect(Burst(Day, 4, Minute)).Rule(RuleIds.MassExecution));

    [Fact]
    public void Repeated_runs_on_the_same_tenants_count_each_tenant_once()
    {
        var events = Burst(Day, 4, Minute).Concat(Burst(Day + 10 * Minute, 4, Minute));
        Assert.Empty(Detect(events).Rule(RuleIds.MassExecution));
    }

    [Fact]
    public void Five_tenants_exactly_30_minutes_apart_are_within_the_window() =>
        Assert.Single(Detect(Burst(Day, 5, 7.5 * Minute)).Rule(RuleIds.MassExecution));

    [Fact]
    public void Five_tenants_over_more_than_30_minutes_are_not() =>
        Assert.Empty(Detect(Burst(Day, 5, 7.5 * Minute + TimeSpan.FromSeconds(1))).Rule(RuleIds.MassExecution));

    [Fact]
    public void Mass_execution_needs_one_actor()
    {
        var events = Enumerable.Range(1, 5).Select(i => Script(Tenant(i), Day + i * Minute, actor: $"tech{i}"));
        Assert.Empty(Detect(events).Rule(RuleIds.MassExecution));
    }

    [Fact]
    public void Mass_execution_needs_the_same_script()
    {
        var events = Enumerable.Range(1, 5).Select(i => Script(Tenant(i), Day + i * Minute, script: $"Fix-{i}"));
        Assert.Empty(Detect(events).Rule(RuleIds.MassExecution));
    }

    [Fact]
    public void A_command_line_without_a_script_name_is_matched_ignoring_case_and_spacing()
    {
        var events = Enumerable.Range(1, 5).Select(i => Command(Tenant(i), Day + i * Minute, i % 2 == 0 ? "ipconfig  /flushdns" : "IPCONFIG /flushdns"));
        var alert = Assert.Single(Detect(events).Rule(RuleIds.MassExecution));
        Assert.Equal(5, alert.Tenants.Count);
    }

    [Fact]
    public void One_burst_on_a_hundred_tenants_is_one_alert_with_all_of_them()
    {
        var alert = Assert.Single(Detect(Burst(Night, 100, TimeSpan.FromSeconds(30))).Rule(RuleIds.MassExecution));
        Assert.Equal(100, alert.Tenants.Count);
        Assert.Equal(100, alert.EventCount);
        Assert.Equal(50, alert.Events.Count); // bounded sample, exact count
    }

    [Fact]
    public void A_burst_that_destroys_backups_is_critical()
    {
        var events = Enumerable.Range(1, 5).Select(i => Script(Tenant(i), Night + i * Minute, command: "vssadmin delete shadows /all /quiet"));
        Assert.Equal(Severity.Critical, Assert.Single(Detect(events).Rule(RuleIds.MassExecution)).Severity);
    }

    [Fact]
    public void Recurring_patch_job_does_not_raise_mass_execution()
    {
        // A nightly job on 10 tenants for 8 nights: only the very first run, with no history behind it, alerts.
        var nights = Enumerable.Range(0, 8).SelectMany(n => Burst(Night.AddDays(n), 10, Minute, actor: "scheduler", script: "Patch-Nightly"));
        var alerts = Detect(nights).Rule(RuleIds.MassExecution);

        var first = Assert.Single(alerts);
        Assert.Equal(Night, first.FirstSeen);
    }

    [Fact]
    public void A_job_that_ran_on_five_tenants_in_the_prior_seven_days_is_recurring()
    {
        var earlier = Burst(Night.AddDays(-6), 5, Minute, actor: "tech1", script: "Patch-Nightly");
        var tonight = Burst(Night, 10, Minute, actor: "scheduler", script: "Patch-Nightly");
        var alerts = Detect(earlier.Concat(tonight)).Rule(RuleIds.MassExecution);
        Assert.DoesNotContain(alerts, a => a.FirstSeen >= Night);
    }

    [Fact]
    public void A_weekly_job_at_the_same_time_last_week_is_recurring()
    {
        var lastWeek = Burst(Night.AddDays(-7), 10, Minute, script: "Weekly-Maintenance");
        var thisWeek = Burst(Night, 10, Minute, script: "Weekly-Maintenance");
        Assert.DoesNotContain(Detect(lastWeek.Concat(thisWeek)).Rule(RuleIds.MassExecution), a => a.FirstSeen >= Night);
    }

    [Fact]
    public void History_on_four_tenants_does_not_make_a_job_recurring()
    {
        var earlier = Burst(Night.AddDays(-3), 4, Minute, script: "Patch-Nightly");
        var tonight = Burst(Night, 10, Minute, script: "Patch-Nightly");
        Assert.Single(Detect(earlier.Concat(tonight)).Rule(RuleIds.MassExecution), a => a.FirstSeen >= Night);
    }

    [Fact]
    public void History_older_than_seven_days_does_not_count()
    {
        var earlier = Burst(Night.AddDays(-8), 10, Minute, script: "Patch-Nightly");
        var tonight = Burst(Night, 10, Minute, script: "Patch-Nightly");
        Assert.Single(Detect(earlier.Concat(tonight)).Rule(RuleIds.MassExecution), a => a.FirstSeen >= Night);
    }

    [Fact]
    public void The_second_wave_of_an_alerted_burst_is_not_taken_for_a_recurring_job()
    {
        var first = Burst(Night, 10, Minute);
        var second = Burst(Night.AddHours(2), 10, Minute, firstTenant: 11);
        var alerts = Detect(first.Concat(second)).Rule(RuleIds.MassExecution);
        Assert.Equal(2, alerts.Count);
    }

    [Fact]
    public void Recurring_lookback_and_thresholds_are_settings()
    {
        var settings = new DetectionSettings { MassExecution = new MassExecutionSettings { MinTenants = 3, Window = TimeSpan.FromMinutes(10), RecurringLookback = TimeSpan.FromDays(1) } };
        Assert.Single(Detect(Burst(Day, 3, Minute), settings).Rule(RuleIds.MassExecution));
        Assert.Empty(Detect(Burst(Day, 3, 6 * Minute), settings).Rule(RuleIds.MassExecution));
        var twoDaysAgo = Burst(Day.AddDays(-2), 5, Minute);
        Assert.Single(Detect(twoDaysAgo.Concat(Burst(Day, 5, Minute)), settings).Rule(RuleIds.MassExecution), a => a.FirstSeen >= Day);
    }

    [Fact]
    public void Approved_scripts_never_raise_mass_execution()
    {
        var settings = new DetectionSettings { ApprovedScripts = ["patch-*"] };
        Assert.Empty(Detect(Burst(Night, 20, Minute, script: "Patch-Windows"), settings).Rule(RuleIds.MassExecution));
        Assert.Single(Detect(Burst(Night, 20, Minute, script: "Maint-0829"), settings).Rule(RuleIds.MassExecution));
    }

    [Fact]
    public void Approved_command_lines_never_raise_mass_execution()
    {
        var settings = new DetectionSettings { ApprovedCommandLines = ["gpupdate /force*"] };
        var events = Enumerable.Range(1, 6).Select(i => Command(Tenant(i), Day + i * Minute, "gpupdate /force /wait:0"));
        Assert.Empty(Detect(events, settings).Rule(RuleIds.MassExecution));
    }

    [Fact]
    public void A_learning_period_treats_mass_runs_as_routine_until_it_ends()
    {
        var settings = new DetectionSettings { LearningPeriod = TimeSpan.FromDays(7) };
        var start = Script(Tenant(1), Night.AddDays(-7).AddMinutes(-1), actor: "tech1", script: "Check-Disk");
        Assert.Empty(Detect([start, .. Burst(Night.AddDays(-1), 10, Minute)], settings).Rule(RuleIds.MassExecution));
        Assert.Single(Detect([start, .. Burst(Night, 10, Minute)], settings).Rule(RuleIds.MassExecution));
    }
}
