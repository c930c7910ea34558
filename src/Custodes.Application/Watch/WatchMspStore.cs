using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Custodes.Watch.Detection;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Watch;

/// <summary>An MSP's watch profile as read: the <c>msp</c> name its events carry, its settings (text and parsed) and its ETag.</summary>
public sealed record WatchProfile(Guid OrganizationId, string EventName, string? SettingsText, DetectionSettings Settings, int Version, long Batches, long Events)
{
    public string ETag => $"\"{OrganizationId:N}-{Version}\"";

    /// <summary>Why an event may not be stored as this MSP's (it names another MSP), or null: its <c>msp</c> must be the
    /// event name or the organization's id. For <see cref="Custodes.Watch.Formats.ReadOptions.Refuse"/>.</summary>
    public string? Refuse(Custodes.Watch.Events.WatchEvent e) =>
        e.Msp == EventName || string.Equals(e.Msp, OrganizationId.ToString("D"), StringComparison.OrdinalIgnoreCase)
            ? null
            : $"msp '{e.Msp}' is not this organization's: its events carry msp '{EventName}'";
}

/// <summary>An RMM tenant of an MSP and the customer organization id it was mapped to; <see cref="Status"/> is <c>active</c> once the
/// customer accepted the MSP (<see cref="WatchConsentStore"/>), else <c>pending</c> or <c>declined</c>, and only an active mapping names
/// the customer.</summary>
public sealed record TenantMapping(string Tenant, Guid CustomerOrganizationId, string? CustomerName, string Status);

