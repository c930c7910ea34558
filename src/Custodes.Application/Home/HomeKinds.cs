using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Home;

/// <summary>Which home an organization gets: each home's use case refuses a tenant of another kind, so a page cannot show a dental
/// office an MSP's view (or the reverse) by asking for it.</summary>
public static class HomeKinds
{
    /// <summary>The tenant's organization and its kind; another tenant's id is "not found".</summary>
    internal static async Task<OrganizationRow> RequireAsync(CustodesDb db, Tenant tenant, string kind, CancellationToken cancellationToken)
    {
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException("your organization no longer exists");
        if (org.Kind != kind)
            throw new ForbiddenException($"this home page is for {Words(kind)}; {org.Name} is {Words(org.Kind)}");
        return org;
    }

    /// <summary>The kind in plain words, with its article.</summary>
    public static string Words(string kind) => kind switch
    {
        OrganizationKinds.Customer => "a business that uses IT providers",
        OrganizationKinds.Msp => "a managed IT provider",
        OrganizationKinds.Assessor => "an assessor firm",
        _ => kind,
    };
}
