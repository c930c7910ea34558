using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Keys;

/// <summary>A firm's registered public key and its validity period.</summary>
public sealed record RegisteredKey(string KeyId, Guid OrganizationId, string Organization, string SignerName, string PublicKeyPem, DateTime NotBefore, DateTime? NotAfter)
{
    /// <summary>True when a letter issued at <paramref name="at"/> with this key counts: rotation retires keys for new letters, never for old ones.</summary>
    public bool CoversIssuance(DateTimeOffset at) => at.UtcDateTime >= NotBefore && (NotAfter is null || at.UtcDateTime <= NotAfter);

    public Ed25519PublicKey ToPublicKey() => Ed25519PublicKey.FromPem(PublicKeyPem);
}

/// <summary>The firms' public signing keys known to this installation, each with the period in which it may sign letters.</summary>
public sealed class SigningKeyRegistry(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Registers a key for an organization, or changes the validity of a key it already has (rotation: give the old key a not-after).</summary>
    public async Task<RegisteredKey> RegisterAsync(Ed25519PublicKey key, Guid organizationId, string signerName, DateTimeOffset? notBefore, DateTimeOffset? notAfter, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(signerName)) throw new BadInputException("a registered key needs its signer's name", path: "name");
        await using var db = installation.OpenDb();
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == organizationId, cancellationToken)
            ?? throw new BadInputException($"no organization with id {organizationId}");
        var row = await db.SigningKeys.FirstOrDefaultAsync(k => k.KeyId == key.KeyId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (row is null)
        {
            row = new SigningKeyRow
            {
                KeyId = key.KeyId,
                OrganizationId = organizationId,
                SignerName = signerName.Trim(),
                PublicKeyPem = key.ToPem(),
                NotBefore = Seconds(notBefore?.UtcDateTime ?? now),
                NotAfter = notAfter is { } end ? Seconds(end.UtcDateTime) : null,
                CreatedAt = now,
            };
            if (row.NotAfter < row.NotBefore) throw new BadInputException("the end of the key's validity is before its start", path: "not_after");
            db.SigningKeys.Add(row);
            audit.Record(db, new AuditEvent(organizationId, actor, "signing_key.registered", "signing_key", key.KeyId,
                After: new { signer = row.SignerName, not_before = row.NotBefore, not_after = row.NotAfter }));
        }
        else
        {
            if (row.OrganizationId != organizationId)
                throw new BadInputException($"key {key.KeyId} is registered to another organization; a key belongs to one firm");
            var before = new { not_before = row.NotBefore, not_after = row.NotAfter };
            if (notBefore is { } start) row.NotBefore = Seconds(start.UtcDateTime);
            if (notAfter is { } end) row.NotAfter = Seconds(end.UtcDateTime);
            if (row.NotAfter < row.NotBefore) throw new BadInputException("the end of the key's validity is before its start", path: "not_after");
            if (notBefore is not null || notAfter is not null)
                audit.Record(db, new AuditEvent(organizationId, actor, "signing_key.validity_changed", "signing_key", key.KeyId,
                    Before: before, After: new { not_before = row.NotBefore, not_after = row.NotAfter }));
        }
        await AuditTrail.SaveAsync(db, cancellationToken);
        return ToKey(row, org.Name);
    }

    public async Task<RegisteredKey?> FindAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var found = await db.SigningKeys.AsNoTracking().Where(k => k.KeyId == keyId)
            .Join(db.Organizations, k => k.OrganizationId, o => o.Id, (k, o) => new { k, o.Name }).FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : ToKey(found.k, found.Name);
    }

    /// <summary>Every registered key, by organization and date.</summary>
    public async Task<IReadOnlyList<RegisteredKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var rows = await db.SigningKeys.AsNoTracking()
            .Join(db.Organizations, k => k.OrganizationId, o => o.Id, (k, o) => new { k, o.Name }).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.k.NotBefore).Select(r => ToKey(r.k, r.Name))];
    }

    /// <summary>The key as registered for this organization, registering it (from now on) when it is new; refused when its period does not cover <paramref name="at"/>.</summary>
    public async Task<(RegisteredKey Key, bool Registered)> EnsureAsync(Ed25519PublicKey key, Guid organizationId, string signerName, DateTimeOffset at, string actor, CancellationToken cancellationToken = default)
    {
        var existing = await FindAsync(key.KeyId, cancellationToken);
        var registered = existing is null;
        existing ??= await RegisterAsync(key, organizationId, signerName, Truncate(at), null, actor, cancellationToken);
        if (existing.OrganizationId != organizationId)
            throw new BadInputException($"key {key.KeyId} is registered to {existing.Organization}, not to the issuer: a firm signs only with its own keys");
        if (!existing.CoversIssuance(at))
            throw new BadInputException($"key {key.KeyId} may sign letters from {existing.NotBefore:yyyy-MM-dd HH:mm:ss}Z{(existing.NotAfter is { } end ? $" until {end:yyyy-MM-dd HH:mm:ss}Z" : "")}: it was retired or is not yet valid; sign with the firm's current key");
        return (existing, registered);
    }

    private static RegisteredKey ToKey(SigningKeyRow row, string organization) =>
        new(row.KeyId, row.OrganizationId, organization, row.SignerName, row.PublicKeyPem, row.NotBefore, row.NotAfter);

    private static DateTime Seconds(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
