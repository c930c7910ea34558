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
public sealed partial class PortfolioGraph
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
    // Each relationship's backup, parallel to _facts (customer order): recovery weighs every backup a customer has, reached or not.
    private readonly Backup?[] _factBackups;
    // The node that runs each backup, parallel to _factBackups, resolved once per graph: a schedule asks it for every backup a reached customer has.
    private readonly int[] _factHolders;
    private readonly ConcurrentBag<Traversal> _pool = [];
    private readonly Lazy<Portfolio> _portfolio;

    /// <summary>Derives the adjacency from the portfolio in node-index form, which <see cref="Build"/> and <see cref="FromSnapshot"/> both produce.</summary>
    /// <param name="links">Each relationship in document order.</param>
    /// <param name="linkTools">The tools of every relationship as nodes, relationship after relationship; <paramref name="toolStart"/>[r] is where r's begin.</param>
    /// <param name="portfolio">The portfolio itself, asked for only by callers of <see cref="Portfolio"/>.</param>
    private PortfolioGraph(Nodes nodes, Link[] links, int[] toolStart, int[] linkTools, Lazy<Portfolio> portfolio)
    {
        _portfolio = portfolio;
        _ids = nodes.Ids;
        _index = nodes.Index;
        Organizations = nodes.Organizations;
        Tools = nodes.Tools;
        var n = _ids.Length;
        var m = links.Length;
        _relCustomer = new int[m];
        _relProvider = new int[m];

        var edgeCount = 0;
        var from = new int[m + linkTools.Length + n];
        var to = new int[from.Length];
        for (var r = 0; r < m; r++)
        {
            var customer = _relCustomer[r] = links[r].Customer;
            var provider = _relProvider[r] = links[r].Provider;
            var providerOperatesATool = false;
            for (var t = toolStart[r]; t < toolStart[r + 1]; t++)
            {
                (from[edgeCount], to[edgeCount++]) = (linkTools[t], customer);
                if (Tools[linkTools[t]]!.Operator == _ids[provider]) providerOperatesATool = true;
            }
            if (!providerOperatesATool) (from[edgeCount], to[edgeCount++]) = (provider, customer);
        }
        for (var node = 0; node < n; node++)
            if (Tools[node] is { } tool) (from[edgeCount], to[edgeCount++]) = (Node(nodes, tool.Operator), node);

        var relationships = new int[m];
        for (var r = 0; r < m; r++) relationships[r] = r;
        (_edgeStart, _edgeTo) = Csr(n, from.AsSpan(0, edgeCount), to.AsSpan(0, edgeCount), dedupe: true);
        (_inStart, _inRel) = Csr(n, _relCustomer, relationships, dedupe: false);
        (_outStart, _outRel) = Csr(n, _relProvider, relationships, dedupe: false);

        _facts = new Facts[m];
        _factTools = new int[linkTools.Length];
        _factBackups = new Backup?[m];
        _factHolders = new int[m];
        var toolAt = 0;
        for (var k = 0; k < m; k++)
        {
            var r = _inRel[k];
            var link = links[r];
            var data = link.Data ?? Organizations[link.Customer]!.Data;
            var first = toolAt;
            for (var t = toolStart[r]; t < toolStart[r + 1]; t++) _factTools[toolAt++] = linkTools[t];
            _facts[k] = new Facts(link.Provider, first, toolAt, link.Endpoints, link.Servers, link.Access, data ?? DataClasses.None, data is not null);
            _factBackups[k] = link.Backup;
            _factHolders[k] = link.Backup?.Provider is { } holder ? Node(nodes, holder) : link.Provider;
        }
    }

    /// <summary>The nodes of a graph: ids in ordinal order, and the organization or tool each one is.</summary>
    private sealed record Nodes(string[] Ids, Dictionary<string, int> Index, Organization?[] Organizations, Tool?[] Tools)
    {
        public static Nodes Of(string[] sortedIds)
        {
            var index = new Dictionary<string, int>(sortedIds.Length, StringComparer.Ordinal);
            for (var i = 0; i < sortedIds.Length; i++) index.Add(sortedIds[i], i);
            return new Nodes(sortedIds, index, new Organization?[sortedIds.Length], new Tool?[sortedIds.Length]);
        }
    }

    /// <summary>What the graph reads of a relationship: its customer and provider nodes, and what exposure sums (unknown endpoints count 0).</summary>
    private readonly record struct Link(int Customer, int Provider, int Endpoints, AccessLevels Access, DataClasses? Data, int Servers, Backup? Backup);

    private readonly record struct Facts(int Provider, int ToolStart, int ToolEnd, int Endpoints, int Servers, AccessLevels Access, DataClasses Data, bool DataKnown);

    /// <summary>Builds the graph of a portfolio that passed <see cref="ValidatePortfolio.Check"/>.</summary>
    public static PortfolioGraph Build(Portfolio portfolio)
    {
        var ids = portfolio.Organizations.Select(o => o.Id).Concat(portfolio.Tools.Select(t => t.Id)).ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        var nodes = Nodes.Of(ids);
        foreach (var org in portfolio.Organizations) nodes.Organizations[nodes.Index[org.Id]] = org;
        foreach (var tool in portfolio.Tools) nodes.Tools[nodes.Index[tool.Id]] = tool;
        var rels = portfolio.Relationships;
        var links = new Link[rels.Count];
        var toolStart = new int[rels.Count + 1];
        var linkTools = new List<int>(rels.Count);
        for (var r = 0; r < rels.Count; r++)
        {
            var rel = rels[r];
            links[r] = new Link(Node(nodes, rel.Customer), Node(nodes, rel.Provider), rel.Endpoints ?? 0, rel.Access, rel.Data, rel.Servers ?? 0, rel.Backup);
            foreach (var tool in rel.Tools) linkTools.Add(Node(nodes, tool));
            toolStart[r + 1] = linkTools.Count;
        }
        return new PortfolioGraph(nodes, links, toolStart, [.. linkTools], new Lazy<Portfolio>(portfolio));
    }

    /// <summary>The portfolio the graph is of. A graph read from a snapshot makes the relationships' records on the first call: queries do not need them.</summary>
    public Portfolio Portfolio => _portfolio.Value;

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

    private static int Node(Nodes nodes, string id) =>
        nodes.Index.TryGetValue(id, out var i) ? i : throw new ArgumentException($"'{id}' is not in the portfolio; validate it first (ValidatePortfolio.Check)");

    /// <summary>Compressed sparse rows: the targets of each node contiguous, in the order the pairs are given (sorted and distinct with <paramref name="dedupe"/>).</summary>
    private static (int[] Start, int[] Items) Csr(int n, ReadOnlySpan<int> from, ReadOnlySpan<int> to, bool dedupe)
    {
        var start = new int[n + 1];
        foreach (var f in from) start[f + 1]++;
        for (var i = 0; i < n; i++) start[i + 1] += start[i];
        var items = new int[from.Length];
        var fill = start[..n];
        for (var k = 0; k < from.Length; k++) items[fill[from[k]]++] = to[k];
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
            if (!Reaches(in f, t)) continue;
            endpoints = Math.Max(endpoints, f.Endpoints);
            data |= f.Data;
            known &= f.DataKnown;
            access |= f.Access;
        }
        return new Exposure(endpoints, data, known, access);
    }

    internal readonly record struct Exposure(int Endpoints, DataClasses Data, bool DataKnown, AccessLevels Access);

    /// <summary>Whether a compromise that reached <paramref name="t"/>'s nodes reaches this relationship: its provider, or one of the tools it runs through.</summary>
    private bool Reaches(in Facts f, Traversal t)
    {
        if (t.Seen(f.Provider)) return true;
        for (var i = f.ToolStart; i < f.ToolEnd; i++)
            if (t.Seen(_factTools[i])) return true;
        return false;
    }

    /// <summary>What a compromise leaves a reached customer to restore: the largest endpoint and server counts among the reaching relationships, its data.</summary>
    /// <remarks>As with <see cref="ExposureOf"/>, the relationships that reach one customer manage the same machines: the largest count, not the sum.</remarks>
    internal (int Endpoints, int Servers, DataClasses Data) RestoreOf(int customer, Traversal t)
    {
        int endpoints = 0, servers = 0;
        var data = DataClasses.None;
        for (var k = _inStart[customer]; k < _inStart[customer + 1]; k++)
        {
            ref readonly var f = ref _facts[k];
            if (!Reaches(in f, t)) continue;
            endpoints = Math.Max(endpoints, f.Endpoints);
            servers = Math.Max(servers, f.Servers);
            data |= f.Data;
        }
        return (endpoints, servers, data);
    }

    /// <summary>How many relationships of a customer describe a backup; <see cref="BackupOf"/> reads each.</summary>
    internal int RelationshipCountOf(int customer) => _inStart[customer + 1] - _inStart[customer];

    /// <summary>The i-th relationship of a customer's backup (null when it describes none), the node that runs it (the relationship's provider unless the backup names another), and the relationship's index.</summary>
    internal (Backup? Backup, int Holder, int Relationship) BackupOf(int customer, int i)
    {
        var k = _inStart[customer] + i;
        return (_factBackups[k], _factHolders[k], _inRel[k]);
    }

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
