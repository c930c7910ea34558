using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Core.Tests.Assessments;
using Custodes.SupplyChain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodes.Core.Tests.SupplyChain;

public sealed class RecomputeTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private static LetterState Letter(string provider, bool revoked = false) => new()
    {
        LetterId = $"letter-{provider}", Provider = provider, Revoked = revoked, ValidUntil = new DateOnly(2027, 12, 31), Framework = Frameworks.NistR2,
        MetRequirements = CatalogSet.NistR2.Requirements.Select(r => r.Id).ToHashSet(),
    };

    private static InheritanceSnapshot DentalSnapshot()
    {
        var portfolio = Samples.DentalMsp();
        var matrices = new Dictionary<string, ResponsibilityMatrix>
        {
            ["frontrange-it"] = DocumentFiles.ReadResponsibilityMatrix(Samples.Path("samples", "portfolio", "crm-frontrange-it.yaml")),
        };
        var own = DocumentFiles.ReadAssessment(Samples.Path("samples", "portfolio", "dental-001-assessment.yaml")).Assessment;
        var assessments = portfolio.Organizations.Where(o => o.Id.StartsWith("dental-", StringComparison.Ordinal))
            .ToDictionary(o => o.Id, o => CompactAssessment.From(own with { Organization = o.Id }));
        return new InheritanceSnapshot(PortfolioGraph.Build(portfolio), assessments, matrices, new Dictionary<string, LetterState> { ["frontrange-it"] = Letter("frontrange-it") });
    }

    [Fact]
    public void Revocation_of_the_msps_letter_changes_every_practice_that_inherits_from_it()
    {
        var changes = RecomputeAfterLetterChange.Run(DentalSnapshot(), Letter("frontrange-it", revoked: true), Today);
        Assert.Equal(10, changes.Count);
        var first = changes[0];
        Assert.Equal("dental-001", first.Customer);
        Assert.Equal(InheritanceCause.LetterRevoked, first.Cause);
        Assert.True(first.ScoreAfter < first.ScoreBefore);
        Assert.Contains("3.8.9", first.Requirements);
        Assert.DoesNotContain("3.2.1", first.Requirements);
    }

    [Fact]
    public void Recompute_before_and_after_match_applying_inheritance_to_the_full_assessment()
    {
        var snapshot = DentalSnapshot();
        var own = DocumentFiles.ReadAssessment(Samples.Path("samples", "portfolio", "dental-001-assessment.yaml")).Assessment;
        var matrix = snapshot.Matrices["frontrange-it"];
        var change = RecomputeAfterLetterChange.Run(snapshot, Letter("frontrange-it", revoked: true), Today).Single(c => c.Customer == "dental-001");
        Assert.Equal(ApplyInheritance.Apply(own, [new ProviderCoverage(matrix, Letter("frontrange-it"))], Today).Score.Score, change.ScoreBefore);
        Assert.Equal(ApplyInheritance.Apply(own, [new ProviderCoverage(matrix, Letter("frontrange-it", revoked: true))], Today).Score.Score, change.ScoreAfter);
    }

    [Fact]
    public void A_letter_change_that_changes_nothing_reports_nobody()
    {
        Assert.Empty(RecomputeAfterLetterChange.Run(DentalSnapshot(), Letter("frontrange-it") with { LetterId = "renewed" }, Today));
    }

    [Fact]
    public void Customers_of_other_providers_are_not_recomputed()
    {
        Assert.Empty(RecomputeAfterLetterChange.Run(DentalSnapshot(), Letter("stratus-cloud", revoked: true), Today));
    }

    [Property(MaxTest = 100)]
    public Property Recompute_agrees_with_apply_inheritance_on_random_coverage() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var ids = CatalogSet.NistR2.Requirements.Select(r => r.Id).ToArray();
            var overrides = ids.Where(_ => random.Next(4) == 0).Select(id => (id, (Status)random.Next(4))).ToArray();
            var own = SampleAssessments.AllMet(Frameworks.NistR2, true, overrides);
            var providers = new[] { "a", "b" };
            var matrices = providers.ToDictionary(p => p, p => new ResponsibilityMatrix
            {
                Provider = p, Framework = Frameworks.NistR2,
                Requirements = ids.Where(_ => random.Next(5) == 0).ToDictionary(id => id, _ => new CrmEntry((Responsibility)random.Next(3), "x")),
            });
            var letters = providers.ToDictionary(p => p, p => Letter(p) with { MetRequirements = ids.Where(_ => random.Next(6) != 0).ToHashSet() });
            var portfolio = new Portfolio
            {
                Organizations = [new Organization { Id = "a", Name = "A", Kind = OrganizationKind.Msp }, new Organization { Id = "b", Name = "B", Kind = OrganizationKind.CloudProvider }, new Organization { Id = "c", Name = "C", Kind = OrganizationKind.Customer }],
                Relationships = [new Relationship { Customer = "c", Provider = "a" }, new Relationship { Customer = "c", Provider = "b" }],
            };
            var snapshot = new InheritanceSnapshot(PortfolioGraph.Build(portfolio), new Dictionary<string, CompactAssessment> { ["c"] = CompactAssessment.From(own) }, matrices, letters);
            var revoked = letters["a"] with { Revoked = true };
            var changes = RecomputeAfterLetterChange.Run(snapshot, revoked, Today);
            var before = ApplyInheritance.Apply(own, providers.Select(p => new ProviderCoverage(matrices[p], letters[p])).ToArray(), Today).Score;
            var after = ApplyInheritance.Apply(own, [new ProviderCoverage(matrices["a"], revoked), new ProviderCoverage(matrices["b"], letters["b"])], Today).Score;
            var changed = before.Score != after.Score || before.Cmmc.Level1.Status != after.Cmmc.Level1.Status || before.Cmmc.Level2.Status != after.Cmmc.Level2.Status;
            return changed
                ? changes.Count == 1 && changes[0].ScoreBefore == before.Score && changes[0].ScoreAfter == after.Score && changes[0].CmmcLevel2After == after.Cmmc.Level2.Status
                : changes.Count == 0;
        });

    [Fact]
    public void Synthetic_supply_chain_is_a_valid_portfolio_and_recomputes_its_largest_provider()
    {
        var chain = SyntheticSupplyChain.Generate(providers: 200, customers: 5_000, relationships: 20_000);
        ValidatePortfolio.Check(chain.Portfolio);
        Assert.Equal(20_000, chain.Portfolio.Relationships.Count);
        var graph = PortfolioGraph.Build(chain.Portfolio);
        var largest = chain.LargestProvider(graph);
        // How fast this runs is measured in bench/ (StoredRecomputeBenchmarks), not here.
        var changes = RecomputeAfterLetterChange.Run(new InheritanceSnapshot(graph, chain.Assessments, chain.Matrices, chain.Letters), chain.Letters[largest] with { Revoked = true }, Today);
        Assert.NotEmpty(changes);
        Assert.All(changes, c => Assert.True(c.ScoreAfter <= c.ScoreBefore));
        Assert.True(ComputeBlastRadius.For(graph, largest).TotalCustomers >= graph.RelationshipsOfProvider(graph.IndexOf(largest)).Length);
    }
}
