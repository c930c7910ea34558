using BenchmarkDotNet.Attributes;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.SupplyChain;
using Custodes.SupplyChain;
using Custodes.Testing;

namespace Custodes.Bench;

/// <summary>
/// Blast radius from the database on the generated 2,000 providers / 50,000 customers / 200,000 relationships portfolio
/// (target ≤ 300 ms from PostgreSQL). <c>warm</c> is what the web app pays per query once a portfolio version is loaded (the
/// version check, then the in-memory graph); <c>cold</c> is the first query after an import or a restart (a new
/// <see cref="PortfolioGraphs"/>: the version check, the stored graph snapshot, the query); the baseline is how the first query
/// was answered before snapshots (read every row, build the graph, query), which a portfolio without a snapshot still costs once.
/// </summary>
[ShortJob]
public class StoredSupplyChainBenchmarks
{
    private TestInstallation _test = null!;
    private PortfolioStore _store = null!;
    private PortfolioGraphs _graphs = null!;
    private string _subcontractor = null!;

    [Params(DatabaseProvider.Sqlite, DatabaseProvider.Postgres)]
    public DatabaseProvider Provider { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _test = TestInstallation.CreateAsync(Provider).GetAwaiter().GetResult();
        _store = new PortfolioStore(_test.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var chain = SyntheticSupplyChain.Generate(2_000, 50_000, 200_000);
        var started = DateTime.UtcNow;
        _store.ImportAsync(Application.Tenant.InstallationOperator(), chain.Portfolio, []).GetAwaiter().GetResult();
        Console.WriteLine($"// import of {chain.Portfolio.Relationships.Count:N0} relationships: {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        _subcontractor = chain.Portfolio.Relationships.Where(r => r.Customer.StartsWith('p')).GroupBy(r => r.Provider).MaxBy(g => g.Count())!.Key;
        _graphs = new PortfolioGraphs(_store);
        _graphs.GraphAsync(Application.Tenant.InstallationOperator()).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _test.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "blast radius, warm (version check + cached graph)")]
    public async Task<int> Warm() => ComputeBlastRadius.For((await _graphs.GraphAsync(Application.Tenant.InstallationOperator()))!, _subcontractor).TotalCustomers;

    [Benchmark(Description = "blast radius, cold (version check + graph snapshot)")]
    public async Task<int> Cold() => ComputeBlastRadius.For((await new PortfolioGraphs(_store).GraphAsync(Application.Tenant.InstallationOperator()))!, _subcontractor).TotalCustomers;

    [Benchmark(Baseline = true, Description = "blast radius, cold from the rows (load portfolio + build graph)")]
    public async Task<int> ColdFromRows() => ComputeBlastRadius.For(PortfolioGraph.Build((await _store.LoadAsync(Application.Tenant.InstallationOperator()))!.Portfolio), _subcontractor).TotalCustomers;
}
