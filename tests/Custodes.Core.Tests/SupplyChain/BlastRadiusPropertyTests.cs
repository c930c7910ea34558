using Custodes.SupplyChain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodes.Core.Tests.SupplyChain;

/// <summary>The indexed breadth-first search agrees with a naive reference written straight from the rules, on random small portfolios.</summary>
public sealed class BlastRadiusPropertyTests
{
    [Property(MaxTest = 300)]
    public Property Blast_radius_equals_a_naive_reference_implementation() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var portfolio = RandomPortfolio(new Random(seed));
            ValidatePortfolio.Check(portfolio);
            var graph = PortfolioGraph.Build(portfolio);
            foreach (var id in portfolio.Organizations.Select(o => o.Id).Concat(portfolio.Tools.Select(t => t.Id)))
            {
                var actual = ComputeBlastRadius.For(graph, id);
                var expected = Naive(portfolio, id);
                if (actual.Customers.Count != expected.Count) return false;
                foreach (var c in actual.Customers)
                {
                    if (!expected.TryGetValue(c.Id, out var e)) return false;
                    if (!c.Via.SequenceEqual(e.Via) || c.Endpoints != e.Endpoints || !c.Data.SequenceEqual(e.Data)) return false;
                }
                if (actual.TotalEndpoints != expected.Values.Sum(e => (long)e.Endpoints)) return false;
            }
            return true;
        });

    /// <summary>Providers p0..pN subcontract only to higher-numbered providers (so no cycle); tools belong to providers or customers.</summary>
    internal static Portfolio RandomPortfolio(Random random)
    {
        var providers = random.Next(1, 6);
        var customers = random.Next(0, 8);
        var orgs = new List<Organization>();
        for (var p = 0; p < providers; p++) orgs.Add(new Organization { Id = $"p{p}", Name = $"P{p}", Kind = OrganizationKind.Msp, Data = random.Next(3) == 0 ? null : RandomData(random) });
        for (var c = 0; c < customers; c++) orgs.Add(new Organization { Id = $"c{c}", Name = $"C{c}", Kind = OrganizationKind.Customer, Data = random.Next(4) == 0 ? null : RandomData(random) });
        var tools = new List<Tool>();
        var toolCount = random.Next(0, 6);
        for (var t = 0; t < toolCount; t++) tools.Add(new Tool { Id = $"t{t}", Product = ToolProduct.Ninjaone, Operator = orgs[random.Next(orgs.Count)].Id });
        var relationships = new List<Relationship>();
        var pairs = new HashSet<(string, string)>();
        var providersOf = new Dictionary<string, HashSet<string>>();
        var attempts = random.Next(0, 20);
        // Subcontracting first, so that the tool rule can see each provider's providers.
        var candidates = new List<(string Customer, string Provider)>();
        for (var i = 0; i < attempts; i++)
        {
            var provider = random.Next(providers);
            var customerIndex = random.Next(orgs.Count);
            if (customerIndex < providers && customerIndex >= provider) continue; // a provider hires only higher-numbered providers
            candidates.Add((orgs[customerIndex].Id, $"p{provider}"));
        }
        foreach (var (customer, provider) in candidates.OrderBy(c => c.Customer.StartsWith('c') ? 1 : 0))
        {
            if (!pairs.Add((customer, provider))) continue;
            var allowed = tools.Where(t => t.Operator == provider || t.Operator == customer || (providersOf.TryGetValue(provider, out var up) && up.Contains(t.Operator))).ToList();
            var chosen = allowed.Where(_ => random.Next(2) == 0).Select(t => t.Id).ToArray();
            var customerData = orgs.Single(o => o.Id == customer).Data;
            relationships.Add(new Relationship
            {
                Customer = customer,
                Provider = provider,
                Tools = chosen,
                Endpoints = random.Next(3) == 0 ? null : random.Next(0, 50),
                Data = customerData is { } d && random.Next(3) == 0 ? d & RandomData(random) : null,
                Access = (AccessLevels)(1 << random.Next(8)),
            });
            if (!providersOf.TryGetValue(customer, out var set)) providersOf[customer] = set = [];
            set.Add(provider);
        }
        return new Portfolio { Organizations = orgs, Tools = tools, Relationships = relationships };
    }

    private static DataClasses RandomData(Random random) => (DataClasses)random.Next(0, 32);

    private sealed record Expected(string[] Via, int Endpoints, string[] Data);

    /// <summary>The rules of docs/supply-chain.md, written with sets and whole paths instead of indices.</summary>
    private static Dictionary<string, Expected> Naive(Portfolio portfolio, string root)
    {
        var toolsById = portfolio.Tools.ToDictionary(t => t.Id);
        var edges = new List<(string From, string To)>();
        foreach (var tool in portfolio.Tools) edges.Add((tool.Operator, tool.Id));
        foreach (var r in portfolio.Relationships)
        {
            foreach (var t in r.Tools) edges.Add((t, r.Customer));
            if (!r.Tools.Any(t => toolsById[t].Operator == r.Provider)) edges.Add((r.Provider, r.Customer));
        }
        var paths = new Dictionary<string, List<string>> { [root] = [root] };
        var frontier = new List<string> { root };
        while (frontier.Count > 0)
        {
            var next = new Dictionary<string, List<string>>();
            foreach (var (from, to) in edges)
            {
                if (!frontier.Contains(from) || paths.ContainsKey(to)) continue;
                var candidate = paths[from].Append(to).ToList();
                if (!next.TryGetValue(to, out var best) || Compare(candidate, best) < 0) next[to] = candidate;
            }
            foreach (var (node, path) in next) paths[node] = path;
            frontier = next.Keys.ToList();
        }
        var result = new Dictionary<string, Expected>();
        foreach (var org in portfolio.Organizations)
        {
            if (org.Id == root || !paths.TryGetValue(org.Id, out var path)) continue;
            var reaching = portfolio.Relationships.Where(r => r.Customer == org.Id && (paths.ContainsKey(r.Provider) || r.Tools.Any(paths.ContainsKey))).ToList();
            var data = reaching.Aggregate(DataClasses.None, (acc, r) => acc | (r.Data ?? org.Data ?? DataClasses.None));
            result[org.Id] = new Expected(path.Take(path.Count - 1).ToArray(), reaching.Count == 0 ? 0 : reaching.Max(r => r.Endpoints ?? 0), PortfolioNames.DataNames(data).ToArray());
        }
        return result;
    }

    private static int Compare(List<string> a, List<string> b)
    {
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Count.CompareTo(b.Count);
    }
}
