using System.Text;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Core.Tests.Assessments;
using Custodes.SupplyChain;

namespace Custodes.Core.Tests.SupplyChain;

public sealed class InheritanceTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private static ResponsibilityMatrix Matrix(string provider, params (string Id, Responsibility R)[] entries) => new()
    {
        Provider = provider,
        Framework = Frameworks.NistR2,
        Requirements = entries.ToDictionary(e => e.Id, e => new CrmEntry(e.R, $"{provider} does {e.Id}")),
    };

    private static LetterState Letter(string provider, bool revoked = false, bool expired = false, bool signature = true, DateOnly? validUntil = null, params string[] notMet) => new()
    {
        LetterId = $"letter-{provider}",
        Provider = provider,
        Revoked = revoked,
        Expired = expired,
        SignatureValid = signature,
        ValidUntil = validUntil ?? new DateOnly(2027, 10, 1),
        Framework = Frameworks.NistR2,
        MetRequirements = CatalogSet.NistR2.Requirements.Select(r => r.Id).Except(notMet).ToHashSet(),
    };

    private static Custodes.Assessments.Assessment Practice(params (string, Status)[] overrides) => SampleAssessments.AllMet(Frameworks.NistR2, true, overrides);

    private static InheritanceResult Inherit(Custodes.Assessments.Assessment customer, params ProviderCoverage[] providers) =>
        ApplyInheritance.Apply(customer, providers, Today);

    [Fact]
    public void Inherited_requirement_counts_as_met_while_the_letter_holds()
    {
        var result = Inherit(Practice(SampleAssessments.NotMet("3.8.9")), new ProviderCoverage(Matrix("msp", ("3.8.9", Responsibility.Provider)), Letter("msp")));
        Assert.Equal(Status.Met, result.Effective.Requirements["3.8.9"].Status);
        Assert.Equal(110, result.Score.Score);
        var inherited = Assert.Single(result.Report.Requirements);
        Assert.True(inherited.Holds);
        Assert.Equal(Status.NotMet, inherited.Own);
    }

    [Fact]
    public void Inherited_requirement_counts_as_not_met_after_revocation()
    {
        var result = Inherit(Practice(), new ProviderCoverage(Matrix("msp", ("3.8.9", Responsibility.Provider)), Letter("msp", revoked: true)));
        Assert.Equal(Status.NotMet, result.Effective.Requirements["3.8.9"].Status);
        Assert.Equal(109, result.Score.Score);
        Assert.Equal(InheritanceCause.LetterRevoked, result.Report.Requirements[0].Providers[0].Cause);
        Assert.Contains("letter-revoked", result.Effective.Requirements["3.8.9"].Note);
    }

    [Theory]
    [InlineData(false, true, true, null, InheritanceCause.LetterExpired)]
    [InlineData(false, false, true, "2026-11-30", InheritanceCause.LetterExpired)]
    [InlineData(false, false, false, null, InheritanceCause.SignatureInvalid)]
    [InlineData(true, false, false, null, InheritanceCause.SignatureInvalid)]
    [InlineData(true, true, true, null, InheritanceCause.LetterRevoked)]
    public void Letter_that_cannot_be_relied_on_names_why(bool revoked, bool expired, bool signature, string? validUntil, InheritanceCause cause)
    {
        var letter = Letter("msp", revoked, expired, signature, validUntil is null ? null : DateOnly.Parse(validUntil, System.Globalization.CultureInfo.InvariantCulture));
        var result = Inherit(Practice(), new ProviderCoverage(Matrix("msp", ("3.14.1", Responsibility.Provider)), letter));
        Assert.Equal(cause, result.Report.Requirements[0].Providers[0].Cause);
        Assert.Equal(Status.NotMet, result.Effective.Requirements["3.14.1"].Status);
    }

    [Fact]
    public void Inherited_requirement_the_provider_did_not_meet_counts_as_not_met()
    {
        var result = Inherit(Practice(), new ProviderCoverage(Matrix("msp", ("3.14.1", Responsibility.Provider), ("3.14.2", Responsibility.Provider)), Letter("msp", notMet: "3.14.1")));
        Assert.Equal(Status.NotMet, result.Effective.Requirements["3.14.1"].Status);
        Assert.Equal(Status.Met, result.Effective.Requirements["3.14.2"].Status);
        Assert.Equal(InheritanceCause.NotMetByProvider, result.Report.Requirements.Single(r => r.Id == "3.14.1").Providers[0].Cause);
        Assert.Equal(1, result.Report.Failing);
        Assert.Equal(1, result.Report.Holding);
    }

    [Fact]
    public void Provider_without_a_letter_covers_nothing()
    {
        var result = Inherit(Practice(), new ProviderCoverage(Matrix("msp", ("3.14.1", Responsibility.Provider)), null));
        Assert.Equal(InheritanceCause.NoLetter, result.Report.Requirements[0].Providers[0].Cause);
        Assert.Equal(Status.NotMet, result.Effective.Requirements["3.14.1"].Status);
    }

    [Fact]
    public void Shared_requirement_needs_the_customers_own_determination_too()
    {
        var coverage = new ProviderCoverage(Matrix("msp", ("3.5.3", Responsibility.Shared), ("3.3.1", Responsibility.Shared), ("3.3.2", Responsibility.Shared)), Letter("msp"));
        var customer = SampleAssessments.With(Frameworks.NistR2, true,
            ("3.5.3", new Finding { Status = Status.NotMet, Partial = PartialValues.MfaRemoteAndPrivilegedOnly }),
            ("3.3.1", Finding.Of(Status.Unassessed)));
        var result = Inherit(customer, coverage);
        Assert.Equal(Status.NotMet, result.Effective.Requirements["3.5.3"].Status);
        Assert.Equal(PartialValues.MfaRemoteAndPrivilegedOnly, result.Effective.Requirements["3.5.3"].Partial); // the customer's own partial stands
        Assert.Equal(Status.Unassessed, result.Effective.Requirements["3.3.1"].Status);
        Assert.Equal(Status.Met, result.Effective.Requirements["3.3.2"].Status);
        Assert.Equal(110 - 3 - 5, result.Score.Score);
    }

    [Fact]
    public void Shared_requirement_is_not_met_when_the_providers_part_fails()
    {
        var result = Inherit(Practice(), new ProviderCoverage(Matrix("msp", ("3.3.1", Responsibility.Shared)), Letter("msp", expired: true)));
        Assert.Equal(Status.NotMet, result.Effective.Requirements["3.3.1"].Status);
    }

    [Fact]
    public void Customers_own_not_applicable_stands_whatever_the_provider()
    {
        var result = Inherit(Practice(("3.1.16", Status.NotApplicable)), new ProviderCoverage(Matrix("msp", ("3.1.16", Responsibility.Provider)), Letter("msp", revoked: true)));
        Assert.Equal(Status.NotApplicable, result.Effective.Requirements["3.1.16"].Status);
    }

    [Fact]
    public void Requirement_claimed_by_two_providers_holds_only_when_both_hold()
    {
        var msp = new ProviderCoverage(Matrix("msp", ("3.13.1", Responsibility.Provider)), Letter("msp"));
        var cloud = new ProviderCoverage(Matrix("cloud", ("3.13.1", Responsibility.Provider)), Letter("cloud", revoked: true));
        var result = Inherit(Practice(), msp, cloud);
        var inherited = Assert.Single(result.Report.Requirements);
        Assert.False(inherited.Holds);
        Assert.Equal(["msp", "cloud"], inherited.Providers.Select(p => p.Provider));
        Assert.Equal(Status.NotMet, result.Effective.Requirements["3.13.1"].Status);
    }

    [Fact]
    public void Effective_assessment_notes_the_inheritance_and_cites_the_letter()
    {
        var result = Inherit(Practice(), new ProviderCoverage(Matrix("msp", ("3.8.9", Responsibility.Provider)), Letter("msp")));
        var finding = result.Effective.Requirements["3.8.9"];
        Assert.Equal("inherited from msp (provider, letter letter-msp): holds", finding.Note);
        Assert.Contains("letter:letter-msp", finding.Evidence);
        Assert.Null(result.Effective.Requirements["3.1.1"].Note); // not inherited: the customer's own finding, unchanged
    }

    [Fact]
    public void Objective_level_matrix_folds_into_the_requirement_and_replaces_its_objective_findings()
    {
        var matrix = new ResponsibilityMatrix
        {
            Provider = "msp",
            Framework = Frameworks.NistR2,
            Objectives = new Dictionary<string, CrmEntry>
            {
                ["3.1.3[a]"] = new(Responsibility.Provider, "x"),
                ["3.1.3[b]"] = new(Responsibility.Provider, "x"),
                ["3.1.3[c]"] = new(Responsibility.Provider, "x"),
                ["3.1.3[d]"] = new(Responsibility.Provider, "x"),
                ["3.1.3[e]"] = new(Responsibility.Provider, "x"),
                ["3.13.1[a]"] = new(Responsibility.Provider, "x"),
            },
        };
        Assert.Equal(Responsibility.Provider, matrix.For(CatalogSet.NistR2.Find("3.1.3")!));
        Assert.Equal(Responsibility.Shared, matrix.For(CatalogSet.NistR2.Find("3.13.1")!));
        var customer = Practice() with
        {
            Requirements = Practice().Requirements.Where(r => r.Key != "3.1.3").ToDictionary(),
            Objectives = new Dictionary<string, Finding> { ["3.1.3[a]"] = Finding.Of(Status.NotMet) },
        };
        var result = Inherit(customer, new ProviderCoverage(matrix, Letter("msp")));
        Assert.Equal(Status.Met, result.Effective.Requirements["3.1.3"].Status);
        Assert.Empty(result.Effective.Objectives);
        Assert.Equal(Status.Met, Resolution.Resolve(result.Effective).StatusOf("3.1.3"));
    }

    [Fact]
    public void Revocation_can_take_away_a_cmmc_status()
    {
        var coverage = (bool revoked) => new ProviderCoverage(Matrix("msp", ("3.1.20", Responsibility.Provider)), Letter("msp", revoked: revoked));
        Assert.Equal("final", Inherit(Practice(), coverage(false)).Score.Cmmc.Level2.Status);
        var after = Inherit(Practice(), coverage(true)).Score;
        Assert.Equal("no-status", after.Cmmc.Level2.Status);
        Assert.Contains("3.1.20", after.Cmmc.Level2.PoamIneligible);
    }

    [Fact]
    public void Crm_file_is_read_and_unknown_requirement_is_located()
    {
        var matrix = DocumentFiles.ReadResponsibilityMatrix(Samples.Path("samples", "portfolio", "crm-frontrange-it.yaml"));
        Assert.Equal("frontrange-it", matrix.Provider);
        Assert.Equal(Responsibility.Provider, matrix.Requirements["3.8.9"].Responsibility);
        Assert.Equal(Responsibility.Shared, matrix.For(CatalogSet.NistR2.Find("3.13.1")!));
        var e = Assert.Throws<BadInputException>(() => ParseCrm("requirements:\n  \"3.8.99\": {responsibility: provider, description: x}\n"));
        Assert.Equal("$.requirements['3.8.99']", e.Path);
        Assert.Equal(6, e.Line);
    }

    [Theory]
    [InlineData("requirements:\n  \"3.8.9\": provider\n", "needs a description")]
    [InlineData("requirements:\n  \"3.8.9\": {responsibility: vendor, description: x}\n", "unknown responsibility 'vendor'")]
    [InlineData("requirements:\n  \"3.1.3\": customer\nobjectives:\n  \"3.1.3[a]\": customer\n", "either for the requirement or for its objectives")]
    [InlineData("objectives:\n  \"3.1.3[z]\": customer\n", "unknown objective '3.1.3[z]'")]
    public void Crm_file_rejects_what_it_cannot_rely_on(string body, string message)
    {
        var e = Assert.Throws<BadInputException>(() => ParseCrm(body));
        Assert.Contains(message, e.Message);
        Assert.NotNull(e.Line);
    }

    [Fact]
    public void Letter_status_file_is_read_with_not_met_as_the_complement()
    {
        var letters = DocumentFiles.ReadLetterStatuses(Samples.Path("samples", "portfolio", "letters.yaml"));
        var msp = letters.Single(l => l.Provider == "frontrange-it");
        Assert.Equal(108, msp.MetRequirements.Count);
        Assert.DoesNotContain("3.1.20", msp.MetRequirements);
        Assert.Equal(InheritanceCause.LetterRevoked, letters.Single(l => l.Provider == "stratus-cloud").Check(Today));
        var e = Assert.Throws<BadInputException>(() => LetterStatusFile.Parse(Encoding.UTF8.GetBytes(
            "schema: custodes.letter-status/v1\nletters:\n  - {letter_id: a, provider: p, met: [3.1.1, 9.9.9]}\n"), "l.yaml"));
        Assert.Contains("unknown requirement '9.9.9'", e.Message);
        Assert.Equal(3, e.Line);
    }

    private static ResponsibilityMatrix ParseCrm(string body) => ResponsibilityMatrixFile.Parse(Encoding.UTF8.GetBytes(
        "schema: custodes.crm/v1\nprovider: msp\nframework: nist-sp800-171r2\n# entries\n" + body), "crm.yaml");
}
