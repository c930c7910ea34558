using System.Collections.Concurrent;
using System.Security.Cryptography;
using Custodes.Application.Accounts;

namespace Custodes.Web.Api;

/// <summary>Authenticated API keys, remembered for a few seconds so a burst of calls does not look the same key up every time.</summary>
/// <remarks>
/// Keyed by the key's SHA-256 (the key itself is never kept). A revocation, role change or member removal clears the cache of the node
/// that made it at once; another node of a multi-node installation notices within <see cref="Lifetime"/>. Unknown keys are not cached.
/// </remarks>
internal sealed class ApiKeyCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<string, (ApiKeyIdentity Identity, long Expires)> _entries = new();
    private readonly AccountStore _accounts;
    private readonly TimeProvider _clock;

    public ApiKeyCache(AccountStore accounts, TimeProvider clock)
    {
        _accounts = accounts;
        _clock = clock;
        accounts.AccessChanged += _entries.Clear;
    }

    public async Task<ApiKeyIdentity?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        var now = _clock.GetTimestamp();
        if (_entries.TryGetValue(hash, out var entry) && entry.Expires > now) return entry.Identity;
        var identity = await _accounts.AuthenticateAsync(key, cancellationToken);
        if (identity is null)
        {
            _entries.TryRemove(hash, out _);
            return null;
        }
        if (_entries.Count >= Capacity) _entries.Clear();
        _entries[hash] = (identity, now + (long)(Lifetime.TotalSeconds * _clock.TimestampFrequency));
        return identity;
    }
}
