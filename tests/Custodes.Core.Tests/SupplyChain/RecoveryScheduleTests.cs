using System.Text.Json;
using Custodes.Common;
using Custodes.SupplyChain;

namespace Custodes.Core.Tests.SupplyChain;

/// <summary>The restore schedule and the backup risk of contracts §13, on examples computed by hand.</summary>
public sealed class RecoveryScheduleTests
{
    private static readonly DateOnly AsOf = new(2026, 12, 1);

    private static RecoverySchedule Schedule(Portfolio portfolio, string provider, RecoveryOptions? options = null) =>
        ScheduleRecovery.For(PortfolioGraph.Build(portfolio), provider, options ?? new RecoveryOptions { AsOf = AsOf });

    [Fact]
    public void Dental_msp_schedule_matches_the_hand_computed_one()
    {
        // Front Range: 2 crews from hour 0, Peak Incident Response's 2 from hour 48; 1.5 h per endpoint, 6 h per server. Every practice holds
        // PHI, so the order is smallest first: 008 (15 h), 005 (16.5), 003 (19.5), 010 (21), 007 (22.5), 001 (24), 004 (27), 009 (30), 002 (39), 006 (45).
        var s = Schedule(Samples.DentalMsp(), "frontrange-it");
        var expected = new (string Id, decimal Hours, decimal Start, decimal Done, int Crew, BackupState Backup, RecoveryRisk Risk)[]
        {
            ("dental-008", 15, 0, 15, 1, BackupState.Tested, RecoveryRisk.Low),
            ("dental-005", 16.5m, 0, 16.5m, 2, BackupState.Untested, RecoveryRisk.Critical),
            ("dental-003", 19.5m, 15, 34.5m, 1, BackupState.None, RecoveryRisk.Critical),
            ("dental-010", 21, 16.5m, 37.5m, 2, BackupState.Stale, RecoveryRisk.Critical), // tested 185 days before
            ("dental-007", 22.5m, 34.5m, 57, 1, BackupState.Tested, RecoveryRisk.Low),
            ("dental-001", 24, 37.5m, 61.5m, 2, BackupState.Tested, RecoveryRisk.Low), // RTO 72 h met
            ("dental-004", 27, 48, 75, 3, BackupState.Stale, RecoveryRisk.Critical), // the surge crews join at 48, before crew 1 is free (57)
            ("dental-009", 30, 48, 78, 4, BackupState.Tested, RecoveryRisk.Low),
            ("dental-002", 39, 57, 96, 1, BackupState.Tested, RecoveryRisk.Critical), // run by Front Range itself, not immutable
            ("dental-006", 45, 61.5m, 106.5m, 2, BackupState.Tested, RecoveryRisk.High), // immutable on site, RTO 24 h missed
        };
        Assert.Equal(expected, s.Customers.Select(c => (c.Id, c.RestoreHours, c.StartHour, c.DoneHour, c.Crew, c.Backup, c.Risk)).ToArray());
        Assert.Equal(106.5m, s.MakespanHours);
        Assert.Equal(2, s.Crews);
        Assert.Equal(5, s.CustomersWithoutUsableBackup);
        Assert.Equal(["dental-002", "dental-006"], s.RtoMissed);
        Assert.True(s.CapacityStated);
        Assert.Equal([0m, 0m, 48m, 48m], s.Lanes.Select(l => l.JoinsAtHour));
        Assert.Equal("Peak Incident Response", s.Lanes[3].Team);
    }

    [Fact]
    public void Json_has_the_contract_fields_first_in_the_contract_order()
    {
        var json = JsonSerializer.SerializeToElement(Schedule(Samples.DentalMsp(), "frontrange-it"), Json.Options);
        Assert.Equal(["provider", "crews", "makespan_hours", "customers", "customers_without_usable_backup"], json.EnumerateObject().Take(5).Select(p => p.Name));
        var first = json.GetProperty("customers")[0];
        Assert.Equal(["id", "restore_hours", "start_hour", "done_hour", "backup", "risk"], first.EnumerateObject().Take(6).Select(p => p.Name));
        Assert.Equal("dental-008", first.GetProperty("id").GetString());
        Assert.Equal("tested", first.GetProperty("backup").GetString());
        Assert.Equal("low", first.GetProperty("risk").GetString());
        Assert.Equal("106.5", json.GetProperty("makespan_hours").GetRawText());
        // 12 endpoints × 1.5 + 1 server × 6 is written 24, not 24.0.
        Assert.Equal("24", json.GetProperty("customers").EnumerateArray().First(c => c.GetProperty("id").GetString() == "dental-001").GetProperty("restore_hours").GetRawText());
    }

