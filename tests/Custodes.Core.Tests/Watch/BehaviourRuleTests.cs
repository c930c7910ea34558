using Custodes.Watch.Detection;
using Custodes.Watch.Events;
using static Custodes.Core.Tests.Watch.Ev;

namespace Custodes.Core.Tests.Watch;

public sealed class BehaviourRuleTests
{
    private static readonly DateTimeOffset Monday = new(2025, 3, 3, 0, 0, 0, TimeSpan.Zero);

    private static WatchEvent Login(DateTimeOffset t, string ip, string actor = "tech3") =>
        Make(EventActions.LoginSuccess, t, tenant: null, actor: actor, ip: ip);

    /// <summary>A login every working day from the home IP for <paramref name="days"/> days before <paramref name="until"/>.</summary>
    private static IEnumerable<WatchEvent> History(DateTimeOffset until, int days, string ip = "198.51.100.10") =>
        Enumerable.Range(1, days).Select(d => Login(until.AddDays(-d), ip));

    [Fact]
    public void New_source_ip_fires_for_a_login_from_an_ip_not_seen_in_fourteen_days()
    {
        var t = Monday.AddDays(20).AddHours(9);
        var alert = Assert.Single(Detect([.. History(t, 10), Login(t, "192.0.2.23")]).Rule(RuleIds.NewSourceIp));
        Assert.Equal("tech3", alert.Actor);
        Assert.Equal("192.0.2.23", alert.Subject);
    }

    [Fact]
    public void New_source_ip_waits_for_seven_days_of_history()
    {
        var t = Monday.AddDays(20).AddHours(9);
        Assert.Empty(Detect([Login(t.AddDays(-6).AddHours(-23), "198.51.100.10"), Login(t, "192.0.2.23")]).Rule(RuleIds.NewSourceIp));
        Assert.Single(Detect([Login(t.AddDays(-7), "198.51.100.10"), Login(t, "192.0.2.23")]).Rule(RuleIds.NewSourceIp));
    }

    [Fact]
    public void An_ip_seen_within_fourteen_days_is_not_new()
    {
        var t = Monday.AddDays(30).AddHours(9);
        Assert.Empty(Detect([Login(t.AddDays(-20), "198.51.100.10"), Login(t.AddDays(-14), "192.0.2.23"), Login(t, "192.0.2.23")]).Rule(RuleIds.NewSourceIp));
        Assert.Single(Detect([Login(t.AddDays(-20), "198.51.100.10"), Login(t.AddDays(-14).AddSeconds(-1), "192.0.2.23"), Login(t, "192.0.2.23")]).Rule(RuleIds.NewSourceIp),
            a => a.FirstSeen == t);
    }

    [Fact]
    public void Failed_logins_do_not_make_an_ip_familiar()
    {
        var t = Monday.AddDays(20).AddHours(9);
        var probe = Make(EventActions.LoginFailure, t.AddDays(-1), tenant: null, actor: "tech3", ip: "192.0.2.23");
        Assert.Single(Detect([.. History(t, 10), probe, Login(t, "192.0.2.23")]).Rule(RuleIds.NewSourceIp));
    }

    [Fact]
    public void What_the_actor_does_from_the_new_ip_joins_the_alert()
    {
        var t = Monday.AddDays(20).AddHours(2);
        var session = Make(EventActions.SessionStart, t.AddMinutes(5), tenant: "law-007", actor: "tech3", ip: "192.0.2.23");
        var alert = Assert.Single(Detect([.. History(t, 10), Login(t, "192.0.2.23"), session]).Rule(RuleIds.NewSourceIp));
        Assert.Equal(["law-007"], alert.Tenants);
        Assert.Equal(2, alert.EventCount);
    }

    [Fact]
    public void New_source_ip_windows_are_settings()
    {
        var settings = new DetectionSettings { NewSourceIp = new NewSourceIpSettings { Lookback = TimeSpan.FromDays(3), MinHistory = TimeSpan.FromDays(1) } };
        var t = Monday.AddDays(10).AddHours(9);
        Assert.Single(Detect([Login(t.AddDays(-5), "198.51.100.10"), Login(t.AddDays(-4), "192.0.2.23"), Login(t, "192.0.2.23")], settings).Rule(RuleIds.NewSourceIp),
            a => a.FirstSeen == t);
    }

