using System.Collections.Concurrent;

namespace Custodes.SupplyChain;

/// <summary>A validated portfolio as compact integer-indexed adjacency arrays, built once and queried many times (blast radius, concentration, inheritance).</summary>
/// <remarks>
/// Nodes are organizations and tools, numbered in ordinal order of their ids so that walking adjacency in index order is walking it in id order
/// (which makes the first shortest path a breadth-first search finds the lexicographically smallest one). Edges point the way a compromise spreads:
/// provider → customer (a subcontractor reaches the provider that hired it, and through it that provider's customers), operator → tool, and
/// tool → every customer of every relationship that uses the tool. A relationship whose provider operates one of its tools reaches the customer only
/// through the tool, so <c>via</c> names it (contracts §8: <c>["percsoft", "percsoft-vsa"]</c>). Immutable and thread-safe; traversal buffers are pooled.
/// </remarks>
public sealed class PortfolioGraph
{
    private readonly string[] _ids;
    private readonly Dictionary<string, int> _index;
    private readonly int[] _edgeStart, _edgeTo;
    private readonly int[] _inStart, _inRel;
    private readonly int[] _outStart, _outRel;
    private readonly int[] _relCustomer, _relProvider;
    // What exposure needs of each relationship, contiguous in customer order (parallel to _inRel), so that summing a customer's
    // relationships reads adjacent memory: a blast radius over 50,000 customers touches 200,000 of them.
    private readonly Facts[] _facts;
    private readonly int[] _factTools;
    private readonly ConcurrentBag<Traversal> _pool = [];

    private PortfolioGraph(Portfolio portfolio)
    {
        Portfolio = portfolio;
        var ids = portfolio.Organizations.Select(o => o.Id).Concat(portfolio.Tools.Select(t => t.Id)).ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        _ids = ids;
        _index = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++) _index.Add(ids[i], i);
        var n = ids.Length;
        Organizations = new Organization?[n];
        Tools = new Tool?[n];
        foreach (var org in portfolio.Organizations) Organizations[_index[org.Id]] = org;
        foreach (var tool in portfolio.Tools) Tools[_index[tool.Id]] = tool;

        var rels = portfolio.Relationships;
        var m = rels.Count;
        _relCustomer = new int[m];
        _relProvider = new int[m];
        var toolCount = 0;
        for (var r = 0; r < m; r++) toolCount += rels[r].Tools.Count;
        var edges = new List<(int From, int To)>(m + toolCount + portfolio.Tools.Count);
        for (var r = 0; r < m; r++)
        {
            var rel = rels[r];
            var customer = Node(rel.Customer);
            var provider = Node(rel.Provider);
            _relCustomer[r] = customer;
            _relProvider[r] = provider;
            var providerOperatesATool = false;
            for (var t = 0; t < rel.Tools.Count; t++)
            {
                var tool = Node(rel.Tools[t]);
                edges.Add((tool, customer));
                if (Tools[tool]!.Operator == rel.Provider) providerOperatesATool = true;
            }
            if (!providerOperatesATool) edges.Add((provider, customer));
        }
        foreach (var tool in portfolio.Tools) edges.Add((Node(tool.Operator), Node(tool.Id)));

        (_edgeStart, _edgeTo) = Csr(n, edges, dedupe: true);
        (_inStart, _inRel) = Csr(n, Enumerable.Range(0, m).Select(r => (_relCustomer[r], r)).ToList(), dedupe: false);
        (_outStart, _outRel) = Csr(n, Enumerable.Range(0, m).Select(r => (_relProvider[r], r)).ToList(), dedupe: false);

