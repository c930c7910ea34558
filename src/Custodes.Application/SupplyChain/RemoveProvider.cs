using Custodes.Assessments;
using Custodes.SupplyChain;

namespace Custodes.Application.SupplyChain;

/// <summary>What removing a provider from the organization's list changes, shown before the person confirms.</summary>
/// <param name="Version">The portfolio version the preview was computed from (the confirmation carries it).</param>
/// <param name="ScoreBefore">The organization's score with what it inherits now; null when it has no assessment of its own or no score.</param>
/// <param name="ScoreAfter">The score once the provider is gone from the list.</param>
/// <param name="RequirementsLost">Requirements met today through the provider that would no longer be met (in catalog order).</param>
/// <param name="Reach">Everyone the provider reaches in the portfolio (blast radius), which the record of its access no longer shows once removed.</param>
/// <param name="EntryRemoved">Whether the provider's entry (and its responsibility matrix) goes too; false when others in the portfolio still use it.</param>
public sealed record ProviderRemovalPreview(
    long Version,
    ProviderSummary Provider,
    bool HasAssessment,
    int? ScoreBefore,
    int? ScoreAfter,
    string? Level2Before,
    string? Level2After,
    IReadOnlyList<string> RequirementsLost,
    BlastRadius Reach,
    bool EntryRemoved);

/// <summary>
/// Removes a provider from the tenant's organization, after showing what that changes: the requirements it covers stop counting (the score
/// with inheritance is computed both ways), and the record of what it reaches goes. Stored like an import (one version, audited).
/// </summary>
public sealed class RemoveProvider(PortfolioStore store, CustomerProviders providers, CustomerInheritance inheritance, TimeProvider clock)
{
    /// <exception cref="Common.NotFoundException">It is not one of the organization's providers.</exception>
    public async Task<ProviderRemovalPreview> PreviewAsync(Tenant tenant, string provider, CancellationToken cancellationToken = default)
    {
        var (list, summary) = await providers.GetAsync(tenant, provider, cancellationToken);
        var stored = await store.LoadAsync(tenant, cancellationToken) ?? throw new Common.NotFoundException($"'{provider}' is not one of your providers");
        var entry = list.Entry!;
        var graph = PortfolioGraph.Build(stored.Portfolio);
        var reach = ComputeBlastRadius.For(graph, provider);
        var (after, removed) = ProviderEdits.Remove(stored.Portfolio, entry, provider);

        var view = await inheritance.ForAsync(tenant, cancellationToken);
        if (view is null) return new ProviderRemovalPreview(stored.Version, summary, false, null, null, null, null, [], reach, removed);
        var afterGraph = PortfolioGraph.Build(after);
        var matrices = stored.Matrices.Where(m => !(removed && m.Key == provider)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        var letters = view.Letters.Where(l => l.Key != provider).ToDictionary(l => l.Key, l => l.Value.State, StringComparer.Ordinal);
        var coverage = CoveringProviders.Coverage(afterGraph, afterGraph.IndexOf(entry), matrices, letters);
        var result = ApplyInheritance.Apply(view.Own.Assessment, coverage, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var met = Status.Met.ToWire();
        var lost = view.Result.Score.Requirements.Where(r => r.Value == met && result.Score.Requirements.GetValueOrDefault(r.Key) != met).Select(r => r.Key).ToArray();
        return new ProviderRemovalPreview(stored.Version, summary, true, view.Result.Score.Score, result.Score.Score,
            view.Result.Score.Cmmc.Level2.Status, result.Score.Cmmc.Level2.Status, lost, reach, removed);
    }

    /// <summary>Removes the provider; returns the new version.</summary>
    /// <param name="expectedVersion">The version the preview was computed from; a newer one refuses the removal (the person confirmed something else).</param>
    public async Task<long> RemoveAsync(Tenant tenant, string provider, long expectedVersion, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        var (list, summary) = await providers.GetAsync(tenant, provider, cancellationToken);
        var stored = await store.LoadAsync(tenant, cancellationToken) ?? throw new Common.NotFoundException($"'{provider}' is not one of your providers");
        var (after, removed) = ProviderEdits.Remove(stored.Portfolio, list.Entry!, provider);
        var matrices = (await store.StoredMatricesAsync(stored, cancellationToken)).Where(m => !(removed && m.Matrix.Provider == provider)).ToList();
        return await store.StoreAsync(tenant, after, matrices, new PortfolioStore.PortfolioWrite
        {
            Source = "removing a provider",
            Error = (path, message) => new Common.BadInputException(message, path: path),
            ExpectedVersion = expectedVersion,
            Action = "portfolio.provider-removed",
            Before = previous => new { version = previous, provider, name = summary.Details.Name, linked = summary.LinkedOrganization },
            After = (version, _) => new { version, provider, entry_removed = removed },
        }, cancellationToken);
    }
}
