using System.Text;
using Custodes.Storage.Audit;
using Custodes.Storage.Database;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Storage.SupplyChain;

/// <summary>A stored portfolio version.</summary>
public sealed record StoredPortfolio(long Version, DateTime ImportedAt, string ImportedBy, Portfolio Portfolio);

/// <summary>The installation's supply-chain portfolio: each import is validated whole and stored as a new version in one transaction.</summary>
public sealed class PortfolioStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Stores a validated portfolio as the next version; returns the version.</summary>
    public async Task<long> ImportAsync(Portfolio portfolio, string actor, CancellationToken cancellationToken = default)
    {
        var row = new PortfolioRow
        {
            ImportedAt = clock.GetUtcNow().UtcDateTime,
            ImportedBy = actor,
            Content = Encoding.UTF8.GetString(PortfolioFile.ToJson(portfolio)),
            Organizations = portfolio.Organizations.Count,
            Tools = portfolio.Tools.Count,
            Relationships = portfolio.Relationships.Count,
        };
        await using var db = installation.OpenDb();
        db.Portfolios.Add(row);
        audit.Record(db, new AuditEvent(null, actor, "portfolio.imported", "portfolio", "installation",
            After: new { organizations = row.Organizations, tools = row.Tools, relationships = row.Relationships }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return row.Version;
    }

    /// <summary>The latest imported portfolio, or null when none was imported.</summary>
    public async Task<StoredPortfolio?> LatestAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await db.Portfolios.AsNoTracking().OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new StoredPortfolio(row.Version, row.ImportedAt, row.ImportedBy, PortfolioFile.Parse(Encoding.UTF8.GetBytes(row.Content), $"stored portfolio v{row.Version}"));
    }
}
