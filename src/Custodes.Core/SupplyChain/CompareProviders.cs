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

/// <summary>
/// A provider a customer might switch to, as its trust page presents it once its letters were checked: the verified letter in force (or the
/// newest verified one, revoked or expired), the letters that could not be verified (never counted), its responsibility matrix, and how many
/// organizations it serves when that is known.
/// </summary>
public sealed record CandidateProvider
{
    /// <summary>How the candidate was named: a trust page's slug here, or the address of another installation's <c>/trust/&lt;slug&gt;.json</c>.</summary>
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>The trust page the candidate was read from (<c>/trust/&lt;slug&gt;</c> here, or the remote address).</summary>
    public required string Page { get; init; }
    /// <summary>True when the page is another installation's (its letters were checked against that installation's log).</summary>
    public bool Remote { get; init; }
    /// <summary>The candidate's verified letter (null: none that could be verified).</summary>
    public LetterState? Letter { get; init; }
    /// <summary>Letters on the page that could not be verified, with why; they count for nothing.</summary>
    public IReadOnlyList<UnverifiedLetter> Unverified { get; init; } = [];
    /// <summary>What the candidate says its customers inherit (null: it publishes no matrix, so it would cover nothing).</summary>
    public ResponsibilityMatrix? Matrix { get; init; }
    /// <summary>How many organizations the candidate serves today (null when not known).</summary>
    public int? Organizations { get; init; }
}

/// <summary>A letter on a candidate's trust page that failed verification, and why.</summary>
public sealed record UnverifiedLetter(string LetterId, string Problem);

/// <summary>Candidates side by side for one customer, against the provider it would replace.</summary>
/// <param name="Replacing">The customer's current provider that a candidate would replace (its portfolio id), null when it has none.</param>
/// <param name="OwnScore">The customer's own assessment's score, before any inheritance.</param>
/// <param name="CurrentScore">The customer's effective score today, with what its current providers cover.</param>
public sealed record CandidateComparison(
    string Customer,
    DateOnly AsOf,
    CandidateStanding? Replacing,
    int? OwnScore,
    string? OwnCmmcLevel2,
    int? CurrentScore,
    string? CurrentCmmcLevel2,
    IReadOnlyList<CandidateRow> Candidates);

/// <summary>The current provider, as the candidates are measured against it.</summary>
public sealed record CandidateStanding(string Provider, string Name, string Attestation, string? LetterId, DateOnly? ValidUntil, int? Score, string? CmmcLevel2,
    int Covers, int? Organizations);

/// <summary>One candidate.</summary>
/// <param name="Attestation"><c>valid</c>, <c>expired</c>, <c>revoked</c> (of a verified letter), <c>unverifiable</c> (letters on the page, none verified) or <c>none</c>.</param>
/// <param name="Covers">Requirements the candidate's matrix takes on (provider or shared) that its verified letter backs for this customer.</param>
/// <param name="Claims">Requirements its matrix takes on (provider or shared), backed or not.</param>
/// <param name="EffectiveScore">The customer's score if the candidate replaced the current provider: its own assessment with what the others and the candidate cover.</param>
/// <param name="OrganizationsAfter">How many organizations would share the candidate with this customer among them (null when not known).</param>
public sealed record CandidateRow(
    string Candidate,
    string Name,
    string Page,
    bool Remote,
    string Attestation,
    string? LetterId,
    string? Issuer,
    DateOnly? AssessedOn,
    DateOnly? ValidUntil,
    int? Score,
    string? CmmcLevel2,
    IReadOnlyList<UnverifiedLetter> Unverified,
    bool PublishesMatrix,
    int Claims,
    int Covers,
    int? EffectiveScore,
    string? EffectiveCmmcLevel2,
    int? ScoreChange,
    int? Organizations,
    int? OrganizationsAfter);

