using System.Security.Claims;
using Custodes.Application.Watch;
using Custodes.Web.Api;
using Custodes.Web.Pages;

namespace Custodes.Web.Watch;

/// <summary>Names for the tenant ids of watch events, so alert pages say which customer, not which RMM site id.</summary>
public static class WatchNames
{
    /// <summary>
    /// Tenant id → customer name for one alert as the reader sees it: the MSP that raised it knows its mapped tenants' customers; a customer
    /// sees only its own tenants in an alert, and those are itself.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> TenantNamesAsync(ClaimsPrincipal user, WatchMspStore msps, AlertView alert, CancellationToken cancellationToken)
    {
        var tenant = user.Tenant();
        if (alert.MspOrganizationId == tenant.OrganizationId)
            return (await msps.TenantsAsync(tenant, cancellationToken)).Where(t => t.CustomerName is not null).ToDictionary(t => t.Tenant, t => t.CustomerName!, StringComparer.Ordinal);
        var own = user.OrganizationName();
        return alert.Tenants.Distinct(StringComparer.Ordinal).ToDictionary(t => t, _ => own, StringComparer.Ordinal);
    }
}
