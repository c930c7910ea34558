using Custodes.Application.Watch;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Alerting;

/// <summary>
/// Hands watch alerts to <see cref="AlertNotifications"/>: the MSP's channels get an alert when it opens, and each customer whose
/// RMM tenants it touches (the MSP's tenant mapping) gets it, scoped to its own tenants, as soon as it touches the first of them,
/// even when that happens while the alert grows. Nobody gets one alert twice; its page (the notice's link) shows it as it grows.
/// A growth that touches no new tenant cannot concern anyone new, so it costs nothing here (a tenant mapped to a customer while
/// its alert is open reaches that customer when the alert next reaches a new tenant, or on the alert's page).
/// </summary>
public sealed class DeliverAlerts(Installation installation, AlertNotifications notifications) : IAlertSink
{
    public async Task DeliverAsync(PublishedAlert alert, CancellationToken cancellationToken)
    {
        if (!alert.IsNew && alert.NewTenants.Count == 0) return;
        var stored = alert.Stored;
        var tenants = stored.Tenants.ToArray();
        await using var db = installation.OpenDb();
        var mspName = await db.Organizations.AsNoTracking().Where(o => o.Id == stored.MspOrganizationId).Select(o => o.Name).FirstAsync(cancellationToken);
        var mapped = await WatchConsentStore.Effective(db)
            .Where(t => t.MspOrganizationId == stored.MspOrganizationId && tenants.Contains(t.Tenant))
            .Select(t => new { t.CustomerOrganizationId, t.Tenant })
            .ToListAsync(cancellationToken);
        var customers = mapped.GroupBy(m => m.CustomerOrganizationId)
            .Select(g => new AlertCustomer(g.Key, g.Select(m => m.Tenant).Order(StringComparer.Ordinal).ToArray()))
            .ToArray();
        await notifications.EnqueueAsync(AlertNotice.From(alert.Detected, stored.Id.ToString(), stored.MspOrganizationId, mspName, customers), cancellationToken);
    }
}
