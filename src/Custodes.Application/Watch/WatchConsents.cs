using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Watch;

/// <summary>A customer's answer to an MSP that wants to send it watch alerts.</summary>
public static class ConsentStates
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Declined = "declined";
}

/// <summary>What an MSP sees of one of its tenant mappings: <c>active</c> once the customer accepted it, else <c>pending</c>
/// (or <c>declined</c> once the customer said no). Until it is active nothing names the customer.</summary>
public static class MappingStatuses
{
    public const string Active = "active";
    public const string Pending = "pending";
    public const string Declined = "declined";
}

/// <summary>An MSP that asked to send a customer watch alerts, as the customer sees it.</summary>
public sealed record ProviderRequest(Guid MspOrganizationId, string MspName, string State, int Tenants, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, string? DecidedBy);

/// <summary>
/// The consent behind tenant mappings: an MSP's mapping of an RMM tenant to a customer organization is only a request until that
/// customer accepts the MSP (or the customer's own portfolio already names the MSP its provider). Until then the MSP's events for
/// the tenant raise alerts in the MSP's view only; the customer sees the request and accepts or declines it.
/// </summary>
public sealed class WatchConsentStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The tenant mappings in effect: those whose customer accepted the MSP. Every query that lets a customer see an MSP's
    /// alerts, events or deliveries starts here, never at <see cref="CustodesDb.WatchTenants"/> itself.</summary>
    internal static IQueryable<WatchTenantRow> Effective(CustodesDb db) =>
        db.WatchTenants.AsNoTracking().Where(m => db.WatchConsents.Any(c =>
            c.CustomerOrganizationId == m.CustomerOrganizationId && c.MspOrganizationId == m.MspOrganizationId && c.State == ConsentStates.Accepted));

    /// <summary>Records that an MSP asked to send a customer alerts, unless already asked: accepted at once when the customer's own
    /// stored portfolio names the MSP its provider, else pending. Added to <paramref name="db"/>'s unit of work, not saved.</summary>
    internal static async Task<WatchConsentRow?> RequestAsync(CustodesDb db, Tenant msp, Guid customer, DateTime now, CancellationToken cancellationToken)
    {
        var existing = await db.WatchConsents.FirstOrDefaultAsync(c => c.CustomerOrganizationId == customer && c.MspOrganizationId == msp.OrganizationId, cancellationToken);
        if (existing is not null) return existing;
        var isCustomer = await db.Organizations.AnyAsync(o => o.Id == customer && o.Kind == OrganizationKinds.Customer, cancellationToken);
        if (!isCustomer) return null;
        var named = await PortfolioNamesProviderAsync(db, customer, msp.OrganizationId, cancellationToken);
        var row = new WatchConsentRow
        {
            CustomerOrganizationId = customer, MspOrganizationId = msp.OrganizationId, RequestedAt = now, RequestedBy = msp.Actor, Version = 1,
            State = named ? ConsentStates.Accepted : ConsentStates.Pending, DecidedAt = named ? now : null, DecidedBy = named ? "portfolio" : null,
        };
        db.WatchConsents.Add(row);
        return row;
    }

    // The customer's own portfolio (not the MSP's, not the installation's) has a relationship whose provider is linked to the MSP.
    private static Task<bool> PortfolioNamesProviderAsync(CustodesDb db, Guid customer, Guid msp, CancellationToken cancellationToken) =>
        (from p in db.Portfolios
         where p.OwnerOrganizationId == customer
         from r in db.PortfolioRelationships
         where r.PortfolioId == p.Id
         from o in db.PortfolioOrganizations
         where o.PortfolioId == p.Id && o.Key == r.Provider && o.LinkedOrganizationId == msp
         select r).AnyAsync(cancellationToken);

    /// <summary>What the MSP is told of a mapping: the customer's state of consent, <c>pending</c> when there is none (an unknown
    /// organization, or one that is not a customer), so that the answer never tells which ids exist.</summary>
    public static string StatusOf(string? consentState) => consentState switch
    {
        ConsentStates.Accepted => MappingStatuses.Active,
        ConsentStates.Declined => MappingStatuses.Declined,
        _ => MappingStatuses.Pending,
    };

    /// <summary>The MSPs that asked to send the caller's organization (a customer) alerts, pending ones first.</summary>
    public async Task<IReadOnlyList<ProviderRequest>> ListAsync(Tenant customer, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        await AskForEarlierMappingsAsync(db, customer.OrganizationId, cancellationToken);
        var rows = await (from c in db.WatchConsents.AsNoTracking()
                          join o in db.Organizations.AsNoTracking() on c.MspOrganizationId equals o.Id
                          where c.CustomerOrganizationId == customer.OrganizationId
                          select new { c, o.Name, Tenants = db.WatchTenants.Count(t => t.MspOrganizationId == c.MspOrganizationId && t.CustomerOrganizationId == c.CustomerOrganizationId) })
            .ToListAsync(cancellationToken);
        return [.. rows
            .OrderBy(r => r.c.State == ConsentStates.Pending ? 0 : 1).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => new ProviderRequest(r.c.MspOrganizationId, r.Name, r.c.State, r.Tenants, new DateTimeOffset(r.c.RequestedAt, TimeSpan.Zero),
                r.c.DecidedAt is { } d ? new DateTimeOffset(d, TimeSpan.Zero) : null, r.c.DecidedBy))];
    }

    // Mappings made before consent existed had none: they are requests like any other, so the customer sees them and decides.
    private async Task AskForEarlierMappingsAsync(CustodesDb db, Guid customer, CancellationToken cancellationToken)
    {
        var msps = await db.WatchTenants.AsNoTracking()
            .Where(t => t.CustomerOrganizationId == customer && !db.WatchConsents.Any(c => c.CustomerOrganizationId == customer && c.MspOrganizationId == t.MspOrganizationId))
            .Select(t => t.MspOrganizationId).Distinct().ToListAsync(cancellationToken);
        if (msps.Count == 0 || !await db.Organizations.AnyAsync(o => o.Id == customer && o.Kind == OrganizationKinds.Customer, cancellationToken)) return;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var msp in msps)
            db.WatchConsents.Add(new WatchConsentRow
            {
                CustomerOrganizationId = customer, MspOrganizationId = msp, State = ConsentStates.Pending, RequestedAt = now, RequestedBy = "earlier tenant mapping", Version = 1,
            });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request asked at the same moment: its rows stand.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The caller's organization (a customer; its owner) accepts or declines an MSP's alerts. Declining an accepted MSP stops
    /// its alerts from then on; accepting a declined one starts them again. Another organization's request is not found.</summary>
    public async Task<ProviderRequest> DecideAsync(Tenant customer, Guid msp, bool accept, CancellationToken cancellationToken = default)
    {
        if (!Roles.CanAdminister(customer.Role))
            throw new ForbiddenException("only an owner of the organization can accept or decline a provider's alerts");
        await using var db = installation.OpenDb();
        var row = await db.WatchConsents.FirstOrDefaultAsync(c => c.CustomerOrganizationId == customer.OrganizationId && c.MspOrganizationId == msp, cancellationToken)
            ?? throw new NotFoundException($"no provider {msp} asked to send your organization alerts");
        var state = accept ? ConsentStates.Accepted : ConsentStates.Declined;
        if (row.State != state)
        {
            var before = new { state = row.State };
            row.State = state;
            row.DecidedAt = clock.GetUtcNow().UtcDateTime;
            row.DecidedBy = customer.Actor;
            row.Version++;
            audit.Record(db, new AuditEvent(customer.OrganizationId, customer.Actor, accept ? "watch.provider_accepted" : "watch.provider_declined",
                "watch_consent", msp.ToString(), before, new { state }));
            try
            {
                await AuditTrail.SaveAsync(db, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new PreconditionFailedException("someone answered this request meanwhile; read it again");
            }
        }
        return (await ListAsync(customer, cancellationToken)).First(r => r.MspOrganizationId == msp);
    }
}