    [Theory]
    [InlineData(6, 59, true)]
    [InlineData(7, 0, false)]
    [InlineData(18, 59, false)]
    [InlineData(19, 0, true)]
    [InlineData(23, 30, true)]
    public void Off_hours_are_outside_seven_to_nineteen_on_weekdays(int hour, int minute, bool off)
    {
        var session = Make(EventActions.SessionStart, Monday.AddHours(hour).AddMinutes(minute), actor: "tech2");
        Assert.Equal(off, Detect([session]).Rule(RuleIds.OffHoursActivity).Count == 1);
    }

    [Fact]
    public void Weekends_are_off_hours()
    {
        var saturday = Monday.AddDays(5).AddHours(10);
        var alert = Assert.Single(Detect([Make(EventActions.SessionStart, saturday)]).Rule(RuleIds.OffHoursActivity));
        Assert.Equal(Severity.Low, alert.Severity);
    }

    [Fact]
    public void Logins_and_file_transfers_are_not_judged_by_working_hours() =>
        Assert.Empty(Detect([Make(EventActions.LoginSuccess, Monday.AddHours(3)), Make(EventActions.FileTransfer, Monday.AddHours(3))]).Rule(RuleIds.OffHoursActivity));

    [Fact]
    public void Working_hours_are_read_in_the_msps_time_zone()
    {
        var denver = new DetectionSettings { TimeZone = "America/Denver" };
        // 16:00 UTC is 09:00 in Denver (MST, UTC-7) on a Monday in March before DST; 03:00 UTC is 20:00 on Sunday.
        Assert.Empty(Detect([Make(EventActions.SessionStart, Monday.AddHours(16))], denver).Rule(RuleIds.OffHoursActivity));
        Assert.Single(Detect([Make(EventActions.SessionStart, Monday.AddHours(3))], denver).Rule(RuleIds.OffHoursActivity));
    }

    [Fact]
    public void Working_hours_and_days_are_settings()
    {
        var settings = new DetectionSettings { WorkingHours = new WorkingHours { Start = new(6, 0), End = new(22, 0), Days = [DayOfWeek.Saturday] } };
        Assert.Empty(Detect([Make(EventActions.SessionStart, Monday.AddDays(5).AddHours(21))], settings).Rule(RuleIds.OffHoursActivity));
        Assert.Single(Detect([Make(EventActions.SessionStart, Monday.AddHours(10))], settings).Rule(RuleIds.OffHoursActivity));
    }

    [Fact]
    public void An_overnight_shift_wraps_midnight()
    {
        var settings = new DetectionSettings { WorkingHours = new WorkingHours { Start = new(22, 0), End = new(6, 0) } };
        Assert.Empty(Detect([Make(EventActions.SessionStart, Monday.AddDays(1).AddHours(2))], settings).Rule(RuleIds.OffHoursActivity)); // Tuesday 02:00, Monday's shift
        Assert.Single(Detect([Make(EventActions.SessionStart, Monday.AddHours(2))], settings).Rule(RuleIds.OffHoursActivity)); // Monday 02:00, Sunday's shift
    }

    [Fact]
    public void Approved_and_recurring_scripts_at_night_are_not_off_hours()
    {
        var approved = new DetectionSettings { ApprovedScripts = ["Patch-*"] };
        Assert.Empty(Detect([Script(Tenant(1), Monday.AddHours(2), actor: "scheduler", script: "Patch-Nightly")], approved).Rule(RuleIds.OffHoursActivity));

        var lastNight = Burst(Monday.AddHours(2), 6, TimeSpan.FromMinutes(1), actor: "scheduler", script: "Patch-Nightly");
        var tonight = Script(Tenant(1), Monday.AddDays(1).AddHours(2), actor: "scheduler", script: "Patch-Nightly");
        Assert.DoesNotContain(Detect([.. lastNight, tonight]).Rule(RuleIds.OffHoursActivity), a => a.LastSeen >= tonight.Time);
    }

    [Fact]
    public void Off_hours_activity_is_grouped_per_actor_while_it_continues()
    {
        var night = Enumerable.Range(0, 6).Select(i => Make(EventActions.SessionStart, Monday.AddHours(1).AddMinutes(20 * i), tenant: Tenant(i), actor: "tech2"));
        var alert = Assert.Single(Detect(night).Rule(RuleIds.OffHoursActivity));
        Assert.Equal(6, alert.EventCount);
        Assert.Equal(6, alert.Tenants.Count);
    }
}
