namespace Custodes.SupplyChain;

/// <summary>One provider or tool instance and how much of the portfolio its compromise reaches.</summary>
/// <param name="Kind"><c>provider</c> or <c>tool</c>.</param>
/// <param name="Product">The tool's product (tools only).</param>
/// <param name="SensitiveCustomers">Customers reached that hold CUI or PHI.</param>
public sealed record ConcentrationEntry(string Id, string Kind, string Name, string? Product, int Customers, long Endpoints, IReadOnlyList<string> Data, int SensitiveCustomers);

/// <summary>Ranks providers and tool instances by how much of the portfolio one compromise would reach (concentration risk).</summary>
/// <remarks>
/// Ranked by customers reached, then endpoints, then number of data classes, then id; reach and counting as in <see cref="ComputeBlastRadius"/>.
/// One breadth-first search per provider and tool on pooled buffers: linear in the portfolio for each.
/// </remarks>
public static class ConcentrationRisk
{
    public static IReadOnlyList<ConcentrationEntry> Rank(PortfolioGraph graph, int? top = null)
    {
        var entries = new List<ConcentrationEntry>();
        for (var node = 0; node < graph.NodeCount; node++)
        {
            var org = graph.Organizations[node];
            var tool = graph.Tools[node];
            if (org is not null && (!org.Kind.IsProvider() || graph.RelationshipsOfProvider(node).Length == 0)) continue;
            var t = graph.Reach(node);
            try
            {
                int customers = 0, sensitive = 0;
                long endpoints = 0;
                var data = DataClasses.None;
                for (var k = 1; k < t.Count; k++)
                {
                    var reached = t.Order[k];
                    if (graph.Organizations[reached] is null) continue;
                    var exposure = graph.ExposureOf(reached, t);
                    customers++;
                    endpoints += exposure.Endpoints;
                    data |= exposure.Data;
                    if ((exposure.Data & (DataClasses.Cui | DataClasses.Phi)) != 0) sensitive++;
                }
                entries.Add(org is not null
                    ? new ConcentrationEntry(org.Id, "provider", org.Name, null, customers, endpoints, PortfolioNames.DataNames(data), sensitive)
                    : new ConcentrationEntry(tool!.Id, "tool", tool.Name ?? tool.Id, PortfolioNames.Products.Name(tool.Product), customers, endpoints, PortfolioNames.DataNames(data), sensitive));
            }
            finally
            {
                graph.Return(t);
            }
        }
        var ranked = entries
            .OrderByDescending(e => e.Customers)
            .ThenByDescending(e => e.Endpoints)
            .ThenByDescending(e => e.Data.Count)
            .ThenBy(e => e.Id, StringComparer.Ordinal);
        return (top is { } n ? ranked.Take(n) : ranked).ToArray();
    }
}
