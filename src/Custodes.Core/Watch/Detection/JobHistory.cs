namespace Custodes.Watch.Detection;

/// <summary>Per MSP, when each script (or command line) last ran on each tenant, so a burst can be recognised as a
/// recurring job. Runs of one tenant within an episode (the mass-execution window) count once; the two most recent
/// episodes per tenant are enough to look back past the current one.</summary>
internal sealed class JobHistory(TimeSpan episode)
{
    private sealed class Runs
    {
        public readonly Dictionary<string, (long Last, long Prev)> Tenants = new(StringComparer.Ordinal);
        public long Newest = long.MinValue;
    }

    private readonly long _episode = episode.Ticks;
    private readonly Dictionary<string, Runs> _keys = new(StringComparer.Ordinal);

    public int Keys => _keys.Count;

    public void Record(string key, string tenant, long ticks)
    {
        if (!_keys.TryGetValue(key, out var runs)) _keys[key] = runs = new Runs();
        if (!runs.Tenants.TryGetValue(tenant, out var r)) r = (ticks, long.MinValue);
        else if (ticks >= r.Last + _episode) r = (ticks, r.Last);
        else if (ticks + _episode <= r.Last && ticks > r.Prev) r = (r.Last, ticks); // an older run arriving late
        runs.Tenants[tenant] = r;
        if (ticks > runs.Newest) runs.Newest = ticks;
    }

    /// <summary>Distinct tenants on which <paramref name="key"/> started an episode in <c>[from, to)</c>.</summary>
    public int TenantsBetween(string key, long from, long to)
    {
        if (!_keys.TryGetValue(key, out var runs)) return 0;
        var count = 0;
        foreach (var (last, prev) in runs.Tenants.Values)
            if ((last >= from && last < to) || (prev >= from && prev < to)) count++;
        return count;
    }

    /// <summary>Forgets runs older than <paramref name="before"/>.</summary>
    public void Prune(long before)
    {
        List<string>? emptyKeys = null;
        foreach (var (key, runs) in _keys)
        {
            if (runs.Newest < before)
            {
                (emptyKeys ??= []).Add(key);
                continue;
            }
            List<string>? stale = null;
            foreach (var (tenant, r) in runs.Tenants)
                if (r.Last < before) (stale ??= []).Add(tenant);
            if (stale is not null) foreach (var t in stale) runs.Tenants.Remove(t);
        }
        if (emptyKeys is not null) foreach (var k in emptyKeys) _keys.Remove(k);
    }
}
