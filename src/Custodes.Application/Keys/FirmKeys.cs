using Microsoft.Extensions.Options;
using System.Security.Cryptography;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Attestation;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Keys;

/// <summary>The key-encryption key for firm signing keys held by the installation (<c>Custodes:Keys:EncryptionKey</c>: base64 of 32 random bytes).</summary>
public sealed class FirmKeyOptions
{
    public const string Section = "Custodes:Keys";

    /// <summary>Base64 of 32 bytes; kept out of the database and of appsettings (an environment variable or a secret store sets it).</summary>
    public string? EncryptionKey { get; set; }
}

/// <summary>A key-encryption key that is set must be base64 of 32 bytes; none at all is allowed (only issuing from the web app needs it, and says so).</summary>
public sealed class FirmKeyOptionsValidator : IValidateOptions<FirmKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, FirmKeyOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.EncryptionKey)) return ValidateOptionsResult.Success;
        var bytes = new byte[64];
        return Convert.TryFromBase64String(options.EncryptionKey.Trim(), bytes, out var length) && length == 32
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"configuration {FirmKeyOptions.Section}:EncryptionKey: expected base64 of 32 random bytes (e.g. from 'openssl rand -base64 32')");
    }
}

/// <summary>A firm's key as shown: its id and public key, never the private key.</summary>
public sealed record FirmKey(Guid OrganizationId, string KeyId, string PublicKeyPem, DateTime CreatedAt);

/// <summary>
/// Signing keys of assessor firms that issue letters from the web app. The installation holds the private key only as AES-256-GCM
/// ciphertext of its seed under the key-encryption key from configuration, bound to the firm's id (associated data), so a database copy
/// alone signs nothing and one firm's ciphertext cannot be passed off as another's.
/// </summary>
public sealed class FirmKeys(Installation installation, AuditTrail audit, TimeProvider clock, FirmKeyOptions options)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>The firm's key, generated and stored encrypted when it has none (owners only).</summary>
    public async Task<FirmKey> EnsureAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        if (!Roles.CanAdminister(tenant.Role)) throw new ForbiddenException("only an owner of the firm creates its signing key");
        var kek = EncryptionKey();
        await using var db = installation.OpenDb();
        if (await db.FirmKeys.AsNoTracking().FirstOrDefaultAsync(k => k.OrganizationId == tenant.OrganizationId, cancellationToken) is { } existing)
            return new FirmKey(existing.OrganizationId, existing.KeyId, existing.PublicKeyPem, existing.CreatedAt);
        var kind = await db.Organizations.AsNoTracking().Where(o => o.Id == tenant.OrganizationId).Select(o => o.Kind).FirstOrDefaultAsync(cancellationToken);
        if (kind != OrganizationKinds.Assessor) throw new ForbiddenException("only an assessor firm holds a signing key for letters");
        using var key = Ed25519SigningKey.Generate();
        var seed = key.ExportSeed();
        var row = new FirmKeyRow
        {
            OrganizationId = tenant.OrganizationId, KeyId = key.PublicKey.KeyId, PublicKeyPem = key.PublicKey.ToPem(),
            EncryptedPrivateKey = Seal(kek, tenant.OrganizationId, seed), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        CryptographicOperations.ZeroMemory(seed);
        db.FirmKeys.Add(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "firm_key.created", "firm_key", row.KeyId, After: new { key_id = row.KeyId }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return new FirmKey(row.OrganizationId, row.KeyId, row.PublicKeyPem, row.CreatedAt);
    }

    public async Task<FirmKey?> FindAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        return await db.FirmKeys.AsNoTracking().Where(k => k.OrganizationId == organizationId)
            .Select(k => new FirmKey(k.OrganizationId, k.KeyId, k.PublicKeyPem, k.CreatedAt)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The firm's private key, decrypted for one signature; refused (409) when there is none or it does not decrypt.</summary>
    public async Task<Ed25519SigningKey> LoadAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        var row = await db.FirmKeys.AsNoTracking().FirstOrDefaultAsync(k => k.OrganizationId == organizationId, cancellationToken)
            ?? throw new ConflictException("the firm has no signing key here yet: an owner of the firm creates it on the Engagements page before a letter is issued");
        var seed = Open(EncryptionKey(), organizationId, row.EncryptedPrivateKey);
        try
        {
            var key = Ed25519SigningKey.FromSeed(seed);
            if (key.PublicKey.KeyId != row.KeyId)
            {
                key.Dispose();
                throw new ConflictException("the firm's stored signing key does not match its public key; the stored key was altered");
            }
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private byte[] EncryptionKey()
    {
        const string how = "set Custodes:Keys:EncryptionKey (environment variable Custodes__Keys__EncryptionKey) to base64 of 32 random bytes, e.g. from 'openssl rand -base64 32'";
        if (string.IsNullOrWhiteSpace(options.EncryptionKey)) throw new ConflictException($"the installation has no key-encryption key for firm signing keys: {how}");
        try
        {
            var key = Convert.FromBase64String(options.EncryptionKey.Trim());
            return key.Length == 32 ? key : throw new ConflictException($"the key-encryption key is {key.Length} bytes, not 32: {how}");
        }
        catch (FormatException)
        {
            throw new ConflictException($"the key-encryption key is not base64: {how}");
        }
    }

    private static byte[] Seal(byte[] kek, Guid organizationId, byte[] plaintext)
    {
        var sealedKey = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedKey.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(kek, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedKey.AsSpan(NonceBytes, plaintext.Length), sealedKey.AsSpan(NonceBytes + plaintext.Length), organizationId.ToByteArray());
        return sealedKey;
    }

    private static byte[] Open(byte[] kek, Guid organizationId, byte[] sealedKey)
    {
        if (sealedKey.Length <= NonceBytes + TagBytes) throw new ConflictException("the firm's stored signing key is damaged");
        var plaintext = new byte[sealedKey.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(kek, TagBytes);
        try
        {
            aes.Decrypt(sealedKey.AsSpan(0, NonceBytes), sealedKey.AsSpan(NonceBytes, plaintext.Length), sealedKey.AsSpan(NonceBytes + plaintext.Length), plaintext, organizationId.ToByteArray());
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new ConflictException("the firm's signing key does not decrypt with the installation's key-encryption key (Custodes:Keys:EncryptionKey): " +
                "the configured key is not the one the signing key was stored under; restore that key in the configuration");
        }
    }
}
