using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Custodes.SupplyChain;

namespace Custodes.Bench;

/// <summary>
/// Blast radius and recompute-after-revocation on the generated 2,000 providers / 50,000 customers / 200,000 relationships supply chain.
/// Targets: blast radius ≤ 50 ms, recompute ≤ 5 s. Each category has a straightforward baseline in the same run:
/// a string-keyed breadth-first search over the portfolio records, and inheritance applied to full assessments.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SupplyChainBenchmarks
{
    private static readonly DateOnly AsOf = new(2026, 12, 1);
    private SyntheticSupplyChain _chain = null!;
    private PortfolioGraph _graph = null!;
    private InheritanceSnapshot _snapshot = null!;
    private string _largest = null!;
    private string _subcontractor = null!;
    private LetterState _revoked = null!;
    private Dictionary<string, List<string>> _naiveEdges = null!;
    private Dictionary<string, Custodes.Assessments.Assessment> _fullAssessments = null!;

    [GlobalSetup]
    public void Setup()
    {
        _chain = SyntheticSupplyChain.Generate(2_000, 50_000, 200_000);
        _graph = PortfolioGraph.Build(_chain.Portfolio);
        _snapshot = new InheritanceSnapshot(_graph, _chain.Assessments, _chain.Matrices, _chain.Letters);
        _largest = _chain.LargestProvider(_graph);
        // The big provider with the most subcontracting customers: its reach is transitive through many MSPs.
        _subcontractor = _chain.Portfolio.Relationships.Where(r => r.Customer.StartsWith('p')).GroupBy(r => r.Provider).MaxBy(g => g.Count())!.Key;
        _revoked = _chain.Letters[_largest] with { Revoked = true };

        var tools = _chain.Portfolio.Tools.ToDictionary(t => t.Id);
        _naiveEdges = new Dictionary<string, List<string>>();
        void Add(string from, string to)
        {
            if (!_naiveEdges.TryGetValue(from, out var list)) _naiveEdges[from] = list = [];
            list.Add(to);
        }
        foreach (var tool in _chain.Portfolio.Tools) Add(tool.Operator, tool.Id);
        foreach (var r in _chain.Portfolio.Relationships)
        {
            foreach (var t in r.Tools) Add(t, r.Customer);
            if (!r.Tools.Any(t => tools[t].Operator == r.Provider)) Add(r.Provider, r.Customer);
        }
        var dependents = _chain.Portfolio.Relationships.Where(r => r.Provider == _largest).Select(r => r.Customer).ToHashSet();
        _fullAssessments = dependents.Where(_chain.Assessments.ContainsKey).ToDictionary(c => c, c => _chain.Assessments[c].ToAssessment());
        Console.WriteLine($"// largest provider {_largest}: {dependents.Count} direct customers, blast radius {ComputeBlastRadius.For(_graph, _largest).TotalCustomers}; " +
                          $"subcontractor {_subcontractor}: blast radius {ComputeBlastRadius.For(_graph, _subcontractor).TotalCustomers}");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("blast-radius")]
    public int BlastRadius_naive_string_bfs()
    {
        var seen = new HashSet<string> { _subcontractor };
        var parent = new Dictionary<string, string>();
        var queue = new Queue<string>();
        queue.Enqueue(_subcontractor);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (!_naiveEdges.TryGetValue(node, out var targets)) continue;
            foreach (var target in targets.OrderBy(t => t, StringComparer.Ordinal))
                if (seen.Add(target)) { parent[target] = node; queue.Enqueue(target); }
        }
        return seen.Count;
    }

    [Benchmark, BenchmarkCategory("blast-radius")]
    public int BlastRadius_largest_subcontractor() => ComputeBlastRadius.For(_graph, _subcontractor).TotalCustomers;

    [Benchmark, BenchmarkCategory("blast-radius")]
    public int BlastRadius_largest_direct_provider() => ComputeBlastRadius.For(_graph, _largest).TotalCustomers;

    [Benchmark(Baseline = true), BenchmarkCategory("recompute")]
    public int Recompute_naive_apply_inheritance_to_full_assessments()
    {
        var changed = 0;
        foreach (var (customer, assessment) in _fullAssessments)
        {
            var providers = _chain.Portfolio.Relationships.Count == 0 ? [] : ProvidersOf(customer);
            var before = ApplyInheritance.Apply(assessment, providers.Select(p => new ProviderCoverage(_chain.Matrices[p], _chain.Letters[p])).ToArray(), AsOf).Score;
            var after = ApplyInheritance.Apply(assessment, providers.Select(p => new ProviderCoverage(_chain.Matrices[p], p == _largest ? _revoked : _chain.Letters[p])).ToArray(), AsOf).Score;
            if (before.Score != after.Score || before.Cmmc.Level2.Status != after.Cmmc.Level2.Status) changed++;
        }
        return changed;
    }

    [Benchmark, BenchmarkCategory("recompute")]
    public int Recompute_after_revocation_of_largest_provider() => RecomputeAfterLetterChange.Run(_snapshot, _revoked, AsOf).Count;

    private List<string> ProvidersOf(string customer)
    {
        var list = new List<string>();
        foreach (var r in _graph.RelationshipsOfCustomer(_graph.IndexOf(customer))) list.Add(_chain.Portfolio.Relationships[r].Provider);
        return list;
    }
}
