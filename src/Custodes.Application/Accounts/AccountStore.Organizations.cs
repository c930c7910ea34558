using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

// Which of a user's organizations they act for: the switcher, and where sign-in lands.
public sealed partial class AccountStore
{
    /// <summary>The organization sign-in lands in: the one the user chose last (switcher, accepted invitation), else the first by name; null without any.</summary>
    public async Task<Guid?> RememberedOrganizationAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var memberships = await (
            from m in db.Memberships
            join o in db.Organizations on m.OrganizationId equals o.Id
            where m.UserId == userId
            select new { m.OrganizationId, m.LastSelectedAt, o.Name }).AsNoTracking().ToListAsync(cancellationToken);
        return memberships.OrderByDescending(m => m.LastSelectedAt ?? DateTime.MinValue).ThenBy(m => m.Name, StringComparer.Ordinal)
            .Select(m => (Guid?)m.OrganizationId).FirstOrDefault();
    }

    /// <summary>The user chooses one of their organizations to act for; remembered for the next sign-in. Not a member: not found.</summary>
    public async Task<Membership> SelectOrganizationAsync(Guid userId, Guid organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.UserId == userId && m.OrganizationId == organizationId, cancellationToken)
            ?? throw new NotFoundException($"you are not a member of organization {organizationId}");
        membership.LastSelectedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        var org = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == organizationId, cancellationToken);
        return new Membership(org.Id, org.Name, org.Kind, membership.Role);
    }

    /// <summary>The user's organizations by name, for the switcher.</summary>
    public async Task<IReadOnlyList<Membership>> MembershipsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        return await (
            from m in db.Memberships
            join o in db.Organizations on m.OrganizationId equals o.Id
            where m.UserId == userId
            orderby o.Name
            select new Membership(o.Id, o.Name, o.Kind, m.Role)).AsNoTracking().ToListAsync(cancellationToken);
    }
}
