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
            var paths = new PathCache(graph, t);
            long total = 0;
            // Node indices are in id order, so a scan of the visited marks lists customers in id order without sorting.
            for (var node = 0; node < graph.NodeCount; node++)
            {
                if (node == root || !t.Seen(node) || graph.Organizations[node] is null) continue;
                var exposure = graph.ExposureOf(node, t);
                customers.Add(new ReachedCustomer(graph.IdOf(node), paths.Via(node), exposure.Endpoints, PortfolioNames.DataNames(exposure.Data)));
                total += exposure.Endpoints;
            }
            return new BlastRadius(rootId, customers, customers.Count, total);
        }
        finally
        {
            graph.Return(t);
        }
    }

    /// <summary>The <c>via</c> of reached nodes. A node's via is the full path to its parent, so the thousands of customers behind one tool share one array.</summary>
    internal sealed class PathCache(PortfolioGraph graph, PortfolioGraph.Traversal t)
    {
        private readonly Dictionary<int, string[]> _toNode = [];

        public IReadOnlyList<string> Via(int node) => t.Parent[node] is var parent && parent >= 0 ? PathTo(parent) : [];

        private string[] PathTo(int node)
        {
            if (_toNode.TryGetValue(node, out var path)) return path;
            var length = 1;
            for (var p = t.Parent[node]; p >= 0; p = t.Parent[p]) length++;
            path = new string[length];
            for (var p = node; p >= 0; p = t.Parent[p]) path[--length] = graph.IdOf(p);
            _toNode[node] = path;
            return path;
        }
    }
}