    [Fact]
    public void What_if_crews_replace_the_stated_ones()
    {
        var s = Schedule(Samples.DentalMsp(), "frontrange-it", new RecoveryOptions { AsOf = AsOf, Crews = 10 });
        // 10 own crews and 2 surge crews for 10 customers: everyone starts at 0, the largest restore is the makespan.
        Assert.All(s.Customers, c => Assert.Equal(0, c.StartHour));
        Assert.Equal(45, s.MakespanHours);
        Assert.Equal(10, s.Crews);
        Assert.Equal(12, s.Lanes.Count);
    }

    private const string Two = """
        organizations:
          - {id: msp, name: MSP, kind: msp, recovery: {crews: 1, hours_per_endpoint: 0.1, hours_per_server: 0.2}}
          - {id: a, name: A, kind: customer, data: [PII]}
          - {id: b, name: B, kind: customer, data: [PII]}
          - {id: c, name: C, kind: customer, data: [PII]}
        relationships:
          - {customer: c, provider: msp, endpoints: 3}
          - {customer: b, provider: msp, endpoints: 1, servers: 1}
          - {customer: a, provider: msp, endpoints: 3}
        """;

    [Fact]
    public void Ties_are_exact_and_broken_by_id()
    {
        // 3 × 0.1 and 0.1 + 0.2 are both exactly 0.3 in decimal hours (in binary floating point they differ): all three tie on size, so id decides.
        var s = Schedule(Samples.Parse(Two), "msp");
        Assert.Equal(["a", "b", "c"], s.Customers.Select(c => c.Id));
        Assert.All(s.Customers, c => Assert.Equal(0.3m, c.RestoreHours));
        Assert.Equal([0m, 0.3m, 0.6m], s.Customers.Select(c => c.StartHour));
        Assert.Equal(0.9m, s.MakespanHours);
    }

    [Fact]
    public void A_tie_between_free_crews_goes_to_the_lowest_numbered_one()
    {
        var portfolio = Samples.Parse(Two.Replace("crews: 1,", "crews: 1, surge: [{name: IR, crews: 2, start_delay_hours: 0.3}],", StringComparison.Ordinal));
        var s = Schedule(portfolio, "msp");
        // a on crew 1 (0–0.3); at 0.3 crew 1 and both surge crews are free: b takes crew 1, c crew 2.
        Assert.Equal([1, 1, 2], s.Customers.Select(c => c.Crew));
        Assert.Equal(0.6m, s.MakespanHours);
    }

    [Fact]
    public void Critical_data_goes_first_then_smallest_then_the_stated_priority_overrides_both()
    {
        var portfolio = Samples.Parse("""
            organizations:
              - {id: msp, name: MSP, kind: msp, recovery: {crews: 1, hours_per_endpoint: 1, hours_per_server: 4}}
              - {id: big-cui, name: Big, kind: customer, data: [CUI]}
              - {id: small, name: Small, kind: customer, data: [PII]}
              - {id: tiny, name: Tiny, kind: customer}
            relationships:
              - {customer: big-cui, provider: msp, endpoints: 30}
              - {customer: small, provider: msp, endpoints: 5}
              - {customer: tiny, provider: msp, endpoints: 2}
            """);
        Assert.Equal(["big-cui", "tiny", "small"], Schedule(portfolio, "msp").Customers.Select(c => c.Id));
        var prioritized = portfolio with
        {
            Organizations = portfolio.Organizations.Select(o => o.Id == "msp" ? o with { Recovery = o.Recovery! with { Priority = ["small"] } } : o).ToArray(),
        };
        ValidatePortfolio.Check(prioritized);
        var s = Schedule(prioritized, "msp");
        Assert.Equal(["small", "big-cui", "tiny"], s.Customers.Select(c => c.Id));
        Assert.True(s.Customers[0].Prioritized);
        Assert.Equal(["tiny", "small", "big-cui"], Schedule(prioritized, "msp", new RecoveryOptions { AsOf = AsOf, First = "tiny" }).Customers.Select(c => c.Id));
    }

