using Custodes.Application.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>An organization's own latest assessment and what it inherits from the providers of its own portfolio.</summary>
public sealed record InheritanceView(
    StoredAssessment Own,
    ScoreReport OwnScore,
    InheritanceResult Result,
    string Entry,
    IReadOnlyDictionary<string, ProviderLetter> Letters);

/// <summary>What an assessment inherits from the providers of its organization's portfolio (<see cref="Graph"/> names them).</summary>
public sealed record AppliedInheritance(InheritanceResult Result, PortfolioGraph Graph, string Entry, IReadOnlyDictionary<string, ProviderLetter> Letters);

/// <summary>
/// A customer's effective assessment: its own latest assessment with the requirements its direct providers cover (their responsibility
/// matrices in the customer's portfolio) inherited while each provider's letter held here is valid (<see cref="ApplyInheritance"/>).
/// </summary>
public sealed class CustomerInheritance(Installation installation, PortfolioGraphs portfolios, ProviderLetters letters, TimeProvider clock)
{
    /// <summary>The tenant's inheritance, or null when it has no portfolio entry for itself or no assessment of its own.</summary>
    public async Task<InheritanceView?> ForAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var loaded = await portfolios.GetAsync(tenant, cancellationToken);
        if (loaded?.Stored.EntryOf(tenant.OrganizationId) is not { } entry) return null;
        var own = await LatestOwnAssessmentAsync(installation, tenant.OrganizationId, cancellationToken);
        if (own is null) return null;
        var applied = await ApplyAsync(loaded, entry, own.Assessment, cancellationToken);
        return new InheritanceView(own, ScoreAssessment.Score(own.Assessment), applied.Result, entry, applied.Letters);
    }

    /// <summary>What an assessment of the tenant's organization inherits from the providers of its portfolio, or null when the portfolio has no entry for it.</summary>
    public async Task<AppliedInheritance?> ApplyAsync(Tenant tenant, Custodes.Assessments.Assessment assessment, CancellationToken cancellationToken = default)
    {
        var loaded = await portfolios.GetAsync(tenant, cancellationToken);
        if (loaded?.Stored.EntryOf(tenant.OrganizationId) is not { } entry) return null;
        return await ApplyAsync(loaded, entry, assessment, cancellationToken);
    }

    private async Task<AppliedInheritance> ApplyAsync(LoadedPortfolio loaded, string entry, Custodes.Assessments.Assessment assessment, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var held = await letters.ForAsync(loaded.Stored, now, cancellationToken);
        var coverage = CoveringProviders.Coverage(loaded.Graph, loaded.Graph.IndexOf(entry), loaded.Stored.Matrices, held.ToDictionary(l => l.Key, l => l.Value.State, StringComparer.Ordinal));
        var result = ApplyInheritance.Apply(assessment, coverage, DateOnly.FromDateTime(now.UtcDateTime));
        return new AppliedInheritance(result, loaded.Graph, entry, held);
    }

    /// <summary>The newest assessment an organization owns about itself (by assessment date, then last change).</summary>
    public static async Task<StoredAssessment?> LatestOwnAssessmentAsync(Installation installation, Guid organization, CancellationToken cancellationToken)
    {
        await using var db = installation.OpenDb();
        var row = await db.Assessments.AsNoTracking().Where(a => a.OrganizationId == organization && (a.SubjectOrganizationId == null || a.SubjectOrganizationId == organization))
            .OrderByDescending(a => a.AssessedOn).ThenByDescending(a => a.UpdatedAt).FirstOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        var determinations = await db.Determinations.AsNoTracking().Where(d => d.AssessmentId == row.Id).ToListAsync(cancellationToken);
        var poam = await db.PoamItems.AsNoTracking().Where(p => p.AssessmentId == row.Id).ToListAsync(cancellationToken);
        return new StoredAssessment(row.Id, row.OrganizationId, row.Version, row.CreatedAt, row.UpdatedAt, AssessmentRows.ToDomain(row, determinations, poam));
    }
}
