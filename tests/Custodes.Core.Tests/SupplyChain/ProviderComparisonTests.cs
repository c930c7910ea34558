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
}
