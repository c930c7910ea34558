using System.Collections.Concurrent;
using Custodes.Application.Trust;

namespace Custodes.Web.Trust;

/// <summary>
/// The public trust pages as last read, with their JSON and badge already written: a trust page is sent to many readers (customers,
/// insurers, a badge on every page of an MSP's website) and changes rarely. A copy is kept for <see cref="Lifetime"/> at most, and dropped
/// at once when its page is published, moved or unpublished here; a letter revoked or an event received is seen within the lifetime.
/// </summary>
public sealed class TrustCache
{
    /// <summary>How long a copy is served: short enough that a revocation or unpublishing elsewhere shows within seconds.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    /// <summary>The output-cache policy (and tag) of the rendered public page.</summary>
    public const string OutputPolicy = "trust";

    private readonly TrustPageReader _reader;
    private readonly Microsoft.AspNetCore.OutputCaching.IOutputCacheStore _rendered;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Task<Entry>> _entries = new(StringComparer.Ordinal);

    public TrustCache(TrustPageReader reader, TrustPages pages, Microsoft.AspNetCore.OutputCaching.IOutputCacheStore rendered, TimeProvider clock)
    {
        _reader = reader;
        _rendered = rendered;
        _clock = clock;
        pages.Changed += Forget;
    }

    /// <summary>A published page and its rendered forms; null when nothing is published at <paramref name="slug"/>.</summary>
    public sealed record Entry(PublicTrustPage? Page, byte[] Json, byte[] Badge, string ETag, DateTimeOffset Expires);

    public async Task<Entry> GetAsync(string slug, string baseUrl, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (_entries.TryGetValue(slug, out var cached))
        {
            // A faulted or cancelled read is not kept: the next request reads again.
            if (!cached.IsCompleted) return await cached.WaitAsync(cancellationToken);
            if (cached.IsCompletedSuccessfully && cached.Result.Expires > now) return cached.Result;
        }
        // One read per slug at a time; the readers waiting share it (a burst of requests after expiry reads the database once).
        var fresh = new Lazy<Task<Entry>>(() => BuildAsync(slug, baseUrl));
        var task = _entries.AddOrUpdate(slug, _ => fresh.Value, (_, old) => old == cached ? fresh.Value : old);
        try
        {
            return await task.WaitAsync(cancellationToken);
        }
        catch when (!task.IsCompletedSuccessfully)
        {
            _entries.TryRemove(new KeyValuePair<string, Task<Entry>>(slug, task));
            throw;
        }
    }

    public void Forget(string slug)
    {
        _entries.TryRemove(slug, out _);
        // Rendered pages are few and cheap to render again: all of them go, so an unpublished page is gone at once.
        _ = _rendered.EvictByTagAsync(OutputPolicy, CancellationToken.None).AsTask();
    }

    private async Task<Entry> BuildAsync(string slug, string baseUrl)
    {
        await Task.Yield();
        var page = await _reader.ReadAsync(slug, CancellationToken.None);
        var json = page is null ? [] : TrustJson.Write(page, baseUrl);
        var badge = page is null ? [] : TrustBadge.Write(page, baseUrl);
        var etag = page is null ? "" : $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(json))[..24]}\"";
        return new Entry(page, json, badge, etag, _clock.GetUtcNow() + Lifetime);
    }
}