        _facts = new Facts[m];
        _factTools = new int[toolCount];
        var toolAt = 0;
        for (var k = 0; k < m; k++)
        {
            var rel = rels[_inRel[k]];
            var data = rel.Data ?? Organizations[_relCustomer[_inRel[k]]]!.Data;
            var first = toolAt;
            foreach (var tool in rel.Tools) _factTools[toolAt++] = _index[tool];
            _facts[k] = new Facts(_relProvider[_inRel[k]], first, toolAt, rel.Endpoints ?? 0, rel.Access, data ?? DataClasses.None, data is not null);
        }
    }

    private readonly record struct Facts(int Provider, int ToolStart, int ToolEnd, int Endpoints, AccessLevels Access, DataClasses Data, bool DataKnown);

    /// <summary>Builds the graph of a portfolio that passed <see cref="ValidatePortfolio.Check"/>.</summary>
    public static PortfolioGraph Build(Portfolio portfolio) => new(portfolio);

    public Portfolio Portfolio { get; }

    public int NodeCount => _ids.Length;

    /// <summary>Organizations by node index (null where the node is a tool).</summary>
    internal Organization?[] Organizations { get; }

    /// <summary>Tools by node index (null where the node is an organization).</summary>
    internal Tool?[] Tools { get; }

    public string IdOf(int node) => _ids[node];

    /// <summary>The node index of an organization or tool id, or -1.</summary>
    public int IndexOf(string id) => _index.TryGetValue(id, out var i) ? i : -1;

    public Organization? Organization(string id) => _index.TryGetValue(id, out var i) ? Organizations[i] : null;

    public Tool? Tool(string id) => _index.TryGetValue(id, out var i) ? Tools[i] : null;

    /// <summary>Relationships (indices into <see cref="Portfolio"/>.Relationships) in which an organization is the customer.</summary>
    public ReadOnlySpan<int> RelationshipsOfCustomer(int node) => _inRel.AsSpan(_inStart[node], _inStart[node + 1] - _inStart[node]);

    /// <summary>Relationships in which an organization is the provider.</summary>
    public ReadOnlySpan<int> RelationshipsOfProvider(int node) => _outRel.AsSpan(_outStart[node], _outStart[node + 1] - _outStart[node]);

    internal int CustomerOf(int relationship) => _relCustomer[relationship];
    internal int ProviderOf(int relationship) => _relProvider[relationship];

    private int Node(string id) => _index.TryGetValue(id, out var i) ? i : throw new ArgumentException($"'{id}' is not in the portfolio; validate it first (ValidatePortfolio.Check)");

    private static (int[] Start, int[] Items) Csr(int n, List<(int From, int To)> pairs, bool dedupe)
    {
        var start = new int[n + 1];
        foreach (var (from, _) in pairs) start[from + 1]++;
        for (var i = 0; i < n; i++) start[i + 1] += start[i];
        var items = new int[pairs.Count];
        var fill = start[..n];
        foreach (var (from, to) in pairs) items[fill[from]++] = to;
        if (!dedupe) return (start, items);
        // Sort each node's targets (id order) and drop duplicates (a tool used for one customer by two relationships).
        var compact = new int[items.Length];
        var newStart = new int[n + 1];
        var w = 0;
        for (var node = 0; node < n; node++)
        {
            newStart[node] = w;
            var span = items.AsSpan(start[node], start[node + 1] - start[node]);
            span.Sort();
            for (var k = 0; k < span.Length; k++)
                if (k == 0 || span[k] != span[k - 1]) compact[w++] = span[k];
        }
        newStart[n] = w;
        return (newStart, compact[..w]);
    }

    /// <summary>Breadth-first search from a node: fills the traversal's order and parents; the caller returns it with <see cref="Return"/>.</summary>
    internal Traversal Reach(int root)
    {
        if (!_pool.TryTake(out var t)) t = new Traversal(_ids.Length);
        t.Start();
        t.Visit(root, -1);
        for (var head = 0; head < t.Count; head++)
        {
            var node = t.Order[head];
            for (var e = _edgeStart[node]; e < _edgeStart[node + 1]; e++)
            {
                var target = _edgeTo[e];
                if (!t.Seen(target)) t.Visit(target, node);
            }
        }
        return t;
    }

    internal void Return(Traversal t) => _pool.Add(t);

    /// <summary>What reaches one customer in a traversal: endpoints (the largest of the reaching relationships), data classes, strongest access.</summary>
    /// <remarks>
    /// A relationship reaches its customer when its provider or one of its tools was reached. Several relationships that reach one customer
    /// manage the same machines, so endpoints are the largest count among them, not the sum: the customer is counted once.
    /// </remarks>
    internal Exposure ExposureOf(int customer, Traversal t)
    {
        int endpoints = 0;
        DataClasses data = DataClasses.None;
        var known = true;
        var access = AccessLevels.None;
        for (var k = _inStart[customer]; k < _inStart[customer + 1]; k++)
        {
            ref readonly var f = ref _facts[k];
            var reaches = t.Seen(f.Provider);
            for (var i = f.ToolStart; !reaches && i < f.ToolEnd; i++) reaches = t.Seen(_factTools[i]);
            if (!reaches) continue;
            endpoints = Math.Max(endpoints, f.Endpoints);
            data |= f.Data;
            known &= f.DataKnown;
            access |= f.Access;
        }
        return new Exposure(endpoints, data, known, access);
    }

    internal readonly record struct Exposure(int Endpoints, DataClasses Data, bool DataKnown, AccessLevels Access);

    /// <summary>Pooled breadth-first-search buffers. A generation stamp marks visited nodes, so reuse costs no clearing.</summary>
    internal sealed class Traversal(int size)
    {
        private readonly int[] _stamp = new int[size];
        private int _generation;
        public readonly int[] Order = new int[size];
        public readonly int[] Parent = new int[size];
        public int Count;

        public void Start()
        {
            if (++_generation == int.MaxValue)
            {
                Array.Clear(_stamp);
                _generation = 1;
            }
            Count = 0;
        }

        public bool Seen(int node) => _stamp[node] == _generation;

        public void Visit(int node, int parent)
        {
            _stamp[node] = _generation;
            Parent[node] = parent;
            Order[Count++] = node;
        }
    }
}
