using Custodes.Common;

namespace Custodes.SupplyChain;

/// <summary>Everyone a compromised organization or tool reaches: the result of <c>custodes supply-chain blast-radius --json</c> (contracts §8). Property order is the contract's.</summary>
public sealed record BlastRadius(string Root, IReadOnlyList<ReachedCustomer> Customers, int TotalCustomers, long TotalEndpoints);

/// <summary>One organization reached from the root, the path that reaches it (from the root, without itself), its endpoints and data classes.</summary>
public sealed record ReachedCustomer(string Id, IReadOnlyList<string> Via, int Endpoints, IReadOnlyList<string> Data);

/// <summary>Computes the blast radius of an organization or tool over a <see cref="PortfolioGraph"/>.</summary>
/// <remarks>
/// Reach is transitive along provider → customer, operator → tool and tool → customer edges (see <see cref="PortfolioGraph"/>).
/// <c>via</c> is the shortest path; among shortest paths, the lexicographically smallest sequence of ids (ordinal).
/// A customer's endpoints are the largest count among the relationships that reach it (no double counting when two providers or tools
/// reach the same machines); its data classes are the union over those relationships. Customers are listed in id order.
/// </remarks>
public static class ComputeBlastRadius
{
    public static BlastRadius For(PortfolioGraph graph, string rootId)
    {
        var root = graph.IndexOf(rootId);
        if (root < 0) throw new BadInputException($"unknown organization or tool '{rootId}'; the portfolio has no such id");
        var t = graph.Reach(root);
        try
        {
            var customers = new List<ReachedCustomer>(t.Count);
            long total = 0;
            var ordered = t.Order.AsSpan(1, t.Count - 1).ToArray();
            Array.Sort(ordered);
            foreach (var node in ordered)
            {
                if (graph.Organizations[node] is null) continue;
                var exposure = graph.ExposureOf(node, t);
                customers.Add(new ReachedCustomer(graph.IdOf(node), Via(graph, t, node), exposure.Endpoints, PortfolioNames.DataNames(exposure.Data)));
                total += exposure.Endpoints;
            }
            return new BlastRadius(rootId, customers, customers.Count, total);
        }
        finally
        {
            graph.Return(t);
        }
    }

    internal static string[] Via(PortfolioGraph graph, PortfolioGraph.Traversal t, int node)
    {
        var length = 0;
        for (var p = t.Parent[node]; p >= 0; p = t.Parent[p]) length++;
        var via = new string[length];
        for (var p = t.Parent[node]; p >= 0; p = t.Parent[p]) via[--length] = graph.IdOf(p);
        return via;
    }
}