    [Fact]
    public void Without_a_stated_capacity_the_documented_defaults_are_assumed_and_said()
    {
        var s = Schedule(Samples.Parse("""
            organizations:
              - {id: msp, name: MSP, kind: msp}
              - {id: a, name: A, kind: customer}
            relationships:
              - {customer: a, provider: msp, endpoints: 10, servers: 2}
            """), "msp");
        Assert.False(s.CapacityStated);
        Assert.Equal((Recovery.DefaultCrews, Recovery.DefaultHoursPerEndpoint, Recovery.DefaultHoursPerServer), (s.Crews, s.HoursPerEndpoint, s.HoursPerServer));
        Assert.Equal(10 * 2m + 2 * 8m, s.Customers[0].RestoreHours);
    }

    [Fact]
    public void Reach_is_transitive_and_counts_come_from_the_reaching_relationships()
    {
        // A NOC subcontracted by the MSP reaches the MSP and, through it, its customer; the customer's own line-of-business vendor is not reached.
        var s = Schedule(Samples.Parse("""
            organizations:
              - {id: noc, name: NOC, kind: mssp, recovery: {crews: 1, hours_per_endpoint: 1, hours_per_server: 10}}
              - {id: msp, name: MSP, kind: msp}
              - {id: vendor, name: Vendor, kind: software-vendor}
              - {id: a, name: A, kind: customer}
            relationships:
              - {customer: msp, provider: noc, endpoints: 4}
              - {customer: a, provider: msp, endpoints: 10, servers: 1}
              - {customer: a, provider: vendor, endpoints: 50, servers: 5}
            """), "noc");
        Assert.Equal(["msp", "a"], s.Customers.Select(c => c.Id));
        Assert.Equal([4m, 20m], s.Customers.Select(c => c.RestoreHours));
    }

    [Fact]
    public void A_tool_or_a_customer_is_not_a_recovering_provider()
    {
        var portfolio = Samples.DentalMsp();
        Assert.Contains("operator is frontrange-it", Assert.Throws<NotFoundException>(() => Schedule(portfolio, "frontrange-vsa")).Message);
        Assert.Contains("not a provider", Assert.Throws<BadInputException>(() => Schedule(portfolio, "dental-001")).Message);
        Assert.Throws<NotFoundException>(() => Schedule(portfolio, "nobody"));
    }

    // The backup cases, each judged alone: one MSP (the compromised provider), one backup provider it does not reach, one customer.
    private static ScheduledRestore Judge(string backup, string? extraRelationship = null, RecoveryOptions? options = null)
    {
        var backupField = backup.Length == 0 ? "" : $", backup: {backup}";
        var portfolio = Samples.Parse($$$"""
            organizations:
              - {id: msp, name: MSP, kind: msp, recovery: {crews: 1, hours_per_endpoint: 1, hours_per_server: 1}}
              - {id: vault, name: Vault, kind: backup-provider}
              - {id: a, name: A, kind: customer}
            relationships:
              - {customer: a, provider: msp, endpoints: 10{{{backupField}}}}
            {{{extraRelationship ?? ""}}}
            """);
        return Assert.Single(Schedule(portfolio, "msp", options).Customers);
    }

