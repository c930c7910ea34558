using System.Text;
using System.Text.Json;
using Custodes.Application.Audit;
using Custodes.Application.Organizations;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Custodes.Application.Tests;

/// <summary>Recovery facts stored with a portfolio, edited by the forms' use cases, and scheduled from the stored graph (contracts §13).</summary>
public sealed class RecoveryTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private static readonly Tenant Operator = Tenant.InstallationOperator();

    private static Portfolio DentalMsp() => DocumentFiles.ReadPortfolio(Path.Combine(RepositoryRoot(), "samples", "portfolio", "dental-msp.yaml"));

    private static MatrixUpload Matrix() => MatrixUpload.Parse(File.ReadAllBytes(Path.Combine(RepositoryRoot(), "samples", "portfolio", "crm-frontrange-it.yaml")), "crm-frontrange-it.yaml");

    [Theory, MemberData(nameof(Providers))]
    public async Task Recovery_facts_are_stored_and_read_back_as_imported(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Operator, DentalMsp(), []);
        var stored = (await store.LoadAsync(Operator))!;
        Assert.Equal(Text(PortfolioFile.ToJson(DentalMsp())), Text(PortfolioFile.ToJson(stored.Portfolio)));
        Assert.Equal(2, stored.Portfolio.Organizations.Single(o => o.Id == "frontrange-it").Recovery!.Crews);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_schedule_from_the_stored_graph_equals_the_one_from_the_file(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Operator, DentalMsp(), []);
        // A fresh cache reads the stored snapshot, as the first query after a restart does.
        var planning = new RecoveryPlanning(new PortfolioGraphs(store), Clock);
        var schedule = await planning.ScheduleAsync(Operator, "frontrange-it");
        var expected = ScheduleRecovery.For(PortfolioGraph.Build(DentalMsp()), "frontrange-it", new RecoveryOptions { AsOf = new DateOnly(2026, 12, 1) });
        Assert.Equal(JsonSerializer.Serialize(expected, Json.Options), JsonSerializer.Serialize(schedule, Json.Options));
        Assert.Equal(106.5m, schedule.MakespanHours);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_plan_compares_what_ifs_with_the_schedule_as_stated(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Operator, DentalMsp(), []);
        var plan = await new RecoveryPlanning(new PortfolioGraphs(store), Clock).PlanAsync(Operator, "frontrange-it",
            partner: new SurgePartner { Name = "Rapid IR", Crews = 4, StartDelayHours = 12 });
        var byLabel = plan.Scenarios.ToDictionary(s => s.Label);
        Assert.Equal(106.5m, byLabel["As stated"].MakespanHours);
        Assert.Equal(5, byLabel["As stated"].CustomersWithoutUsableBackup);
        Assert.True(byLabel["One more crew"].MakespanHours < 106.5m);
        Assert.True(byLabel["Twice the crews"].MakespanHours <= byLabel["One more crew"].MakespanHours);
        Assert.True(byLabel["A surge partner"].MakespanHours < 106.5m);
        Assert.Contains("Rapid IR", byLabel["A surge partner"].Change, StringComparison.Ordinal);
        Assert.Equal((106.5m, 0), (byLabel["Critical backups fixed"].MakespanHours, byLabel["Critical backups fixed"].CustomersWithoutUsableBackup));
        Assert.Equal(0, byLabel["All of these"].CustomersWithoutUsableBackup);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Editing_a_provider_recovery_stores_a_new_version_keeps_the_matrices_and_is_audited(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Operator, DentalMsp(), [Matrix()]);
        var edits = new RecoveryEdits(store, test.Installation);
        var recovery = new Recovery { Crews = 4, HoursPerEndpoint = 1, HoursPerServer = 5, Surge = [new SurgePartner { Name = "Rapid IR", Crews = 3, StartDelayHours = 6 }], Priority = ["dental-005"] };

        Assert.Equal(2, await edits.SetRecoveryAsync(Operator, "frontrange-it", recovery, version: 1));

        var stored = (await store.LoadAsync(Operator))!;
        Assert.Equal(Text(PortfolioFile.ToJson(DentalMsp() with
        {
            Organizations = DentalMsp().Organizations.Select(o => o.Id == "frontrange-it" ? o with { Recovery = recovery } : o).ToArray(),
        })), Text(PortfolioFile.ToJson(stored.Portfolio)));
        Assert.Contains("frontrange-it", stored.Matrices.Keys);
        var schedule = await new RecoveryPlanning(new PortfolioGraphs(store), Clock).ScheduleAsync(Operator, "frontrange-it");
        Assert.Equal("dental-005", schedule.Customers[0].Id);
        Assert.Equal(7, schedule.Lanes.Count);
        await using var db = test.Installation.OpenDb();
        var entry = await db.Audit.AsNoTracking().SingleAsync(a => a.Action == "portfolio.recovery-changed");
        Assert.Contains("\"crews\":2", entry.Before, StringComparison.Ordinal);
        Assert.Contains("\"crews\":4", entry.After, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Editing_a_backup_sets_servers_and_backup_of_that_relationship_only(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Operator, DentalMsp(), []);
        var edits = new RecoveryEdits(store, test.Installation);
        var backup = new Backup { Immutable = true, Offsite = true, LastRestoreTest = new DateOnly(2026, 11, 20), RtoHours = 96, Provider = "vaultline" };

        await edits.SetBackupAsync(Operator, "dental-003", "frontrange-it", servers: 3, backup, version: 1);

        var stored = (await store.LoadAsync(Operator))!.Portfolio;
        var changed = stored.Relationships.Single(r => r.Customer == "dental-003" && r.Provider == "frontrange-it");
        Assert.Equal((3, backup), (changed.Servers, changed.Backup));
        Assert.Equal(DentalMsp().Relationships.Count(r => r.Backup is not null) + 1, stored.Relationships.Count(r => r.Backup is not null));
        var schedule = await new RecoveryPlanning(new PortfolioGraphs(store), Clock).ScheduleAsync(Operator, "frontrange-it");
        Assert.Equal(RecoveryRisk.Low, schedule.Customers.Single(c => c.Id == "dental-003").Risk);
        await using var db = test.Installation.OpenDb();
        Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "portfolio.backup-changed"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_edit_made_on_an_older_version_or_invalid_changes_nothing(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Operator, DentalMsp(), []);
        var edits = new RecoveryEdits(store, test.Installation);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => edits.SetRecoveryAsync(Operator, "frontrange-it", new Recovery { Crews = 9 }, version: 0));
        var bad = await Assert.ThrowsAsync<BadInputException>(() =>
            edits.SetBackupAsync(Operator, "dental-003", "frontrange-it", 1, new Backup { Provider = "nobody" }, version: 1));
        Assert.EndsWith(".backup.provider", bad.Path, StringComparison.Ordinal);
        Assert.Contains("unknown organization 'nobody'", bad.Message, StringComparison.Ordinal);
        var negative = await Assert.ThrowsAsync<BadInputException>(() => edits.SetRecoveryAsync(Operator, "frontrange-it", new Recovery { Crews = 0 }, version: 1));
        Assert.EndsWith(".recovery.crews", negative.Path, StringComparison.Ordinal);
        await Assert.ThrowsAsync<BadInputException>(() => edits.SetRecoveryAsync(Operator, "dental-001", new Recovery { Crews = 1 }, version: 1));
        await Assert.ThrowsAsync<NotFoundException>(() => edits.SetBackupAsync(Operator, "dental-003", "vaultline", 1, null, version: 1));
        await Assert.ThrowsAsync<ForbiddenException>(() => edits.SetRecoveryAsync(Operator with { Role = Roles.Viewer }, "frontrange-it", null, version: 1));

        var stored = (await store.LoadAsync(Operator))!;
        Assert.Equal(1, stored.Version);
        Assert.Equal(Text(PortfolioFile.ToJson(DentalMsp())), Text(PortfolioFile.ToJson(stored.Portfolio)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_customer_sees_how_long_it_would_wait_and_what_would_shorten_it(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var practice = await new OrganizationStore(test.Installation, new AuditTrail(Clock), Clock).CreateAsync("Parker Dental Group", "customer", "test");
        var tenant = new Tenant(practice, Roles.Owner, "test");
        var portfolio = DentalMsp();
        portfolio = portfolio with { Organizations = portfolio.Organizations.Select(o => o.Id == "dental-006" ? o with { CustodesOrganization = "Parker Dental Group" } : o).ToArray() };
        var store = Store(test);
        await store.ImportAsync(tenant, portfolio, []);
        var planning = new RecoveryPlanning(new PortfolioGraphs(store), Clock);

        var outlooks = await planning.OutlookAsync(tenant);

        // Front Range manages its 22 computers and 2 servers (back at hour 106.5, 5 days); Chartwell's 4 computers are the other line.
        var o = outlooks[0];
        Assert.Equal(("frontrange-it", 106.5m, 5), (o.ProviderId, o.Slot.DoneHour, o.Days));
        Assert.Equal(45m, o.IfFirst);
        Assert.True(o.WithOneMoreCrew < 106.5m);
        Assert.Equal(RecoveryRisk.High, o.Slot.Risk);
        Assert.Contains(o.Slot.Actions, a => a.Contains("offsite", StringComparison.Ordinal));
        Assert.Equal("chartwell-software", outlooks[1].ProviderId);
        // An organization that is not an entry of its own portfolio sees nothing.
        Assert.Empty(await planning.OutlookAsync(Operator));
    }

    private static PortfolioStore Store(TestInstallation test) => new(test.Installation, new AuditTrail(Clock), Clock);

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Custodes.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Custodes.slnx) not found above the test binaries");
    }
}
