using System.Collections.Concurrent;
using System.Text.Json;
using Custodes.Assessments.Scoring;

namespace Custodes.Web.Api;

/// <summary>Serialized score reports keyed by assessment id and version: a stale entry can never be served, because the version is checked against the database first.</summary>
/// <remarks>A per-node cache of derived data, not state: any node can rebuild it from the database.</remarks>
internal sealed class ScoreCache
{
    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<Guid, (int Version, byte[] Json)> _entries = new();

    public bool TryGet(Guid id, int version, out byte[] json)
    {
        if (_entries.TryGetValue(id, out var entry) && entry.Version == version)
        {
            json = entry.Json;
            return true;
        }
        json = [];
        return false;
    }

    public byte[] Put(Guid id, int version, ScoreReport report)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(report, Common.Json.Options);
        if (_entries.Count >= Capacity) _entries.Clear();
        _entries[id] = (version, json);
        return json;
    }
}
