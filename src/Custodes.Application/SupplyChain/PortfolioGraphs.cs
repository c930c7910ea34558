using System.Collections.Concurrent;
using Custodes.SupplyChain;
using Microsoft.Extensions.Logging;

namespace Custodes.Application.SupplyChain;

/// <summary>A stored portfolio with its query graph.</summary>
public sealed record LoadedPortfolio(StoredPortfolio Stored, PortfolioGraph Graph);

/// <summary>
/// Stored portfolios' graphs, kept in memory per portfolio version: a query costs one version lookup (an indexed one-row read) plus the
/// in-memory query. Another node's import bumps the version, so every node reloads on its next query.
/// </summary>
/// <remarks>
/// The one way a stored portfolio's graph gets into memory: read from the snapshot stored with its version, which is what the first query
/// after an import or a restart costs (0.8 s to read 250,000 rows and build the graph became a read of one value). When there is no snapshot
/// of the version (a portfolio imported before snapshots existed) or it cannot be read (another format, damaged), the graph is built from
/// the rows, which stay the truth, and its snapshot is stored for the next time. Queries that need the stored portfolio itself (its links,
/// matrices, import details) ask <see cref="GetAsync"/>, which adds the rows to the same graph.
/// </remarks>
public sealed class PortfolioGraphs(PortfolioStore store, ILogger<PortfolioGraphs>? log = null)
{
    /// <summary>Portfolios kept; the least recently used is dropped beyond it.</summary>
    public const int Capacity = 32;

    private readonly ConcurrentDictionary<Guid, Entry> _cache = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private long _clock;

    /// <summary>A portfolio version in memory: its graph, and its rows once a caller needed them.</summary>
    private sealed record Entry(long Version, PortfolioGraph Graph, LoadedPortfolio? Loaded)
    {
        public long Used { get; set; }
    }

    /// <summary>The tenant's portfolio graph, or null when it has none: all that blast radius, what-if and concentration read.</summary>
    public async Task<PortfolioGraph?> GraphAsync(Tenant tenant, CancellationToken cancellationToken = default) =>
        (await EntryAsync(tenant, withRows: false, cancellationToken))?.Graph;

    /// <summary>The tenant's stored portfolio and its graph, or null when it has none.</summary>
    public async Task<LoadedPortfolio?> GetAsync(Tenant tenant, CancellationToken cancellationToken = default) =>
        (await EntryAsync(tenant, withRows: true, cancellationToken))?.Loaded;

    private async Task<Entry?> EntryAsync(Tenant owner, bool withRows, CancellationToken cancellationToken)
    {
        if (await store.VersionAsync(owner, cancellationToken) is not var (id, version)) return null;
        if (Cached(id, version, withRows) is { } hit) return hit;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (Cached(id, version, withRows) is { } loadedMeanwhile) return loadedMeanwhile;
            if (await LoadAsync(owner, id, version, withRows, cancellationToken) is not var (loadedId, entry)) return null;
            entry.Used = Interlocked.Increment(ref _clock);
            _cache[loadedId] = entry;
            while (_cache.Count > Capacity && _cache.MinBy(e => e.Value.Used) is var oldest) _cache.TryRemove(oldest.Key, out _);
            return entry;
        }
        finally
        {
            _loading.Release();
        }
    }

    private Entry? Cached(Guid id, long version, bool withRows)
    {
        if (!_cache.TryGetValue(id, out var entry) || entry.Version != version || (withRows && entry.Loaded is null)) return null;
        entry.Used = Interlocked.Increment(ref _clock);
        return entry;
    }

    private async Task<(Guid Id, Entry Entry)?> LoadAsync(Tenant owner, Guid id, long version, bool withRows, CancellationToken cancellationToken)
    {
        StoredPortfolio? stored = null;
        if (withRows)
        {
            // An import may land between the version check and the rows: the graph must be of the version the rows are.
            stored = await store.LoadAsync(owner, cancellationToken);
            if (stored is null) return null;
            (id, version) = (stored.Id, stored.Version);
        }
        var graph = Cached(id, version, withRows: false)?.Graph ?? await FromSnapshotAsync(id, version, cancellationToken);
        if (graph is null)
        {
            stored ??= await store.LoadAsync(owner, cancellationToken);
            if (stored is null) return null;
            (id, version) = (stored.Id, stored.Version);
            graph = PortfolioGraph.Build(stored.Portfolio);
            await store.StoreSnapshotAsync(id, version, graph, cancellationToken);
        }
        return (id, new Entry(version, graph, stored is null ? null : new LoadedPortfolio(stored, graph)));
    }

    private async Task<PortfolioGraph?> FromSnapshotAsync(Guid id, long version, CancellationToken cancellationToken)
    {
        if (await store.SnapshotAsync(id, version, cancellationToken) is not { } snapshot) return null;
        try
        {
            return PortfolioGraph.FromSnapshot(snapshot);
        }
        catch (InvalidDataException e)
        {
            log?.LogWarning("portfolio {Portfolio} version {Version}: {Problem}; building its graph from the rows and storing a new snapshot", id, version, e.Message);
            return null;
        }
    }
}
