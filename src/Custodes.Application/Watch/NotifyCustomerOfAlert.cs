using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Watch;

/// <summary>A provider's notice to a customer about an alert on the customer's tenants.</summary>
public sealed record AlertCustomerNotice(Guid Id, Guid AlertId, Guid CustomerOrganizationId, string Note, string SentBy, DateTime SentAt);

/// <summary>
/// The MSP tells a customer about an alert on the customer's tenants, with a note written for the customer; the alert is acknowledged
/// with it when still open. Stored and audited: it is the notice an agreement's <c>incident-notice-hours</c> obligation waits for.
/// </summary>
public sealed class NotifyCustomerOfAlert(Installation installation, AuditTrail audit, TimeProvider clock, Agreements.CheckAgreements? agreements = null)
{
    public const int MaxNote = 4000;

    /// <exception cref="NotFoundException">The alert is not the tenant's, or the customer has none of the alert's tenants.</exception>
    public async Task<AlertCustomerNotice> HandleAsync(Tenant tenant, Guid alertId, Guid customer, string? note, CancellationToken cancellationToken = default)
    {
        note = note?.Trim();
        if (string.IsNullOrEmpty(note)) throw new BadInputException("the note to the customer is missing: say what happened and what you are doing about it", path: "$.note");
        if (note.Length > MaxNote) throw new BadInputException($"the note is at most {MaxNote} characters", path: "$.note");
        await using var db = installation.OpenDb();
        var alert = await db.WatchAlerts.FirstOrDefaultAsync(a => a.Id == alertId && a.MspOrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no alert {alertId} of your organization");
        tenant.RequireEdit();
        var concerned = await db.WatchAlertTenants.AnyAsync(t => t.AlertId == alertId &&
            WatchConsentStore.Effective(db).Any(m => m.MspOrganizationId == tenant.OrganizationId && m.Tenant == t.Tenant && m.CustomerOrganizationId == customer), cancellationToken);
        if (!concerned) throw new NotFoundException($"the alert concerns none of the tenants of organization {customer}");

        var now = clock.GetUtcNow().UtcDateTime;
        var row = new WatchAlertNoticeRow { Id = Guid.CreateVersion7(), AlertId = alertId, CustomerOrganizationId = customer, Note = note, SentBy = tenant.Actor, SentAt = now };
        db.WatchAlertNotices.Add(row);
        if (alert.Status == AlertStatuses.Open)
        {
            alert.Status = AlertStatuses.Acknowledged;
            alert.StatusNote = note;
            alert.StatusBy = tenant.Actor;
            alert.StatusAt = now;
            alert.Version++;
        }
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "watch.alert_customer_notified", "watch_alert", alertId.ToString(), null,
            new { customer, note, status = alert.Status }));
        try
        {
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new PreconditionFailedException("the alert changed meanwhile; read it again");
        }
        // The notice is what a customer's incident-notice-hours obligation waits for.
        if (agreements is not null) await agreements.AfterProviderChangeAsync([tenant.OrganizationId], cancellationToken);
        return new AlertCustomerNotice(row.Id, alertId, customer, note, row.SentBy, now);
    }

    /// <summary>The notices about an alert the tenant may read: all of them for its MSP, a customer's own otherwise.</summary>
    public async Task<IReadOnlyList<AlertCustomerNotice>> ListAsync(Tenant tenant, Guid alertId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var msp = await db.WatchAlerts.AsNoTracking().Where(a => a.Id == alertId).Select(a => (Guid?)a.MspOrganizationId).FirstOrDefaultAsync(cancellationToken);
        var rows = await db.WatchAlertNotices.AsNoTracking()
            .Where(n => n.AlertId == alertId && (msp == tenant.OrganizationId || n.CustomerOrganizationId == tenant.OrganizationId))
            .OrderBy(n => n.SentAt).ToListAsync(cancellationToken);
        return [.. rows.Select(n => new AlertCustomerNotice(n.Id, n.AlertId, n.CustomerOrganizationId, n.Note, n.SentBy, n.SentAt))];
    }
}
