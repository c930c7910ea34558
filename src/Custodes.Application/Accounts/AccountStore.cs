using System.Security.Cryptography;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

/// <summary>An authenticated API key: who it acts as and for which organization.</summary>
public sealed record ApiKeyIdentity(Guid KeyId, Guid UserId, string Email, Guid OrganizationId, string Role, IReadOnlyList<string> Scopes)
{
    public Tenant Tenant => new(OrganizationId, Role, $"api-key:{Email}", UserId);
}

/// <summary>Users, memberships and API keys.</summary>
public sealed partial class AccountStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    public const string KeyPrefix = "cst_";

    /// <summary>Raised after a change that can alter what a key may do (revocation, role change, removal), so per-node caches drop what they hold.</summary>
    public event Action? AccessChanged;

    private void OnAccessChanged() => AccessChanged?.Invoke();

    public async Task<Guid> CreateUserAsync(string email, Guid organizationId, string role, string? password, string actor, CancellationToken cancellationToken = default)
    {
        email = NormalizeEmail(email);
        role = Roles.Parse(role);
        if (password is not null) PasswordPolicy.Require(password, email);
        await using var db = installation.OpenDb();
        if (!await db.Organizations.AnyAsync(o => o.Id == organizationId, cancellationToken))
            throw new BadInputException($"no organization with id {organizationId}");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user is null)
        {
            user = new UserRow { Id = Guid.CreateVersion7(), Email = email, PasswordHash = password is null ? null : PasswordHasher.Hash(password), CreatedAt = clock.GetUtcNow().UtcDateTime, PasswordChangedAt = password is null ? null : clock.GetUtcNow().UtcDateTime };
            db.Users.Add(user);
            audit.Record(db, new AuditEvent(organizationId, actor, "user.created", "user", user.Id.ToString(), After: new { user.Email }));
        }
        else if (await db.Memberships.AnyAsync(m => m.UserId == user.Id && m.OrganizationId == organizationId, cancellationToken))
        {
            throw new BadInputException($"{email} is already a member of that organization");
        }
        db.Memberships.Add(new MembershipRow { UserId = user.Id, OrganizationId = organizationId, Role = role });
        audit.Record(db, new AuditEvent(organizationId, actor, "membership.added", "user", user.Id.ToString(), After: new { user.Email, role }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return user.Id;
    }

    /// <summary>Creates an API key for a user; returns the key, which is shown this once (only its hash is stored).</summary>
    public async Task<(Guid Id, string Key)> CreateApiKeyAsync(string email, Guid? organizationId, string name, IReadOnlyList<string> scopes, string actor, CancellationToken cancellationToken = default)
    {
        email = NormalizeEmail(email);
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken)
            ?? throw new BadInputException($"no user with email {email}; create it with 'custodes admin create-user'");
        var memberships = await db.Memberships.Where(m => m.UserId == user.Id).ToListAsync(cancellationToken);
        var membership = organizationId is { } org
            ? memberships.FirstOrDefault(m => m.OrganizationId == org) ?? throw new BadInputException($"{email} is not a member of organization {org}")
            : memberships.Count switch
            {
                1 => memberships[0],
                0 => throw new BadInputException($"{email} is not a member of any organization"),
                _ => throw new BadInputException($"{email} is a member of {memberships.Count} organizations; choose the organization", path: "organization"),
            };
        var key = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var row = new ApiKeyRow
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            OrganizationId = membership.OrganizationId,
            Name = string.IsNullOrWhiteSpace(name) ? "api key" : name,
            Prefix = key[..(KeyPrefix.Length + 6)],
            Hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)),
            Scopes = string.Join(' ', ApiKeyScopes.Validate(scopes)),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(row);
        audit.Record(db, new AuditEvent(membership.OrganizationId, actor, "api_key.created", "api_key", row.Id.ToString(), After: new { user.Email, row.Name, row.Prefix, row.Scopes }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return (row.Id, key);
    }

    /// <summary>Finds the identity behind a bearer key, or null when the key is unknown or revoked.</summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 100) return null;
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        await using var db = installation.OpenReadDb();
        var found = db is SqliteCustodesDb sqlite ? await SqliteKeyQuery(sqlite, hash) : await PostgresKeyQuery((PostgresCustodesDb)db, hash);
        if (found is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (found.LastUsedAt is null || now - found.LastUsedAt > TimeSpan.FromMinutes(5))
            // Not cancelled with the request: a SQLite statement interrupted mid-way can stay active on the pooled connection, which
            // then fails when it is next closed or opened ("unable to delete/modify collation sequence due to active statements").
            await db.ApiKeys.Where(k => k.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), CancellationToken.None);
        var scopes = found.Scopes.Split(' ');
        // A read-only key acts as a viewer whatever its owner's role: every write path already refuses viewers.
        var role = ApiKeyScopes.IsReadOnly(scopes) ? Roles.Viewer : found.Role;
        return new ApiKeyIdentity(found.Id, found.UserId, found.Email, found.OrganizationId, role, scopes);
    }

    /// <summary>What authenticating a key needs from the database.</summary>
    private sealed record KeyLookup(Guid Id, Guid UserId, string Email, Guid OrganizationId, string Role, string Scopes, DateTime? LastUsedAt);

    // Every API request runs this: compiled once per provider (a compiled query is bound to one model) so it pays no LINQ translation.
    private static readonly Func<SqliteCustodesDb, byte[], Task<KeyLookup?>> SqliteKeyQuery = EF.CompileAsyncQuery((SqliteCustodesDb db, byte[] hash) =>
        (from k in db.ApiKeys
         join u in db.Users on k.UserId equals u.Id
         join m in db.Memberships on new { k.UserId, k.OrganizationId } equals new { m.UserId, m.OrganizationId }
         where k.Hash == hash && k.RevokedAt == null
         select new KeyLookup(k.Id, k.UserId, u.Email, k.OrganizationId, m.Role, k.Scopes, k.LastUsedAt)).AsNoTracking().FirstOrDefault());

    private static readonly Func<PostgresCustodesDb, byte[], Task<KeyLookup?>> PostgresKeyQuery = EF.CompileAsyncQuery((PostgresCustodesDb db, byte[] hash) =>
        (from k in db.ApiKeys
         join u in db.Users on k.UserId equals u.Id
         join m in db.Memberships on new { k.UserId, k.OrganizationId } equals new { m.UserId, m.OrganizationId }
         where k.Hash == hash && k.RevokedAt == null
         select new KeyLookup(k.Id, k.UserId, u.Email, k.OrganizationId, m.Role, k.Scopes, k.LastUsedAt)).AsNoTracking().FirstOrDefault());

    public async Task RevokeApiKeyAsync(Tenant tenant, Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no API key {keyId}");
        RequireSession(tenant, "revoke");
        if (row.UserId != tenant.UserId && !Roles.CanAdminister(tenant.Role)) throw new ForbiddenException("only the key's owner or an organization owner can revoke it");
        row.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "api_key.revoked", "api_key", row.Id.ToString(), After: new { row.Prefix }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        OnAccessChanged();
    }

    public static string NormalizeEmail(string email)
    {
        email = email.Trim().ToLowerInvariant();
        var at = email.IndexOf('@');
        return at <= 0 || at == email.Length - 1 || email.Contains(' ') ? throw new BadInputException($"'{email}' is not an email address") : email;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