    [Theory]
    // no backup at all
    [InlineData("", BackupState.None, RecoveryRisk.Critical)]
    // immutable, offsite, tested recently: low, whoever runs it — even the compromised MSP itself
    [InlineData("{immutable: true, offsite: true, last_restore_test: 2026-11-01}", BackupState.Tested, RecoveryRisk.Low)]
    [InlineData("{immutable: true, offsite: true, last_restore_test: 2026-11-01, provider: vault}", BackupState.Tested, RecoveryRisk.Low)]
    // never tested, or tested too long ago: critical even when immutable and offsite
    [InlineData("{immutable: true, offsite: true}", BackupState.Untested, RecoveryRisk.Critical)]
    [InlineData("{immutable: true, offsite: true, last_restore_test: 2026-06-03}", BackupState.Stale, RecoveryRisk.Critical)] // 181 days
    [InlineData("{immutable: true, offsite: true, last_restore_test: 2026-06-04}", BackupState.Tested, RecoveryRisk.Low)] // 180 days: not yet stale
    [InlineData("{immutable: true, offsite: true, last_restore_test: 2026-12-02}", BackupState.Untested, RecoveryRisk.Critical)] // after the as-of date
    // not immutable and run by the compromised provider: its tools delete it
    [InlineData("{immutable: false, offsite: true, last_restore_test: 2026-11-01}", BackupState.Tested, RecoveryRisk.Critical)]
    // not immutable but offsite with a provider the compromise does not reach: usable, one layer only
    [InlineData("{immutable: false, offsite: true, last_restore_test: 2026-11-01, provider: vault}", BackupState.Tested, RecoveryRisk.Medium)]
    // immutable on site, run by the MSP: usable, one layer only
    [InlineData("{immutable: true, offsite: false, last_restore_test: 2026-11-01}", BackupState.Tested, RecoveryRisk.Medium)]
    // neither immutable nor offsite: critical whoever runs it
    [InlineData("{immutable: false, offsite: false, last_restore_test: 2026-11-01, provider: vault}", BackupState.Tested, RecoveryRisk.Critical)]
    // run by the customer itself, not immutable: the attacker is on its machines
    [InlineData("{immutable: false, offsite: true, last_restore_test: 2026-11-01, provider: a}", BackupState.Tested, RecoveryRisk.Critical)]
    // usable, but done (10 h) after the 8 h objective
    [InlineData("{immutable: true, offsite: true, last_restore_test: 2026-11-01, rto_hours: 8}", BackupState.Tested, RecoveryRisk.High)]
    [InlineData("{immutable: true, offsite: true, last_restore_test: 2026-11-01, rto_hours: 10}", BackupState.Tested, RecoveryRisk.Low)]
    public void Backup_risk_is_classified_per_case(string backup, BackupState state, RecoveryRisk risk)
    {
        var c = Judge(backup);
        Assert.Equal((state, risk), (c.Backup, c.Risk));
        Assert.Equal(risk == RecoveryRisk.Low, c.Actions.Count == 0);
        Assert.Equal(risk is RecoveryRisk.Critical or RecoveryRisk.High, c.Reasons.Count > 0);
    }

    [Fact]
    public void The_best_of_several_backups_counts()
    {
        // The MSP's own copy is deletable; the vault's immutable offsite copy survives.
        var c = Judge("{immutable: false, offsite: false}",
            "  - {customer: a, provider: vault, services: [backup], backup: {immutable: true, offsite: true, last_restore_test: 2026-10-01}}");
        Assert.Equal((BackupState.Tested, RecoveryRisk.Low, "vault"), (c.Backup, c.Risk, c.BackupProvider));
    }

    [Fact]
    public void Fixing_the_critical_backups_leaves_no_customer_without_one_and_keeps_the_queue()
    {
        var before = Schedule(Samples.DentalMsp(), "frontrange-it");
        var after = Schedule(Samples.DentalMsp(), "frontrange-it", new RecoveryOptions { AsOf = AsOf, FixCriticalBackups = true });
        Assert.Equal(0, after.CustomersWithoutUsableBackup);
        Assert.Equal(before.MakespanHours, after.MakespanHours);
        // Fixed backups are usable, not faster: dental-002 still misses its 48 h objective.
        Assert.Equal(before.RtoMissed, after.RtoMissed);
        Assert.Equal(RecoveryRisk.High, after.Customers.Single(c => c.Id == "dental-002").Risk);
        Assert.Equal(RecoveryRisk.Low, after.Customers.Single(c => c.Id == "dental-003").Risk);
    }

    [Fact]
    public void A_graph_read_from_its_snapshot_schedules_the_same()
    {
        var built = PortfolioGraph.Build(Samples.DentalMsp());
        var read = PortfolioGraph.FromSnapshot(built.ToSnapshot());
        var options = new RecoveryOptions { AsOf = AsOf };
        Assert.Equal(JsonSerializer.Serialize(ScheduleRecovery.For(built, "frontrange-it", options), Json.Options),
            JsonSerializer.Serialize(ScheduleRecovery.For(read, "frontrange-it", options), Json.Options));
    }
}
