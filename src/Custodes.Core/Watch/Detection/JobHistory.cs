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

    /// <summary>How long an alerted burst keeps its own runs (and later ones) from counting as routine history.</summary>
    public static readonly TimeSpan AlertedHold = TimeSpan.FromHours(12);

    private readonly long _episode = episode.Ticks;
    private readonly Dictionary<string, Runs> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Start, long End)> _alerted = new(StringComparer.Ordinal);

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

    /// <summary>Marks a burst of <paramref name="key"/> that raised an alert: for <see cref="AlertedHold"/> after it, the
    /// history used to call the key recurring ends where that burst began, so an attack's second wave cannot pass as a
    /// job because of its first.</summary>
    public void Alerted(string key, long start, long end)
    {
        if (_alerted.TryGetValue(key, out var a) && end - a.End < AlertedHold.Ticks) start = Math.Min(start, a.Start);
        _alerted[key] = (start, end);
    }

    /// <summary>The end of the history that may count for <paramref name="key"/> at <paramref name="now"/>.</summary>
    public long HistoryEnd(string key, long windowStart, long now) =>
        _alerted.TryGetValue(key, out var a) && now - a.End < AlertedHold.Ticks ? Math.Min(windowStart, a.Start) : windowStart;

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
        foreach (var k in _alerted.Where(a => a.Value.End < before).Select(a => a.Key).ToList()) _alerted.Remove(k);
    }
}
