using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;
using Custodes.Common;

namespace Custodes.SupplyChain;

/// <summary>What inheritance is computed from: the portfolio, customers' assessments (by organization id), matrices and current letters (by provider id).</summary>
public sealed record InheritanceSnapshot(
    PortfolioGraph Graph,
    IReadOnlyDictionary<string, CompactAssessment> Assessments,
    IReadOnlyDictionary<string, ResponsibilityMatrix> Matrices,
    IReadOnlyDictionary<string, LetterState> Letters);

/// <summary>A customer whose score or CMMC status changed because a provider's letter changed: before, after, and why.</summary>
/// <param name="Requirements">The inherited requirements whose effective status changed.</param>
public sealed record DependentChange(
    string Customer,
    string Provider,
    int? ScoreBefore,
    int? ScoreAfter,
    string CmmcLevel1Before,
    string CmmcLevel1After,
    string CmmcLevel2Before,
    string CmmcLevel2After,
    InheritanceCause Cause,
    IReadOnlyList<string> Requirements);

/// <summary>After a provider's letter changes (revoked, expired, renewed), finds every customer whose effective score or CMMC status changed.</summary>
/// <remarks>
/// Dependents are the provider's direct customers that have an assessment: inheritance runs from a customer's direct providers only (a provider's
/// own letter attests what it inherits from its subcontractors). Each dependent's effective statuses are computed before and after on compact
/// arrays; only those that differ are scored (<see cref="ScoreAssessment"/>), so the cost is one pass over the dependents plus two scorings per
/// changed customer. Same rules as <see cref="ApplyInheritance"/>.
/// </remarks>
public static class RecomputeAfterLetterChange
{
    public static IReadOnlyList<DependentChange> Run(InheritanceSnapshot snapshot, LetterState changed, DateOnly asOf)
    {
        var graph = snapshot.Graph;
        var providerNode = graph.IndexOf(changed.Provider);
        if (providerNode < 0) throw new BadInputException($"the letter's provider '{changed.Provider}' is not in the portfolio");
        if (!snapshot.Matrices.TryGetValue(changed.Provider, out var changedMatrix)) return [];

        var before = new Dictionary<(string, Catalog), ApplyInheritance.Compiled>();
        var after = new Dictionary<Catalog, ApplyInheritance.Compiled>();
        var responsibilities = new Dictionary<(string, Catalog), Responsibility[]?>();
        var cause = changed.Check(asOf);
        var changes = new List<DependentChange>();
        var providersBefore = new List<ApplyInheritance.Compiled>();
        var providersAfter = new List<ApplyInheritance.Compiled>();
        var size = Frameworks.All.Max(f => CatalogSet.Get(f).Requirements.Count);
        var statusBuffer = new Status[2 * size];
        var partialBuffer = new bool[2 * size];

        foreach (var r in graph.RelationshipsOfProvider(providerNode))
        {
            var customerNode = graph.CustomerOf(r);
            var customerId = graph.IdOf(customerNode);
            if (!snapshot.Assessments.TryGetValue(customerId, out var assessment)) continue;
            var catalog = assessment.Catalog;
            providersBefore.Clear();
            providersAfter.Clear();
            foreach (var (providerId, matrix) in CoveringProviders.Of(graph, customerNode, snapshot.Matrices))
            {
                if (!responsibilities.TryGetValue((providerId, catalog), out var compiledMatrix))
                    responsibilities[(providerId, catalog)] = compiledMatrix = matrix.Compile(catalog);
                if (!before.TryGetValue((providerId, catalog), out var b))
                    before[(providerId, catalog)] = b = ApplyInheritance.Compiled.From(new ProviderCoverage(matrix, snapshot.Letters.GetValueOrDefault(providerId)), compiledMatrix, catalog, asOf);
                providersBefore.Add(b);
                if (providerId != changed.Provider)
                {
                    providersAfter.Add(b);
                    continue;
                }
                if (!after.TryGetValue(catalog, out var a))
                    after[catalog] = a = ApplyInheritance.Compiled.From(new ProviderCoverage(changedMatrix, changed), compiledMatrix, catalog, asOf);
                providersAfter.Add(a);
            }

            var n = catalog.Requirements.Count;
            Span<Status> statusesBefore = statusBuffer.AsSpan(0, n), statusesAfter = statusBuffer.AsSpan(size, n);
            Span<bool> partialBefore = partialBuffer.AsSpan(0, n), partialAfter = partialBuffer.AsSpan(size, n);
            Effective(assessment, providersBefore, statusesBefore, partialBefore);
            Effective(assessment, providersAfter, statusesAfter, partialAfter);
            if (statusesBefore.SequenceEqual(statusesAfter) && partialBefore.SequenceEqual(partialAfter)) continue;

            var scoreBefore = ScoreAssessment.Score(assessment.ToAssessment(statusesBefore, partialBefore));
            var scoreAfter = ScoreAssessment.Score(assessment.ToAssessment(statusesAfter, partialAfter));
            if (scoreBefore.Score == scoreAfter.Score
                && scoreBefore.Cmmc.Level1.Status == scoreAfter.Cmmc.Level1.Status
                && scoreBefore.Cmmc.Level2.Status == scoreAfter.Cmmc.Level2.Status) continue;
            var flipped = new List<string>();
            for (var i = 0; i < n; i++)
                if (statusesBefore[i] != statusesAfter[i] || partialBefore[i] != partialAfter[i]) flipped.Add(catalog.Requirements[i].Id);
            changes.Add(new DependentChange(customerId, changed.Provider, scoreBefore.Score, scoreAfter.Score,
                scoreBefore.Cmmc.Level1.Status, scoreAfter.Cmmc.Level1.Status, scoreBefore.Cmmc.Level2.Status, scoreAfter.Cmmc.Level2.Status,
                cause, flipped));
        }
        changes.Sort((x, y) => string.CompareOrdinal(x.Customer, y.Customer));
        return changes;
    }

    /// <summary>Effective statuses and partial flags of a compact assessment under its providers' coverage (the rules of <see cref="ApplyInheritance"/>).</summary>
    internal static void Effective(CompactAssessment assessment, List<ApplyInheritance.Compiled> providers, Span<Status> statuses, Span<bool> partial)
    {
        for (var i = 0; i < statuses.Length; i++)
        {
            var own = assessment.Statuses[i];
            var responsibility = Responsibility.Customer;
            var holds = true;
            foreach (var provider in providers)
            {
                var r = provider.Responsibilities?[i] ?? Responsibility.Customer;
                if (r == Responsibility.Customer) continue;
                responsibility = responsibility == Responsibility.Shared || r == Responsibility.Shared ? Responsibility.Shared : Responsibility.Provider;
                if (provider.CauseAt(i) != InheritanceCause.Holds) holds = false;
            }
            if (responsibility == Responsibility.Customer)
            {
                statuses[i] = own;
                partial[i] = assessment.Partial[i];
                continue;
            }
            statuses[i] = ApplyInheritance.Effective(own, responsibility, holds);
            partial[i] = responsibility == Responsibility.Shared && holds && statuses[i] == Status.NotMet && assessment.Partial[i];
        }
    }
}
