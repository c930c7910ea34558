using Custodes.Watch.Detection;
using Custodes.Watch.Events;
using static Custodes.Core.Tests.Watch.Ev;

namespace Custodes.Core.Tests.Watch;

public sealed class EngineTests
{
    [Fact]
    public void Events_out_of_order_within_the_reorder_window_give_the_same_alerts()
    {
        var ordered = Burst(Day, 6, TimeSpan.FromMinutes(1)).ToList();
        var shuffled = new[] { ordered[2], ordered[0], ordered[1], ordered[5], ordered[3], ordered[4] };
        var engine = new DetectionEngine();
        var alerts = engine.Run(shuffled).Rule(RuleIds.MassExecution);
        var alert = Assert.Single(alerts);
        Assert.Equal(6, alert.Tenants.Count);
        Assert.Equal(Day, alert.FirstSeen);
        Assert.Equal(0, engine.Late);
    }

    [Fact]
    public void Events_later_than_the_reorder_window_are_still_evaluated_and_counted()
    {
        var engine = new DetectionEngine();
        engine.Process(Make(EventActions.SessionStart, Day.AddHours(1)));
        engine.Process(Make(EventActions.SessionStart, Day.AddHours(2)));
        engine.Process(Command(Tenant(1), Day, "vssadmin delete shadows /all"));
        var alerts = engine.Flush();
        Assert.Single(alerts.Rule(RuleIds.BackupDestruction));
        Assert.Equal(1, engine.Late);
    }

    [Fact]
    public void Alerts_close_while_streaming_once_the_burst_is_over()
    {
        var engine = new DetectionEngine();
        var during = Burst(Day, 5, TimeSpan.FromMinutes(1)).SelectMany(engine.Process).ToList();
        Assert.Empty(during);
        var after = engine.Process(Make(EventActions.LoginSuccess, Day.AddHours(2), tenant: null));
        Assert.Single(after.Rule(RuleIds.MassExecution));
        Assert.Empty(engine.Flush().Rule(RuleIds.MassExecution));
    }

    [Fact]
    public void A_live_clock_closes_the_alerts_of_an_msp_that_went_quiet()
    {
        var engine = new DetectionEngine();
        foreach (var e in Burst(Day, 5, TimeSpan.FromMinutes(1))) Assert.Empty(engine.Process(e));
        Assert.Empty(engine.AdvanceTo(Day.AddMinutes(20)));
        var closed = engine.AdvanceTo(Day.AddHours(1));
        Assert.Single(closed.Rule(RuleIds.MassExecution));
        Assert.Empty(engine.Flush());
    }

    [Fact]
    public void Each_msp_has_its_own_state_and_settings()
    {
        var settings = new WatchSettings
        {
            Defaults = new DetectionSettings(),
            Msps = new Dictionary<string, DetectionSettings> { ["acme-it"] = new() { ApprovedScripts = ["Maint-*"] } },
        };
        var events = Enumerable.Range(1, 3).Select(i => Script(Tenant(i), Day.AddMinutes(i), msp: "percsoft"))
            .Concat(Enumerable.Range(4, 3).Select(i => Script(Tenant(i), Day.AddMinutes(i), msp: "acme-it")))
            .Concat(Enumerable.Range(1, 6).Select(i => Script(Tenant(i), Day.AddHours(3).AddMinutes(i), msp: "acme-it")))
            .OrderBy(e => e.Time);
        var alerts = new DetectionEngine(settings).Run(events).Rule(RuleIds.MassExecution);
        Assert.Empty(alerts); // 3 + 3 across two MSPs is not 5; acme-it's 6 are approved there
    }

    [Fact]
    public void The_sample_is_bounded_and_the_count_exact()
    {
        var settings = new DetectionSettings { SampleSize = 3 };
        var alert = Assert.Single(Detect(Burst(Day, 20, TimeSpan.FromSeconds(20)), settings).Rule(RuleIds.MassExecution));
        Assert.Equal(3, alert.Events.Count);
        Assert.Equal(20, alert.EventCount);
    }

    [Fact]
    public void State_is_pruned_as_time_passes()
    {
        var engine = new DetectionEngine();
        for (var i = 0; i < 2_000; i++) engine.Process(Script(Tenant(i % 50), Day.AddMinutes(i), script: $"One-off-{i}"));
        engine.Process(Make(EventActions.LoginSuccess, Day.AddDays(30), tenant: null));
        var detector = engine.Detectors.Single();
        Assert.True(detector.Buffered < 10);
        // After a month of quiet the job history of one-off scripts is gone.
        var field = typeof(MspDetector).GetField("_state", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var state = (DetectorState)field.GetValue(detector)!;
        Assert.True(state.Jobs.Keys < 10, $"{state.Jobs.Keys} job keys kept");
    }
}
