using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.SupplyChain.Questionnaires;
using Tenant = Custodes.Application.Tenant;

namespace Custodes.Application.SupplyChain;

/// <summary>What the supply-chain pages, API and commands ask of the tenant's own portfolio: every query runs on the cached graph of its current version.</summary>
/// <remarks>Blast radius, what-if and concentration read the graph alone (its stored snapshot when not cached); the rest also reads the stored portfolio.</remarks>
public sealed class SupplyChainQueries(Installation installation, PortfolioGraphs graphs, ProviderLetters letters, CustomerInheritance inheritance, TimeProvider clock,
    RecoveryPlanning recovery)
{
    private const string NoPortfolio = "your organization has no portfolio yet: import one first";

    /// <summary>The tenant's portfolio, or null when it has none.</summary>
    public Task<LoadedPortfolio?> FindAsync(Tenant tenant, CancellationToken cancellationToken) => graphs.GetAsync(tenant, cancellationToken);

    public async Task<LoadedPortfolio> GetAsync(Tenant tenant, CancellationToken cancellationToken) =>
        await FindAsync(tenant, cancellationToken) ?? throw new NotFoundException(NoPortfolio);

    /// <summary>The graph of the tenant's portfolio, or null when it has none.</summary>
    public Task<PortfolioGraph?> FindGraphAsync(Tenant tenant, CancellationToken cancellationToken) => graphs.GraphAsync(tenant, cancellationToken);

    public async Task<PortfolioGraph> GraphAsync(Tenant tenant, CancellationToken cancellationToken) =>
        await FindGraphAsync(tenant, cancellationToken) ?? throw new NotFoundException(NoPortfolio);

    public async Task<BlastRadius> BlastRadiusAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var graph = await GraphAsync(tenant, cancellationToken);
        return ComputeBlastRadius.For(graph, Known(graph, id));
    }

    public async Task<CompromiseReport> WhatIfAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var graph = await GraphAsync(tenant, cancellationToken);
        return AssessCompromise.For(graph, Known(graph, id));
    }

    public async Task<IReadOnlyList<ConcentrationEntry>> ConcentrationAsync(Tenant tenant, int? top, CancellationToken cancellationToken)
    {
        if (top is < 0) throw new BadInputException($"top must be 0 or more, found {top}", path: "top");
        return ConcentrationRisk.Rank(await GraphAsync(tenant, cancellationToken), top is null or 0 ? null : top);
    }

    /// <summary>A customer's providers side by side, with the letters this installation holds.</summary>
    public async Task<ProviderComparison> CompareAsync(Tenant tenant, string customer, CancellationToken cancellationToken)
    {
        var loaded = await GetAsync(tenant, cancellationToken);
        if (loaded.Graph.Organization(Known(loaded.Graph, customer)) is null) throw new NotFoundException($"'{customer}' is not an organization of your portfolio");
        var now = clock.GetUtcNow();
        var held = await letters.ForAsync(loaded.Stored, now, cancellationToken);
        var postures = held.ToDictionary(l => l.Key, l => new ProviderPosture(l.Key, l.Value.State), StringComparer.Ordinal);
        return CompareProviders.For(loaded.Graph, customer, postures, DateOnly.FromDateTime(now.UtcDateTime));
    }

    /// <summary>Providers' letters held here for the tenant's portfolio.</summary>
    public async Task<IReadOnlyDictionary<string, ProviderLetter>> LettersAsync(LoadedPortfolio loaded, CancellationToken cancellationToken) =>
        await letters.ForAsync(loaded.Stored, clock.GetUtcNow(), cancellationToken);

    public Task<InheritanceView?> InheritanceAsync(Tenant tenant, CancellationToken cancellationToken) => inheritance.ForAsync(tenant, cancellationToken);

    /// <summary>Proposed answers to a questionnaire from the tenant's effective assessment (its own, with what it inherits) and its own letter; the
    /// recovery questions from its portfolio's backup and restore facts, when the organization is an entry of it with a provider to restore it.</summary>
    public async Task<QuestionnaireResponse> ProposeAsync(Tenant tenant, string templateId, CancellationToken cancellationToken)
    {
        var template = QuestionnaireTemplates.Find(templateId) ?? throw new NotFoundException($"no questionnaire template '{templateId}'; the built-in ones are {string.Join(", ", QuestionnaireTemplates.BuiltIn)}");
        var view = await inheritance.ForAsync(tenant, cancellationToken);
        var assessment = view?.Result.Effective
            ?? (await CustomerInheritance.LatestOwnAssessmentAsync(installation, tenant.OrganizationId, cancellationToken))?.Assessment
            ?? throw new BadInputException("your organization has no assessment of its own to answer from: import one first");
        var now = clock.GetUtcNow();
        LetterState? letter = null;
        if (view is not null) letter = (await letters.CurrentAsync(view.Entry, tenant.OrganizationId, now, cancellationToken))?.State;
        RecoveryFacts? facts = null;
        if (await recovery.OutlookAsync(tenant, cancellationToken) is { Count: > 0 } outlooks && await graphs.GetAsync(tenant, cancellationToken) is { } loaded)
            facts = new RecoveryFacts($"portfolio version {loaded.Stored.Version}", outlooks.Select(o => (o.ProviderName, o.Slot)).ToArray());
        return ProposeAnswers.For(template, assessment, letter, DateOnly.FromDateTime(now.UtcDateTime), recovery: facts);
    }

    private static string Known(PortfolioGraph graph, string id) =>
        graph.IndexOf(id) >= 0 ? id : throw new NotFoundException($"'{id}' is neither an organization nor a tool of your portfolio");
}
