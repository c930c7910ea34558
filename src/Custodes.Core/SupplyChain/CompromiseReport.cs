using Custodes.Common;

namespace Custodes.SupplyChain;

/// <summary>"What if this provider (or tool) is compromised": every organization it reaches, most exposed first.</summary>
public sealed record CompromiseReport(
    string Root,
    int TotalCustomers,
    long TotalEndpoints,
    IReadOnlyDictionary<string, int> CustomersByTier,
    IReadOnlyList<ExposedCustomer> Customers);

/// <summary>One organization reached by a compromise, with why it ranks where it does.</summary>
/// <param name="Tier"><c>critical</c> (CUI or PHI), <c>high</c> (PCI, PII or FCI), <c>unknown</c> (data not declared) or <c>low</c> (no sensitive data).</param>
/// <param name="Access">The strongest access level among the relationships that reach it.</param>
/// <param name="Exposure">data weight × access weight × (1 + endpoints); see docs/supply-chain.md.</param>
/// <param name="Hops">Length of <paramref name="Via"/>: 1 for a direct customer.</param>
public sealed record ExposedCustomer(string Id, string Name, string Tier, IReadOnlyList<string> Data, string? Access, int Endpoints, int Hops, IReadOnlyList<string> Via, double Exposure);

/// <summary>Ranks what a compromise reaches by exposure: customers with CUI or PHI first, then by access-weighted size.</summary>
/// <remarks>
/// Order: tier (critical, high, unknown, low), then exposure (descending), then hops (nearer first), then id.
/// Data weights: CUI and PHI 10, PCI 6, PII 5, FCI 4, undeclared 3, none 1 (the largest class counts). Access weights: see <see cref="PortfolioNames.Weight"/>.
/// </remarks>
public static class AssessCompromise
{
    public static readonly IReadOnlyList<string> Tiers = ["critical", "high", "unknown", "low"];

    public static CompromiseReport For(PortfolioGraph graph, string rootId)
    {
        var root = graph.IndexOf(rootId);
        if (root < 0) throw new BadInputException($"unknown organization or tool '{rootId}'; the portfolio has no such id");
        var t = graph.Reach(root);
        try
        {
            var customers = new List<(ExposedCustomer Customer, int TierRank)>();
            long endpoints = 0;
            var paths = new ComputeBlastRadius.PathCache(graph, t);
            for (var k = 1; k < t.Count; k++)
            {
                var node = t.Order[k];
                if (graph.Organizations[node] is not { } org) continue;
                var e = graph.ExposureOf(node, t);
                var (tier, dataWeight) = Classify(e.Data, e.DataKnown);
                var via = paths.Via(node);
                var exposure = Math.Round(dataWeight * PortfolioNames.Weight(e.Access) * (1 + e.Endpoints), 2);
                customers.Add((new ExposedCustomer(org.Id, org.Name, Tiers[tier], PortfolioNames.DataNames(e.Data), PortfolioNames.Strongest(e.Access), e.Endpoints, via.Count, via, exposure), tier));
                endpoints += e.Endpoints;
            }
            var ranked = customers
                .OrderBy(c => c.TierRank)
                .ThenByDescending(c => c.Customer.Exposure)
                .ThenBy(c => c.Customer.Hops)
                .ThenBy(c => c.Customer.Id, StringComparer.Ordinal)
                .Select(c => c.Customer)
                .ToArray();
            var byTier = Tiers.ToDictionary(tier => tier, tier => ranked.Count(c => c.Tier == tier));
            return new CompromiseReport(rootId, ranked.Length, endpoints, byTier, ranked);
        }
        finally
        {
            graph.Return(t);
        }
    }

    private static (int Tier, double Weight) Classify(DataClasses data, bool known)
    {
        if ((data & (DataClasses.Cui | DataClasses.Phi)) != 0) return (0, 10);
        if ((data & DataClasses.Pci) != 0) return (1, 6);
        if ((data & DataClasses.Pii) != 0) return (1, 5);
        if ((data & DataClasses.Fci) != 0) return (1, 4);
        return known ? (3, 1) : (2, 3);
    }
}
