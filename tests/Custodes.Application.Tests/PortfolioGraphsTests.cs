using System.Text;
using System.Text.Json;
using Custodes.Application.Audit;
using Custodes.Application.SupplyChain;
using Custodes.SupplyChain;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Tests;

/// <summary>A stored portfolio's graph comes into memory from the snapshot stored with its version, and answers as the portfolio does.</summary>
public sealed class PortfolioGraphsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static readonly SyntheticSupplyChain Chain = SyntheticSupplyChain.Generate(providers: 30, customers: 300, relationships: 1_000);

    [Theory, MemberData(nameof(Providers))]
    public async Task After_a_restart_blast_radius_equals_the_one_computed_in_memory(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Tenant.InstallationOperator(), Chain.Portfolio, []);

        var graph = (await new PortfolioGraphs(store).GraphAsync(Tenant.InstallationOperator()))!;
        Assert.Equal(Answers(PortfolioGraph.Build(Chain.Portfolio)), Answers(graph));
        var stored = await SnapshotRowAsync(test);
        Assert.Equal(1, stored.Version);
        Assert.Equal(PortfolioGraph.Build(Chain.Portfolio).ToSnapshot(), stored.Content);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Graph_queries_read_the_snapshot_not_the_rows(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Tenant.InstallationOperator(), Chain.Portfolio, []);
        // Rows gone behind the store's back: only a graph read from the snapshot still reaches anyone.
        await using (var db = test.Installation.OpenDb()) await db.PortfolioRelationships.ExecuteDeleteAsync();

        var graph = (await new PortfolioGraphs(store).GraphAsync(Tenant.InstallationOperator()))!;
        Assert.Equal(Answers(PortfolioGraph.Build(Chain.Portfolio)), Answers(graph));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_snapshot_holds_the_portfolio_as_stored_with_its_links(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        var assessor = await new Organizations.OrganizationStore(test.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System).CreateAsync("Keystone Assessors LLC", "assessor", "test");
        var portfolio = DocumentFiles.ReadPortfolio(Path.Combine(RepositoryRoot(), "samples", "portfolio", "dental-msp.yaml"));
        portfolio = portfolio with { Organizations = portfolio.Organizations.Select(o => o.Id == "keystone-assessors" ? o with { CustodesOrganization = "Keystone Assessors LLC" } : o).ToArray() };
        await store.ImportAsync(Tenant.InstallationOperator(), portfolio, []);

        var loaded = (await new PortfolioGraphs(store).GetAsync(Tenant.InstallationOperator()))!;
        Assert.Equal(assessor.ToString(), loaded.Graph.Organization("keystone-assessors")!.CustodesOrganization);
        Assert.Equal(Text(PortfolioFile.ToJson(loaded.Stored.Portfolio)), Text(PortfolioFile.ToJson(loaded.Graph.Portfolio)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_snapshot_of_an_unknown_format_or_damaged_is_rebuilt_from_the_rows_with_nothing_lost(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Tenant.InstallationOperator(), Chain.Portfolio, []);
        var expected = Answers(PortfolioGraph.Build(Chain.Portfolio));
        var good = (await SnapshotRowAsync(test)).Content;
        var unknownFormat = good.ToArray();
        unknownFormat[0] = 99;
        var damaged = good.ToArray();
        damaged[damaged.Length / 3] ^= 0xFF;

        foreach (var bad in new byte[][] { unknownFormat, damaged, [], good[..100] })
        {
            await using (var db = test.Installation.OpenDb()) await db.PortfolioGraphSnapshots.ExecuteUpdateAsync(s => s.SetProperty(x => x.Content, bad));
            var graphs = new PortfolioGraphs(store);
            Assert.Equal(expected, Answers((await graphs.GraphAsync(Tenant.InstallationOperator()))!));
            Assert.Equal(good, (await SnapshotRowAsync(test)).Content);
            Assert.Equal(Text(PortfolioFile.ToJson(Chain.Portfolio)), Text(PortfolioFile.ToJson((await store.LoadAsync(Tenant.InstallationOperator()))!.Portfolio)));
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_missing_or_stale_snapshot_is_built_from_the_rows_and_stored(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Tenant.InstallationOperator(), Chain.Portfolio, []);
        var expected = Answers(PortfolioGraph.Build(Chain.Portfolio));

        // Imported before snapshots existed.
        await using (var db = test.Installation.OpenDb()) await db.PortfolioGraphSnapshots.ExecuteDeleteAsync();
        Assert.Equal(expected, Answers((await new PortfolioGraphs(store).GraphAsync(Tenant.InstallationOperator()))!));
        Assert.Equal(1, (await SnapshotRowAsync(test)).Version);

        // Left by an older version of the portfolio: not used, replaced.
        await using (var db = test.Installation.OpenDb())
            await db.PortfolioGraphSnapshots.ExecuteUpdateAsync(s => s.SetProperty(x => x.Version, 0L).SetProperty(x => x.Content, PortfolioGraph.Build(new Portfolio()).ToSnapshot()));
        Assert.Equal(expected, Answers((await new PortfolioGraphs(store).GraphAsync(Tenant.InstallationOperator()))!));
        Assert.Equal(1, (await SnapshotRowAsync(test)).Version);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Reimport_replaces_the_snapshot_and_every_cache_sees_the_new_version(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        await store.ImportAsync(Tenant.InstallationOperator(), Chain.Portfolio, []);
        var running = new PortfolioGraphs(store);
        var before = (await running.GraphAsync(Tenant.InstallationOperator()))!;

        // The largest provider drops its customers.
        var largest = Chain.LargestProvider(before);
        var smaller = Chain.Portfolio with { Relationships = Chain.Portfolio.Relationships.Where(r => r.Provider != largest).ToArray() };
        Assert.Equal(2, await store.ImportAsync(Tenant.InstallationOperator(), smaller, []));

        var expected = Answers(PortfolioGraph.Build(smaller));
        Assert.NotEqual(Answers(before), expected);
        Assert.Equal(expected, Answers((await running.GraphAsync(Tenant.InstallationOperator()))!));
        Assert.Equal(expected, Answers((await new PortfolioGraphs(store).GraphAsync(Tenant.InstallationOperator()))!));
        await using var db = test.Installation.OpenDb();
        var row = await db.PortfolioGraphSnapshots.SingleAsync();
        Assert.Equal(2, row.Version);
        Assert.Equal(PortfolioGraph.Build(smaller).ToSnapshot(), row.Content);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_stored_portfolio_comes_with_the_same_graph_graph_queries_use(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var store = Store(test);
        Assert.Null(await new PortfolioGraphs(store).GraphAsync(Tenant.InstallationOperator()));
        await store.ImportAsync(Tenant.InstallationOperator(), Chain.Portfolio, []);
        var graphs = new PortfolioGraphs(store);

        var graph = await graphs.GraphAsync(Tenant.InstallationOperator());
        var loaded = (await graphs.GetAsync(Tenant.InstallationOperator()))!;
        Assert.Same(graph, loaded.Graph);
        Assert.Same(loaded, await graphs.GetAsync(Tenant.InstallationOperator()));
        Assert.Equal(1, loaded.Stored.Version);
        Assert.Equal(Text(PortfolioFile.ToJson(Chain.Portfolio)), Text(PortfolioFile.ToJson(loaded.Stored.Portfolio)));
    }

    private static PortfolioStore Store(TestInstallation test) => new(test.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);

    private static async Task<Database.PortfolioGraphSnapshotRow> SnapshotRowAsync(TestInstallation test)
    {
        await using var db = test.Installation.OpenDb();
        return await db.PortfolioGraphSnapshots.AsNoTracking().SingleAsync();
    }

    /// <summary>Blast radius and what-if from every provider and tool, and concentration, as JSON.</summary>
    private static string Answers(PortfolioGraph graph)
    {
        var answers = new StringBuilder();
        var portfolio = graph.Portfolio;
        foreach (var id in portfolio.Organizations.Where(o => o.Kind.IsProvider()).Select(o => o.Id).Concat(portfolio.Tools.Select(t => t.Id)))
        {
            answers.AppendLine(JsonSerializer.Serialize(ComputeBlastRadius.For(graph, id)));
            answers.AppendLine(JsonSerializer.Serialize(AssessCompromise.For(graph, id)));
        }
        answers.AppendLine(JsonSerializer.Serialize(ConcentrationRisk.Rank(graph)));
        return answers.ToString();
    }

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Custodes.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Custodes.slnx) not found above the test binaries");
    }
}
