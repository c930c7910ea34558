using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;
using Custodes.Common;

namespace Custodes.SupplyChain;

/// <summary>What is known of one provider: its current letter and, when shared, its (attested or self-) assessment.</summary>
public sealed record ProviderPosture(string Provider, LetterState? Letter = null, Assessment? Assessment = null);

/// <summary>A customer's providers side by side.</summary>
public sealed record ProviderComparison(string Customer, IReadOnlyList<string> CustomerData, IReadOnlyList<ProviderRow> Providers);

/// <summary>One provider in a comparison.</summary>
/// <param name="Attestation"><c>valid</c>, <c>expired</c>, <c>revoked</c>, <c>signature-invalid</c> or <c>none</c>.</param>
/// <param name="Score">The attested score from the letter; without a letter, the score of the shared (self-)assessment.</param>
/// <param name="LastIndependentAssessment">The assessment date of the letter: only an attested assessment is independent.</param>
/// <param name="RelevantUnmet">Requirements not met that matter for the customer's data classes (<see cref="DataClassRequirements"/>), in catalog order.</param>
public sealed record ProviderRow(
    string Provider,
    string Name,
    IReadOnlyList<string> Services,
    string? Access,
    int Endpoints,
    string Attestation,
    string? LetterId,
    DateOnly? ValidUntil,
    int? Score,
    string? CmmcLevel2,
    int? OpenPoamItems,
    DateOnly? LastIndependentAssessment,
    IReadOnlyList<string> RelevantUnmet);

/// <summary>Compares a customer's direct providers: attestation, score, CMMC status, open POA&amp;M items, last independent assessment, relevant gaps.</summary>
public static class CompareProviders
{
    public static ProviderComparison For(PortfolioGraph graph, string customerId, IReadOnlyDictionary<string, ProviderPosture> postures, DateOnly asOf)
    {
        var node = graph.IndexOf(customerId);
        if (node < 0 || graph.Organization(customerId) is not { } customer)
            throw new BadInputException($"unknown organization '{customerId}'; the portfolio has no such organization");
        var relevant = DataClassRequirements.For(customer.Data);
        var rows = new List<ProviderRow>();
        foreach (var r in graph.RelationshipsOfCustomer(node))
        {
            var relationship = graph.Portfolio.Relationships[r];
            var provider = graph.Organization(relationship.Provider)!;
            var posture = postures.GetValueOrDefault(provider.Id) ?? new ProviderPosture(provider.Id);
            var letter = posture.Letter;
            ScoreReport? selfScore = letter is null && posture.Assessment is { } a ? ScoreAssessment.Score(a) : null;
            rows.Add(new ProviderRow(
                provider.Id,
                provider.Name,
                PortfolioNames.Services.Names(relationship.Services),
                PortfolioNames.Strongest(relationship.Access),
                relationship.Endpoints ?? 0,
                Attestation(letter, asOf),
                letter?.LetterId,
                letter?.ValidUntil,
                letter?.Score ?? selfScore?.Score,
                letter?.CmmcLevel2 ?? selfScore?.Cmmc.Level2.Status,
                posture.Assessment is { } assessed ? Assessments.Poam.PoamPlan.Of(assessed).Open.Count() : null,
                letter?.AssessedOn,
                Unmet(posture).Where(relevant.Contains).ToArray()));
        }
        rows.Sort((x, y) => string.CompareOrdinal(x.Provider, y.Provider));
        return new ProviderComparison(customerId, PortfolioNames.DataNames(customer.Data), rows);
    }

    private static string Attestation(LetterState? letter, DateOnly asOf) => letter?.Check(asOf) switch
    {
        null => "none",
        InheritanceCause.Holds => "valid",
        InheritanceCause.LetterRevoked => "revoked",
        InheritanceCause.LetterExpired => "expired",
        _ => "signature-invalid",
    };

    /// <summary>Unmet requirements in catalog order: from the shared assessment when there is one, else the complement of the letter's met set.</summary>
    private static IEnumerable<string> Unmet(ProviderPosture posture)
    {
        if (posture.Assessment is { } assessment)
        {
            var resolution = Resolution.Resolve(assessment);
            var catalog = resolution.Catalog;
            var unmet = new List<string>();
            for (var i = 0; i < catalog.Requirements.Count; i++)
                if (!resolution.Statuses[i].IsSatisfied()) unmet.Add(catalog.Requirements[i].Id);
            return unmet;
        }
        if (posture.Letter is { } letter)
        {
            var catalog = letter.Framework is { } f ? CatalogSet.Get(f) : CatalogSet.NistR2;
            return catalog.Requirements.Select(r => r.Id).Where(id => !letter.MetRequirements.Contains(id));
        }
        return [];
    }
}
