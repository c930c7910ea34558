using Custodes.Catalogs;
using Custodes.SupplyChain;

namespace Custodes.Core.Tests.SupplyChain;

public sealed class ProviderComparisonTests
{
    [Fact]
    public void Data_class_requirement_sets_name_only_catalog_requirements()
    {
        foreach (var set in new[] { DataClassRequirements.MspEssentials, DataClassRequirements.Phi, DataClassRequirements.Pci, DataClassRequirements.Pii })
            Assert.All(set, id => Assert.NotNull(CatalogSet.NistR2.Find(id)));
        Assert.Equal(110, DataClassRequirements.For(DataClasses.Cui).Count);
        Assert.Superset(CatalogSet.NistR2.Requirements.Where(r => r.Level1).Select(r => r.Id).ToHashSet(), (HashSet<string>)DataClassRequirements.For(DataClasses.Fci));
    }

    [Fact]
    public void Comparison_shows_attestation_score_and_gaps_that_matter_for_the_customers_data()
    {
        var graph = PortfolioGraph.Build(Samples.DentalMsp());
        var letters = DocumentFiles.ReadLetterStatuses(Samples.Path("samples", "portfolio", "letters.yaml")).ToDictionary(l => l.Provider);
        var postures = letters.ToDictionary(l => l.Key, l => new ProviderPosture(l.Key, l.Value));
        var comparison = CompareProviders.For(graph, "dental-002", postures, new DateOnly(2026, 12, 1));
        Assert.Equal(["chartwell-software", "frontrange-it"], comparison.Providers.Select(p => p.Provider));
        var msp = comparison.Providers.Single(p => p.Provider == "frontrange-it");
        Assert.Equal("valid", msp.Attestation);
        Assert.Equal(102, msp.Score);
        Assert.Equal("conditional", msp.CmmcLevel2);
        Assert.Equal(new DateOnly(2026, 10, 1), msp.LastIndependentAssessment);
        Assert.Equal(["3.13.11"], msp.RelevantUnmet); // 3.1.20 is not met either, but matters neither for PHI nor PII
        var vendor = comparison.Providers.Single(p => p.Provider == "chartwell-software");
        Assert.Equal("none", vendor.Attestation);
        Assert.Null(vendor.LastIndependentAssessment);

        var cui = CompareProviders.For(graph, "aerotech-machining", postures, new DateOnly(2026, 12, 1)).Providers.Single();
        Assert.Equal("revoked", cui.Attestation);
    }

    [Fact]
    public void A_candidate_replaces_the_customers_msp_and_covers_only_what_its_matrix_claims_while_its_letter_holds()
    {
        var graph = PortfolioGraph.Build(Samples.DentalMsp());
        var letters = DocumentFiles.ReadLetterStatuses(Samples.Path("samples", "portfolio", "letters.yaml")).ToDictionary(l => l.Provider);
        var matrix = DocumentFiles.ReadResponsibilityMatrix(Samples.Path("samples", "portfolio", "crm-frontrange-it.yaml"));
        var matrices = new Dictionary<string, ResponsibilityMatrix> { [matrix.Provider] = matrix };
        var own = DocumentFiles.ReadAssessment(Samples.Path("samples", "portfolio", "dental-001-assessment.yaml")).Assessment;
        var asOf = new DateOnly(2026, 12, 1);
        var same = new CandidateProvider { Id = "same", Name = "Same as today", Page = "/trust/same", Letter = letters["frontrange-it"], Matrix = matrix, Organizations = 4 };
        var bare = new CandidateProvider { Id = "bare", Name = "No matrix", Page = "/trust/bare", Letter = letters["frontrange-it"] };
        var forged = new CandidateProvider { Id = "forged", Name = "Unverified", Page = "https://x.example/trust/forged.json", Remote = true, Matrix = matrix,
            Unverified = [new UnverifiedLetter("0193", "the letter's signature does not verify")] };

        var comparison = CompareCandidates.For(graph, "dental-002", own, matrices, letters, null, [same, bare, forged], asOf);

        Assert.Equal("frontrange-it", comparison.Replacing!.Provider); // the only MSP among its two providers
        Assert.True(comparison.CurrentScore > comparison.OwnScore);
        var (twin, none, refused) = (comparison.Candidates[0], comparison.Candidates[1], comparison.Candidates[2]);
        // The same matrix and letter as today: the same coverage and score, and the blast radius grows by the customer.
        Assert.Equal(comparison.Replacing.Covers, twin.Covers);
        Assert.Equal(comparison.CurrentScore, twin.EffectiveScore);
        Assert.Equal(0, twin.ScoreChange);
        Assert.Equal(5, twin.OrganizationsAfter);
        // Without a matrix a candidate covers nothing: the customer keeps its own determinations.
        Assert.False(none.PublishesMatrix);
        Assert.Equal(0, none.Covers);
        Assert.Equal(comparison.OwnScore, none.EffectiveScore);
        Assert.Equal("unverifiable", refused.Attestation);
        Assert.True(refused.Claims > 0);
        Assert.Equal(0, refused.Covers);
        // Without a verified letter, what its matrix takes on is unproven, so not met (the inheritance rule): worse than the customer alone.
        Assert.True(refused.EffectiveScore < comparison.OwnScore, $"{refused.EffectiveScore} with an unverified provider, {comparison.OwnScore} alone");
        Assert.Null(refused.OrganizationsAfter);

        var unknown = Assert.Throws<Custodes.Common.BadInputException>(() => CompareCandidates.For(graph, "dental-002", own, matrices, letters, "nobody", [same], asOf));
        Assert.Equal("replacing", unknown.Path);
        Assert.Contains("chartwell-software", unknown.Message);
    }
}