/// <summary>
/// Switching providers: what each candidate would mean for a customer. Each candidate replaces one current provider in the customer's
/// inheritance (<see cref="CoveringProviders"/>, <see cref="ApplyInheritance"/>): the customer's own assessment, what its other providers
/// cover, and what the candidate's matrix claims while its verified letter holds.
/// </summary>
public static class CompareCandidates
{
    public static CandidateComparison For(PortfolioGraph graph, string customerId, Assessment own, IReadOnlyDictionary<string, ResponsibilityMatrix> matrices,
        IReadOnlyDictionary<string, LetterState> letters, string? replacing, IReadOnlyList<CandidateProvider> candidates, DateOnly asOf,
        int? currentOrganizations = null)
    {
        var node = graph.IndexOf(customerId);
        if (node < 0 || graph.Organization(customerId) is null)
            throw new BadInputException($"unknown organization '{customerId}'; the portfolio has no such organization");
        var replaced = Replaced(graph, node, customerId, replacing);
        var today = CoveringProviders.Coverage(graph, node, matrices, letters);
        var current = ApplyInheritance.Apply(own, today, asOf);
        var ownScore = ScoreAssessment.Score(own);
        var others = today.Where(c => c.Provider != replaced).ToArray();

        CandidateStanding? standing = null;
        if (replaced is not null)
        {
            var org = graph.Organization(replaced)!;
            var letter = letters.GetValueOrDefault(replaced);
            standing = new CandidateStanding(replaced, org.Name, Attestation(letter, asOf), letter?.LetterId, letter?.ValidUntil, letter?.Score, letter?.CmmcLevel2,
                Covered(current.Report, replaced), currentOrganizations);
        }

        var rows = new List<CandidateRow>(candidates.Count);
        foreach (var candidate in candidates)
        {
            // The candidate stands under its own id so that its claims never merge with a current provider's of the same portfolio id.
            var id = "candidate:" + candidate.Id;
            var letter = candidate.Letter is { } l ? l with { Provider = id } : null;
            ProviderCoverage[] coverage = candidate.Matrix is { } m ? [.. others, new ProviderCoverage(m with { Provider = id }, letter)] : others;
            var result = ApplyInheritance.Apply(own, coverage, asOf);
            var claims = candidate.Matrix is { } matrix ? Claimed(matrix, own) : 0;
            var attestation = letter is null ? candidate.Unverified.Count > 0 ? "unverifiable" : "none" : Attestation(letter, asOf);
            rows.Add(new CandidateRow(
                candidate.Id, candidate.Name, candidate.Page, candidate.Remote, attestation, letter?.LetterId, letter?.Issuer, letter?.AssessedOn, letter?.ValidUntil,
                letter?.Score, letter?.CmmcLevel2, candidate.Unverified, candidate.Matrix is not null, claims, Covered(result.Report, id),
                result.Score.Score, result.Score.Cmmc.Level2.Status, result.Score.Score - current.Score.Score,
                candidate.Organizations, candidate.Organizations + 1));
        }
        return new CandidateComparison(customerId, asOf, standing, ownScore.Score, ownScore.Cmmc.Level2.Status, current.Score.Score, current.Score.Cmmc.Level2.Status, rows);
    }

    /// <summary>The provider a candidate replaces: the one named, else the customer's only managed service provider, else its only provider.</summary>
    private static string? Replaced(PortfolioGraph graph, int node, string customerId, string? replacing)
    {
        var providers = new List<Organization>();
        foreach (var r in graph.RelationshipsOfCustomer(node))
            if (graph.Organization(graph.Portfolio.Relationships[r].Provider) is { } p && !providers.Contains(p)) providers.Add(p);
        if (replacing is not null)
            return providers.FirstOrDefault(p => p.Id == replacing || string.Equals(p.Name, replacing, StringComparison.OrdinalIgnoreCase))?.Id
                ?? throw new BadInputException($"'{replacing}' is not one of {customerId}'s providers; they are {(providers.Count == 0 ? "none" : string.Join(", ", providers.Select(p => p.Id)))}",
                    path: "replacing");
        if (providers.Count == 0) return null;
        var msps = providers.Where(p => p.Kind == OrganizationKind.Msp).ToArray();
        if (msps.Length == 1) return msps[0].Id;
        if (providers.Count == 1) return providers[0].Id;
        throw new BadInputException($"{customerId} has several providers ({string.Join(", ", providers.Select(p => p.Id))}): name the one a candidate would replace", path: "replacing");
    }

    private static string Attestation(LetterState? letter, DateOnly asOf) => letter?.Check(asOf) switch
    {
        null => "none",
        InheritanceCause.Holds => "valid",
        InheritanceCause.LetterRevoked => "revoked",
        InheritanceCause.LetterExpired => "expired",
        _ => "unverifiable",
    };

    /// <summary>Requirements a provider's claim holds for (it is the only claimant or all claimants hold).</summary>
    private static int Covered(InheritanceReport report, string provider) =>
        report.Requirements.Count(r => r.Holds && r.Own != Status.NotApplicable && r.Providers.Any(p => p.Provider == provider));

    private static int Claimed(ResponsibilityMatrix matrix, Assessment own)
    {
        var catalog = Resolution.Resolve(own).Catalog;
        return matrix.Compile(catalog) is { } compiled ? compiled.Count(r => r != Responsibility.Customer) : 0;
    }
}
