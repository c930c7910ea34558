using Custodes.Watch.Detection;
using Custodes.Watch.Events;
using Custodes.Watch.Simulation;

namespace Custodes.Core.Tests.Watch;

public sealed class ScenarioTests
{
    private static (AttackTruth Truth, IReadOnlyList<Alert> Alerts) Run(AttackScenario attack, int tenants = 20, int days = 30, string zone = "UTC")
    {
        var options = new SimulationOptions { Msps = 2, Tenants = tenants, Days = days, Seed = 7, Attack = attack, TimeZone = zone };
        var simulator = new Simulator(options);
        var alerts = new DetectionEngine(SimulatedSettings.For(options)).Run(simulator.Events());
        return (simulator.Truth!, alerts);
    }

    private static Alert Find(IReadOnlyList<Alert> alerts, AttackTruth truth, string rule) =>
        Assert.Single(alerts, a => a.Rule == rule && a.Msp == truth.Msp && a.Actor == truth.Actor && a.LastSeen >= truth.Start);

    [Fact]
    public void Dental_2019_is_detected_as_a_mass_execution_that_destroys_backups_and_disables_antivirus()
    {
        var (truth, alerts) = Run(AttackScenario.Dental2019, tenants: 100);
        Assert.Equal(100, truth.Tenants.Count);
        var mass = Find(alerts, truth, RuleIds.MassExecution);
        Assert.Equal(truth.Tenants, mass.Tenants);
        Assert.Equal(Severity.Critical, mass.Severity);
        Assert.Equal(truth.Tenants, Find(alerts, truth, RuleIds.BackupDestruction).Tenants);
        Assert.Equal(truth.Tenants, Find(alerts, truth, RuleIds.SecurityToolTampering).Tenants);
        Assert.Equal(truth.Tenants, Find(alerts, truth, RuleIds.OffHoursActivity).Tenants);
        Assert.Equal("192.0.2.66", Find(alerts, truth, RuleIds.NewSourceIp).Subject);
        Assert.All(truth.Rules, rule => Assert.Contains(alerts, a => a.Rule == rule && a.Actor == truth.Actor));
    }

    [Fact]
    public void Kaseya_2021_is_detected_on_every_tenant_of_the_msp()
    {
        var (truth, alerts) = Run(AttackScenario.Kaseya2021);
        Assert.Equal(20, truth.Tenants.Count);
        Assert.Equal(truth.Tenants, Find(alerts, truth, RuleIds.MassExecution).Tenants);
        Assert.Equal(truth.Tenants, Find(alerts, truth, RuleIds.SecurityToolTampering).Tenants);
        Assert.Equal(truth.Tenants, Find(alerts, truth, RuleIds.BackupDestruction).Tenants);
        Assert.DoesNotContain(alerts, a => a.Rule == RuleIds.OffHoursActivity && a.Actor == truth.Actor && a.LastSeen >= truth.Start); // it happened in office hours
    }

    [Fact]
    public void Cloud_hopper_is_detected_from_the_new_ip_the_night_work_and_the_admin_account()
    {
        var (truth, alerts) = Run(AttackScenario.CloudHopper);
        var newIp = alerts.Where(a => a.Rule == RuleIds.NewSourceIp && a.Actor == truth.Actor).ToList();
        Assert.Single(newIp);
        Assert.Equal("192.0.2.23", newIp[0].Subject);
        var admin = Find(alerts, truth, RuleIds.PrivilegedAccountCreated);
        Assert.Equal(Severity.High, admin.Severity);
        Assert.Subset(truth.Tenants.ToHashSet(), admin.Tenants.ToHashSet());
        var nightTenants = alerts.Where(a => a.Rule == RuleIds.OffHoursActivity && a.Actor == truth.Actor && a.LastSeen >= truth.Start).SelectMany(a => a.Tenants).ToHashSet();
        Assert.Equal(truth.Tenants.ToHashSet(), nightTenants);
    }

    [Fact]
    public void A_rogue_remote_tool_is_detected_on_the_tenants_it_was_installed_on()
    {
        var (truth, alerts) = Run(AttackScenario.RogueTool);
        var alert = Find(alerts, truth, RuleIds.UnapprovedRemoteTool);
        Assert.Equal(truth.Tenants, alert.Tenants);
        Assert.Equal("AnyDesk", alert.Subject);
    }

    [Fact]
    public void A_clean_simulated_month_raises_no_mass_execution_and_no_backup_destruction()
    {
        var options = new SimulationOptions { Msps = 3, Tenants = 20, Days = 30, Seed = 11 };
        var alerts = new DetectionEngine(SimulatedSettings.For(options)).Run(new Simulator(options).Events());
        Assert.DoesNotContain(alerts, a => a.Rule == RuleIds.MassExecution);
        Assert.DoesNotContain(alerts, a => a.Rule == RuleIds.BackupDestruction);
        // What remains is technicians working late or on call: low severity, nothing else.
        Assert.All(alerts, a => Assert.Equal((RuleIds.OffHoursActivity, Severity.Low), (a.Rule, a.Severity)));
    }

    [Fact]
    public void Without_a_learning_period_a_clean_month_alerts_only_for_the_first_run_of_each_job()
    {
        var options = new SimulationOptions { Msps = 1, Tenants = 10, Days = 30, Seed = 3 };
        var alerts = new DetectionEngine().Run(new Simulator(options).Events()).Where(a => a.Rule == RuleIds.MassExecution).ToList();
        Assert.Equal(["Patch-Windows-Nightly", "Weekly-Maintenance"], alerts.Select(a => a.Subject!).Order());
        Assert.All(alerts, a => Assert.True(a.FirstSeen < new DateTimeOffset(options.Start.AddDays(7).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
    }

    [Fact]
    public void Attacks_are_detected_in_the_msps_time_zone()
    {
        var (truth, alerts) = Run(AttackScenario.Dental2019, zone: "America/Denver");
        Assert.Equal(truth.Tenants, Find(alerts, truth, RuleIds.OffHoursActivity).Tenants);
        Assert.Equal(truth.Tenants, Find(alerts, truth, RuleIds.MassExecution).Tenants);
    }

    [Fact]
    public void Simulation_is_deterministic_for_a_seed_and_in_time_order()
    {
        var options = new SimulationOptions { Msps = 2, Tenants = 5, Days = 3, Seed = 42, Attack = AttackScenario.RogueTool };
        var a = new Simulator(options).Events().Select(EventJson.Serialize).ToList();
        var b = new Simulator(options).Events().Select(EventJson.Serialize).ToList();
        Assert.Equal(a, b);
        var times = new Simulator(options).Events().Select(e => e.Time).ToList();
        Assert.Equal(times.Order(), times);
        Assert.NotEqual(a, new Simulator(options with { Seed = 43 }).Events().Select(EventJson.Serialize).ToList());
    }

    [Fact]
    public void An_attack_does_not_change_the_ordinary_events()
    {
        var clean = new SimulationOptions { Msps = 2, Tenants = 5, Days = 12, Seed = 5 };
        var attacked = clean with { Attack = AttackScenario.CloudHopper };
        var cleanEvents = new Simulator(clean).Events().Select(EventJson.Serialize).ToHashSet();
        Assert.Subset(new Simulator(attacked).Events().Select(EventJson.Serialize).ToHashSet(), cleanEvents);
    }
}