/// <summary>MSP watch profiles (event name, detection settings) and the mapping of RMM tenants to customer organizations.</summary>
public sealed class WatchMspStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The profile of an MSP organization, created with its defaults on first use (event name: the organization's name).</summary>
    public async Task<WatchProfile> EnsureAsync(Guid organization, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await db.WatchMsps.AsNoTracking().FirstOrDefaultAsync(m => m.OrganizationId == organization, cancellationToken);
        if (row is null)
        {
            var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == organization, cancellationToken)
                ?? throw new NotFoundException($"no organization {organization}");
            if (org.Kind != OrganizationKinds.Msp)
                throw new BadInputException($"organization '{org.Name}' is a {org.Kind}; only an MSP organization has watch events");
            var taken = await db.WatchMsps.AnyAsync(m => m.EventName == org.Name, cancellationToken);
            row = new WatchMspRow { OrganizationId = organization, EventName = taken ? organization.ToString("D") : org.Name, Version = 1, UpdatedAt = clock.GetUtcNow().UtcDateTime };
            db.WatchMsps.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Created meanwhile by another request: read that one.
                await using var again = installation.OpenDb();
                row = await again.WatchMsps.AsNoTracking().FirstAsync(m => m.OrganizationId == organization, cancellationToken);
            }
        }
        return Profile(row);
    }

    /// <summary>The profile of the caller's organization; refused (403) when it is not an MSP: only an MSP has watch events and settings.</summary>
    public async Task<WatchProfile> ProfileAsync(Tenant tenant, CancellationToken cancellationToken = default) =>
        await FindAsync(tenant.OrganizationId, cancellationToken)
            ?? throw new ForbiddenException("only an MSP organization sends watch events and manages watch settings; this organization is not an MSP");

    /// <summary>The profile events are sent to: the caller's organization must be an MSP and the caller's role one that changes data.</summary>
    public async Task<WatchProfile> ProfileToIngestAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var profile = await ProfileAsync(tenant, cancellationToken);
        tenant.RequireEdit();
        return profile;
    }

    /// <summary>The organization's profile if it is an MSP with one, else null (a customer, an assessor).</summary>
    public async Task<WatchProfile?> FindAsync(Guid organization, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var kind = await db.Organizations.AsNoTracking().Where(o => o.Id == organization).Select(o => o.Kind).FirstOrDefaultAsync(cancellationToken);
        return kind == OrganizationKinds.Msp ? await EnsureAsync(organization, cancellationToken) : null;
    }

    /// <summary>Changes an MSP's event name and detection settings (YAML or JSON, the fields of one MSP in <c>watch detect --settings</c>).</summary>
    public async Task<WatchProfile> UpdateAsync(Tenant tenant, string? eventName, string? settingsText, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        var current = await ProfileAsync(tenant, cancellationToken);
        tenant.RequireEdit();
        var text = string.IsNullOrWhiteSpace(settingsText) ? null : settingsText.Trim();
        if (text is not null) ParseSettings(text, "settings");
        var name = string.IsNullOrWhiteSpace(eventName) ? current.EventName : eventName.Trim();
        if (name.Length > 200 || name.Contains('\n')) throw new BadInputException("the event name is one line of at most 200 characters", "request body", "$.event_name");

        await using var db = installation.OpenDb();
        var row = await db.WatchMsps.FirstAsync(m => m.OrganizationId == tenant.OrganizationId, cancellationToken);
        if (expectedVersion is { } v && v != row.Version)
            throw new PreconditionFailedException($"the watch settings changed since you read them (version {row.Version}, not {v}); read them again");
        if (name != row.EventName && await db.WatchMsps.AnyAsync(m => m.EventName == name && m.OrganizationId != row.OrganizationId, cancellationToken))
            throw new BadInputException($"another MSP's events already use the name '{name}'", "request body", "$.event_name");
        var before = new { event_name = row.EventName, settings = row.Settings };
        row.EventName = name;
        row.Settings = text;
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "watch.settings_changed", "watch_settings", tenant.OrganizationId.ToString(),
            before, new { event_name = name, settings = text }));
        try
        {
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new PreconditionFailedException("the watch settings changed meanwhile; read them again");
        }
        return Profile(row);
    }

    /// <summary>Maps an RMM tenant name of the caller's MSP to a customer organization id (replacing an earlier mapping). The mapping
    /// is a request until that customer accepts the MSP; the answer is the same for an unknown id, an organization that is no customer
    /// and a customer that has not accepted, so that it tells an MSP nothing about organizations that did not choose it.</summary>
    public Task<TenantMapping> MapTenantAsync(Tenant tenant, string rmmTenant, Guid customer, CancellationToken cancellationToken = default) =>
        MapTenantAsync(tenant, rmmTenant, customer, retry: true, cancellationToken);

    private async Task<TenantMapping> MapTenantAsync(Tenant tenant, string rmmTenant, Guid customer, bool retry, CancellationToken cancellationToken)
    {
        await ProfileAsync(tenant, cancellationToken);
        tenant.RequireEdit();
        rmmTenant = rmmTenant?.Trim() ?? "";
        if (rmmTenant.Length is 0 or > 200) throw new BadInputException("a tenant name is 1 to 200 characters", "request body", "$.tenant");
        if (customer == Guid.Empty) throw new BadInputException("a customer organization id is required", "request body", "$.customer_organization_id");
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = installation.OpenDb();
        var consent = await WatchConsentStore.RequestAsync(db, tenant, customer, now, cancellationToken);
        var row = await db.WatchTenants.FirstOrDefaultAsync(t => t.MspOrganizationId == tenant.OrganizationId && t.Tenant == rmmTenant, cancellationToken);
        var before = row is null ? null : new { tenant = row.Tenant, customer = row.CustomerOrganizationId };
        if (row is null)
            db.WatchTenants.Add(row = new WatchTenantRow { MspOrganizationId = tenant.OrganizationId, Tenant = rmmTenant, CustomerOrganizationId = customer, CreatedAt = now });
        else row.CustomerOrganizationId = customer;
        var status = WatchConsentStore.StatusOf(consent?.State);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "watch.tenant_mapped", "watch_tenant", rmmTenant, before, new { tenant = rmmTenant, customer }));
        try
        {
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateException) when (retry && consent is not null && db.Entry(consent).State == EntityState.Added)
        {
            // Another mapping to the same customer asked at the same moment: its request stands, this mapping waits on it.
            return await MapTenantAsync(tenant, rmmTenant, customer, retry: false, cancellationToken);
        }
        var name = status == MappingStatuses.Active
            ? await db.Organizations.AsNoTracking().Where(o => o.Id == customer).Select(o => o.Name).FirstAsync(cancellationToken)
            : null;
        return new TenantMapping(rmmTenant, customer, name, status);
    }

    public async Task UnmapTenantAsync(Tenant tenant, string rmmTenant, CancellationToken cancellationToken = default)
    {
        await ProfileAsync(tenant, cancellationToken);
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        var row = await db.WatchTenants.FirstOrDefaultAsync(t => t.MspOrganizationId == tenant.OrganizationId && t.Tenant == rmmTenant, cancellationToken)
            ?? throw new NotFoundException($"tenant '{rmmTenant}' is not mapped");
        db.WatchTenants.Remove(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "watch.tenant_unmapped", "watch_tenant", rmmTenant, new { tenant = rmmTenant, customer = row.CustomerOrganizationId }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    public async Task<IReadOnlyList<TenantMapping>> TenantsAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await ProfileAsync(tenant, cancellationToken);
        await using var db = installation.OpenDb();
        // Left joins on keys (no correlated subqueries): SQLite has no LATERAL / APPLY.
        var rows = await (from t in db.WatchTenants.AsNoTracking()
                          where t.MspOrganizationId == tenant.OrganizationId
                          join c0 in db.WatchConsents.AsNoTracking() on new { t.MspOrganizationId, t.CustomerOrganizationId } equals new { c0.MspOrganizationId, c0.CustomerOrganizationId } into consents
                          from c in consents.DefaultIfEmpty()
                          join o0 in db.Organizations.AsNoTracking() on t.CustomerOrganizationId equals o0.Id into organizations
                          from o in organizations.DefaultIfEmpty()
                          orderby t.Tenant
                          select new { t.Tenant, t.CustomerOrganizationId, State = c == null ? null : c.State, Name = o == null ? null : o.Name }).ToListAsync(cancellationToken);
        // The name only once the customer accepted: before that, nothing tells the MSP the id is an organization's.
        return [.. rows.Select(r => WatchConsentStore.StatusOf(r.State) is var status && status == MappingStatuses.Active
            ? new TenantMapping(r.Tenant, r.CustomerOrganizationId, r.Name, status)
            : new TenantMapping(r.Tenant, r.CustomerOrganizationId, null, status))];
    }

    /// <summary>Parses one MSP's settings text (the top level of a <c>--settings</c> file, without <c>msps</c>).</summary>
    public static DetectionSettings ParseSettings(string text, string file)
    {
        var parsed = WatchSettings.Parse(text, file);
        if (parsed.Msps.Count > 0) throw new BadInputException("an MSP's settings apply to that MSP only: leave out 'msps'", file, "$.msps");
        return parsed.Defaults;
    }

    private static WatchProfile Profile(WatchMspRow row) => new(row.OrganizationId, row.EventName, row.Settings,
        row.Settings is null ? new DetectionSettings() : ParseSettings(row.Settings, "stored watch settings"), row.Version, row.LogSize, row.EventCount);
}
