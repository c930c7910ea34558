using System.Text;
using Custodes.Common;
using Custodes.SupplyChain;

namespace Custodes.Core.Tests.SupplyChain;

/// <summary>The recovery additions of the portfolio file (contracts §13): read, written back, and refused with the field and line.</summary>
public sealed class RecoveryFileTests
{
    private const string Contract = """
        organizations:
          - {id: percsoft, name: PerCSoft, kind: msp,
             recovery: {crews: 3, hours_per_endpoint: 1.5, hours_per_server: 6}}
          - {id: vault, name: Vault, kind: backup-provider}
          - {id: dental-042, name: Smile Dental, kind: customer, data: [PHI]}
        relationships:
          - {customer: dental-042, provider: percsoft, services: [backup], endpoints: 12, servers: 1,
             backup: {immutable: true, offsite: true, last_restore_test: 2026-08-01}}
        """;

    [Fact]
    public void Contract_example_is_read()
    {
        var p = Samples.Parse(Contract);
        Assert.Equal(new Recovery { Crews = 3, HoursPerEndpoint = 1.5m, HoursPerServer = 6 }.Crews, p.Organizations[0].Recovery!.Crews);
        Assert.Equal(1.5m, p.Organizations[0].Recovery!.HoursPerEndpoint);
        Assert.Equal(6m, p.Organizations[0].Recovery!.HoursPerServer);
        var r = Assert.Single(p.Relationships);
        Assert.Equal(1, r.Servers);
        Assert.Equal(new Backup { Immutable = true, Offsite = true, LastRestoreTest = new DateOnly(2026, 8, 1) }, r.Backup);
    }

    [Fact]
    public void Every_recovery_field_survives_json_and_yaml()
    {
        var p = Samples.Parse(Contract
            .Replace("hours_per_server: 6}", "hours_per_server: 6, surge: [{name: Peak IR, crews: 2, start_delay_hours: 36.5}], priority: [dental-042]}", StringComparison.Ordinal)
            .Replace("last_restore_test: 2026-08-01}", "last_restore_test: 2026-08-01, rpo_hours: 24, rto_hours: 72, provider: vault}", StringComparison.Ordinal));
        var json = PortfolioFile.ToJson(p);
        var fromJson = PortfolioFile.Parse(json, "export.json");
        var fromYaml = PortfolioFile.Parse(PortfolioFile.ToYaml(p), "export.yaml");
        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(PortfolioFile.ToJson(fromJson)));
        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(PortfolioFile.ToJson(fromYaml)));
        var recovery = fromYaml.Organizations[0].Recovery!;
        Assert.Equal(("Peak IR", 2, 36.5m), (recovery.Surge[0].Name, recovery.Surge[0].Crews, recovery.Surge[0].StartDelayHours));
        Assert.Equal(["dental-042"], recovery.Priority);
        Assert.Equal(new Backup { Immutable = true, Offsite = true, LastRestoreTest = new DateOnly(2026, 8, 1), RpoHours = 24, RtoHours = 72, Provider = "vault" }, fromYaml.Relationships[0].Backup);
        Assert.Contains("\"hours_per_endpoint\": 1.5", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("crews: 3,", "crews: 0,", "$.organizations[0].recovery.crews", 4, "from 1 to 10000")]
    [InlineData("hours_per_endpoint: 1.5", "hours_per_endpoint: -1", "$.organizations[0].recovery.hours_per_endpoint", 4, "from 0 to")]
    [InlineData("hours_per_server: 6}", "hours_per_server: six}", "$.organizations[0].recovery.hours_per_server", 4, "expected a number")]
    [InlineData("hours_per_server: 6}", "hours_per_server: 6, surge: [{name: IR, crews: 0}]}", "$.organizations[0].recovery.surge[0].crews", 4, "from 1 to")]
    [InlineData("hours_per_server: 6}", "hours_per_server: 6, priority: [nobody]}", "$.organizations[0].recovery.priority[0]", 4, "unknown organization 'nobody'")]
    [InlineData("hours_per_server: 6}", "hours_per_server: 6, priority: [dental-042, dental-042]}", "$.organizations[0].recovery.priority[1]", 4, "listed twice")]
    [InlineData("hours_per_server: 6}", "hours_per_server: 6, surge: [{name: IR, crews: 1}, {name: ir, crews: 2}]}", "$.organizations[0].recovery.surge[1].name", 4, "listed twice")]
    [InlineData("crews: 3,", "crew: 3,", "$.organizations[0].recovery.crew", 4, "crew")]
    [InlineData("servers: 1,", "servers: -2,", "$.relationships[0].servers", 8, "from 0")]
    [InlineData("offsite: true,", "offsite: yes please,", "$.relationships[0].backup.offsite", 9, "true or false")]
    [InlineData("last_restore_test: 2026-08-01}", "last_restore_test: 1 Aug}", "$.relationships[0].backup.last_restore_test", 9, "YYYY-MM-DD")]
    [InlineData("last_restore_test: 2026-08-01}", "last_restore_test: 2026-08-01, rto_hours: -4}", "$.relationships[0].backup.rto_hours", 9, "from 0 to")]
    [InlineData("last_restore_test: 2026-08-01}", "last_restore_test: 2026-08-01, provider: cloudvault}", "$.relationships[0].backup.provider", 9, "unknown organization 'cloudvault'")]
    [InlineData("last_restore_test: 2026-08-01}", "last_restore_test: 2026-08-01, tested_by: me}", "$.relationships[0].backup.tested_by", 9, "tested_by")]
    public void Bad_recovery_facts_are_refused_with_the_field_and_line(string find, string replace, string path, long line, string message)
    {
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(Contract.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Equal(path, e.Path);
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_provider_states_a_recovery_capacity_and_a_backup_is_run_by_a_provider_or_the_customer()
    {
        var onCustomer = Assert.Throws<BadInputException>(() => Samples.Parse(Contract.Replace("data: [PHI]}", "data: [PHI], recovery: {crews: 1}}", StringComparison.Ordinal)));
        Assert.Equal("$.organizations[2].recovery", onCustomer.Path);
        Assert.Contains("only a provider restores customers", onCustomer.Message, StringComparison.Ordinal);

        var yaml = Contract.Replace("  - {id: vault,", "  - {id: other, name: Other, kind: customer}\n  - {id: vault,", StringComparison.Ordinal)
            .Replace("last_restore_test: 2026-08-01}", "last_restore_test: 2026-08-01, provider: other}", StringComparison.Ordinal);
        var byAnotherCustomer = Assert.Throws<BadInputException>(() => Samples.Parse(yaml));
        Assert.Equal("$.relationships[0].backup.provider", byAnotherCustomer.Path);
        Assert.Contains("run by a provider or by the customer dental-042 itself", byAnotherCustomer.Message, StringComparison.Ordinal);

        // The customer running its own backup is allowed.
        Assert.Equal("dental-042", Samples.Parse(Contract.Replace("last_restore_test: 2026-08-01}", "last_restore_test: 2026-08-01, provider: dental-042}", StringComparison.Ordinal))
            .Relationships[0].Backup!.Provider);
    }

    [Fact]
    public void A_portfolio_made_in_code_is_checked_by_the_same_rules()
    {
        var p = Samples.Parse(Contract);
        var bad = p with { Organizations = p.Organizations.Select((o, i) => i == 0 ? o with { Recovery = new Recovery { Crews = 2, HoursPerServer = -1 } } : o).ToArray() };
        Assert.Equal("$.organizations[0].recovery.hours_per_server", Assert.Throws<BadInputException>(() => ValidatePortfolio.Check(bad)).Path);
    }
}
