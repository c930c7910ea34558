using Custodes.Application.Engagements;
using Custodes.Application.Letters;
using Custodes.Application.Trust;
using Custodes.Application.Watch;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Home;

/// <summary>A customer whose own portfolio names the MSP (linked to its account here) as a provider: its score rests on the MSP's letter.</summary>
public sealed record InheritingCustomer(Guid OrganizationId, string Name, DateTime Since);

/// <summary>What an MSP's home page shows.</summary>
/// <param name="Letters">Letters about the MSP (by name or through an assessment of it), newest first.</param>
/// <param name="OpenAlerts">Open alerts from its tools, newest first (at most <see cref="MspHome.AlertCount"/>).</param>
public sealed record MspHomeView(
    string Organization,
    IReadOnlyList<Engagement> Engagements,
    IReadOnlyList<LetterSummary> Letters,
    TrustSettings Trust,
    IReadOnlyList<InheritingCustomer> Customers,
    IReadOnlyList<AlertView> OpenAlerts,
    DateTime Now);

/// <summary>
/// An MSP's home: its engagements with assessor firms, the letters about it (and whether each is in force), its trust page, the
/// customers whose portfolios rely on it, and the open alerts from its tools. Only an MSP organization gets it.
/// </summary>
public sealed class MspHome(Installation installation, EngagementQueries engagements, TrustPages trust, AlertStore alerts, TimeProvider clock)
{
    public const int AlertCount = 10;

    public async Task<MspHomeView> LoadAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var org = await HomeKinds.RequireAsync(db, tenant, OrganizationKinds.Msp, cancellationToken);
        var about = db.Assessments.AsNoTracking().Where(a => a.SubjectOrganizationId == org.Id).Select(a => (Guid?)a.Id);
        var letters = await db.Letters.AsNoTracking().Where(l => l.Subject == org.Name || about.Contains(l.AssessmentId))
            .OrderByDescending(l => l.IssuedAt).ThenByDescending(l => l.LogIndex).Take(20).ToListAsync(cancellationToken);
        // Customers only: an installation's or an insurer's map naming the MSP is not a customer relying on it.
        var customers = await (from o in db.PortfolioOrganizations.AsNoTracking()
                               join p in db.Portfolios.AsNoTracking() on o.PortfolioId equals p.Id
                               join c in db.Organizations.AsNoTracking() on p.OwnerOrganizationId equals c.Id
                               where o.LinkedOrganizationId == org.Id && c.Kind == OrganizationKinds.Customer
                               select new { c.Id, c.Name, p.ImportedAt }).ToListAsync(cancellationToken);
        return new MspHomeView(org.Name,
            [.. (await engagements.ListAsync(tenant, cancellationToken)).Take(10)],
            [.. letters.Select(LetterSummary.From)],
            await trust.SettingsAsync(tenant, cancellationToken),
            [.. customers.GroupBy(c => c.Id).Select(g => new InheritingCustomer(g.Key, g.First().Name, g.Min(c => c.ImportedAt))).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)],
            await alerts.ListAsync(tenant, new AlertFilter(Status: AlertStatuses.Open), 0, AlertCount, cancellationToken),
            clock.GetUtcNow().UtcDateTime);
    }
}
