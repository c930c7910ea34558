using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

/// <summary>A member of an organization as its owners see it.</summary>
public sealed record Member(Guid UserId, string Email, string? DisplayName, string Role, bool MfaEnabled);

/// <summary>An API key as listed (never the key itself).</summary>
public sealed record ApiKeyInfo(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, string Owner, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

// Members and roles of an organization, and API keys managed from the web app.
public sealed partial class AccountStore
{
    public async Task<IReadOnlyList<Member>> ListMembersAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await (
            from m in db.Memberships
            join u in db.Users on m.UserId equals u.Id
            where m.OrganizationId == tenant.OrganizationId
            orderby u.Email
            select new Member(u.Id, u.Email, u.DisplayName, m.Role, u.MfaEnabled)).AsNoTracking().ToListAsync(cancellationToken);
    }

    public async Task<Member> ChangeRoleAsync(Tenant tenant, Guid userId, string role, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        role = Roles.Parse(role);
        await using var db = installation.OpenDb();
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.UserId == userId && m.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no member {userId}");
        if (membership.Role == Roles.Owner && role != Roles.Owner) await RequireAnotherOwnerAsync(db, tenant, userId, cancellationToken);
        var before = membership.Role;
        membership.Role = role;
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "membership.role_changed", "user", userId.ToString(), Before: new { role = before }, After: new { role }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        OnAccessChanged();
        return (await ListMembersAsync(tenant, cancellationToken)).First(m => m.UserId == userId);
    }

    public async Task RemoveMemberAsync(Tenant tenant, Guid userId, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        await using var db = installation.OpenDb();
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.UserId == userId && m.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no member {userId}");
        if (membership.Role == Roles.Owner) await RequireAnotherOwnerAsync(db, tenant, userId, cancellationToken);
        db.Memberships.Remove(membership);
        // The member's keys for this organization stop working with the membership.
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var key in await db.ApiKeys.Where(k => k.UserId == userId && k.OrganizationId == tenant.OrganizationId && k.RevokedAt == null).ToListAsync(cancellationToken))
            key.RevokedAt = now;
        // So do their sessions acting for it (each request would refuse them anyway; this also takes them off their session list).
        await EndSessionsAsync(db, userId, null, "member-removed", tenant.OrganizationId, cancellationToken);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "membership.removed", "user", userId.ToString(), Before: new { role = membership.Role }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        OnAccessChanged();
    }

    /// <summary>Creates an API key for the signed-in user in the tenant's organization; the key is returned this once.</summary>
    public async Task<(ApiKeyInfo Info, string Key)> CreateApiKeyAsync(Tenant tenant, string name, IReadOnlyList<string> scopes, CancellationToken cancellationToken = default)
    {
        var userId = tenant.UserId ?? throw new ForbiddenException("API keys belong to a person; sign in as one");
        RequireSession(tenant, "create");
        if (!Roles.CanAdminister(tenant.Role)) throw new ForbiddenException($"only an owner can create API keys; you are {tenant.Role}");
        string email;
        await using (var db = installation.OpenDb())
            email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("no such user");
        var (id, key) = await CreateApiKeyAsync(email, tenant.OrganizationId, string.IsNullOrWhiteSpace(name) ? "api key" : name.Trim(), scopes, tenant.Actor, cancellationToken);
        return ((await ListApiKeysAsync(tenant, cancellationToken)).First(k => k.Id == id), key);
    }

    /// <summary>The caller's keys in this organization; an owner sees every member's keys.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var all = Roles.CanAdminister(tenant.Role);
        var rows = await (
            from k in db.ApiKeys
            join u in db.Users on k.UserId equals u.Id
            where k.OrganizationId == tenant.OrganizationId && (all || k.UserId == tenant.UserId)
            orderby k.CreatedAt descending
            select new { k.Id, k.Name, k.Prefix, k.Scopes, u.Email, k.CreatedAt, k.LastUsedAt, k.RevokedAt }).AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(k => new ApiKeyInfo(k.Id, k.Name, k.Prefix, k.Scopes.Split(' '), k.Email, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToArray();
    }

    // Keys are managed by a person signed in to the web app, never by a key: a leaked key must not be able to mint or revoke keys.
    private static void RequireSession(Tenant tenant, string act)
    {
        if (tenant.Actor.StartsWith("api-key:", StringComparison.Ordinal)) throw new ForbiddenException($"an API key cannot {act} API keys; sign in to the web app");
    }

    private static void RequireOwner(Tenant tenant)
    {
        if (!Roles.CanAdminister(tenant.Role)) throw new ForbiddenException($"only an owner can manage members; you are {tenant.Role}");
    }

    private static async Task RequireAnotherOwnerAsync(CustodesDb db, Tenant tenant, Guid userId, CancellationToken cancellationToken)
    {
        if (!await db.Memberships.AnyAsync(m => m.OrganizationId == tenant.OrganizationId && m.Role == Roles.Owner && m.UserId != userId, cancellationToken))
            throw new BadInputException("an organization needs at least one owner; make someone else owner first");
    }
}
