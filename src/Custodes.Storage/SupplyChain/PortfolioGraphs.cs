using System.Collections.Concurrent;
using Custodes.SupplyChain;

namespace Custodes.Storage.SupplyChain;

/// <summary>A stored portfolio with its query graph.</summary>
public sealed record LoadedPortfolio(StoredPortfolio Stored, PortfolioGraph Graph);

/// <summary>
/// Stored portfolios' graphs, built once per portfolio version and kept in memory: a query costs one version lookup (an indexed
/// one-row read) plus the in-memory query. Another node's import bumps the version, so every node rebuilds on its next query.
/// </summary>
public sealed class PortfolioGraphs(PortfolioStore store)
{
    /// <summary>Portfolios kept; the least recently loaded is dropped beyond it.</summary>
    public const int Capacity = 32;

    private readonly ConcurrentDictionary<Guid, (LoadedPortfolio Loaded, long Version, long Used)> _cache = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private long _clock;

    /// <summary>The owner's portfolio and graph, or null when it has none.</summary>
    public async Task<LoadedPortfolio?> GetAsync(Guid? owner, CancellationToken cancellationToken = default)
    {
        if (await store.VersionAsync(owner, cancellationToken) is not var (id, version)) return null;
        if (_cache.TryGetValue(id, out var hit) && hit.Version == version)
        {
            _cache[id] = hit with { Used = Interlocked.Increment(ref _clock) };
            return hit.Loaded;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_cache.TryGetValue(id, out hit) && hit.Version == version) return hit.Loaded;
            var stored = await store.LoadAsync(owner, cancellationToken);
            if (stored is null) return null;
            var loaded = new LoadedPortfolio(stored, PortfolioGraph.Build(stored.Portfolio));
            _cache[stored.Id] = (loaded, stored.Version, Interlocked.Increment(ref _clock));
            while (_cache.Count > Capacity && _cache.MinBy(e => e.Value.Used) is var oldest) _cache.TryRemove(oldest.Key, out _);
            return loaded;
        }
        finally
        {
            _loading.Release();
        }
    }
}
