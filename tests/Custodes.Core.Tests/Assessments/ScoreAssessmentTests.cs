using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;
using static Custodes.Core.Tests.Assessments.SampleAssessments;

namespace Custodes.Core.Tests.Assessments;

public sealed class ScoreAssessmentTests
{
    [Fact]
    public void All_met_with_an_SSP_scores_110_and_is_final_at_both_levels()
    {
        var report = ScoreAssessment.Score(AllMet());
        Assert.Equal(110, report.Score);
        Assert.True(report.Complete);
        Assert.Empty(report.Deductions);
        Assert.Equal(new StatusCounts(110, 0, 0, 0), report.Counts);
        Assert.Equal(CmmcStatuses.Final, report.Cmmc.Level1.Status);
        Assert.Equal(CmmcStatuses.Final, report.Cmmc.Level2.Status);
        Assert.Null(report.Cmmc.Level2.CloseoutDue);
        Assert.Empty(report.Errors);
        Assert.Equal((110, -203), (report.Max, report.Min));
    }

    [Theory]
    [InlineData("3.1.1", 5)]
    [InlineData("3.1.3", 1)]
    [InlineData("3.7.4", 3)]
    [InlineData("3.14.5", 3)]
    [InlineData("3.5.3", 5)]
    [InlineData("3.13.11", 5)]
    public void Score_subtracts_the_requirements_DoD_points(string id, int points)
    {
        var report = ScoreAssessment.Score(AllMet(overrides: NotMet(id)));
        Assert.Equal(110 - points, report.Score);
        Assert.Equal([new Deduction(id, points)], report.Deductions);
        Assert.Equal("not-met", report.Requirements[id]);
    }

    [Fact]
    public void Score_subtracts_three_for_partial_MFA()
    {
        var report = ScoreAssessment.Score(With(Frameworks.NistR2, true, Partial("3.5.3", "mfa-remote-and-privileged-only")));
        Assert.Equal(107, report.Score);
        Assert.Equal([new Deduction("3.5.3", 3)], report.Deductions);
    }

    [Fact]
    public void Score_subtracts_three_for_encryption_that_is_not_FIPS_validated()
    {
        var report = ScoreAssessment.Score(With(Frameworks.NistR2, true, Partial("3.13.11", "encryption-not-fips-validated")));
        Assert.Equal(107, report.Score);
    }

    [Fact]
    public void Not_applicable_counts_as_met()
    {
        var report = ScoreAssessment.Score(AllMet(overrides: ("3.1.22", Status.NotApplicable)));
        Assert.Equal(110, report.Score);
        Assert.Equal(1, report.Counts.NotApplicable);
        Assert.Equal(CmmcStatuses.Final, report.Cmmc.Level2.Status);
    }

    [Fact]
    public void Unassessed_counts_as_not_met_and_makes_the_assessment_incomplete()
    {
        var report = ScoreAssessment.Score(AllMet(overrides: ("3.1.1", Status.Unassessed)));
        Assert.Equal(105, report.Score);
        Assert.False(report.Complete);
        Assert.Equal(1, report.Counts.Unassessed);
        Assert.Equal("unassessed", report.Requirements["3.1.1"]);
        Assert.Equal([new Deduction("3.1.1", 5)], report.Deductions);
    }

    [Fact]
    public void Without_an_SSP_no_score_is_given()
    {
        var report = ScoreAssessment.Score(AllMet(ssp: false));
        Assert.Null(report.Score);
        Assert.Contains(report.Errors, e => e.Contains("system security plan"));
        Assert.Equal(CmmcStatuses.NoStatus, report.Cmmc.Level2.Status);
    }

    [Fact]
    public void SSP_requirement_not_met_means_no_score_even_when_ssp_is_true()
    {
        var report = ScoreAssessment.Score(AllMet(overrides: NotMet("3.12.4")));
        Assert.Null(report.Score);
        Assert.Contains(report.Errors, e => e.Contains("3.12.4"));
        Assert.Equal([new Deduction("3.12.4", 0)], report.Deductions);
    }

    [Fact]
    public void SSP_is_taken_from_3_12_4_when_the_file_does_not_say()
    {
        Assert.Equal(110, ScoreAssessment.Score(AllMet(ssp: null)).Score);
        Assert.Null(ScoreAssessment.Score(AllMet(ssp: null, overrides: ("3.12.4", Status.Unassessed))).Score);
    }

    [Fact]
    public void Nothing_met_scores_the_minimum()
    {
        var everything = CatalogSet.NistR2.Requirements.Where(r => r.Id != "3.12.4").Select(r => NotMet(r.Id)).ToArray();
        var report = ScoreAssessment.Score(AllMet(overrides: everything));
        Assert.Equal(-203, report.Score);
        Assert.Equal(109, report.Deductions.Count);
    }

    [Fact]
    public void Level1_is_final_only_when_all_17_are_met_and_names_what_blocks_it()
    {
        var report = ScoreAssessment.Score(AllMet(overrides: [NotMet("3.1.1"), NotMet("3.1.3")]));
        Assert.Equal(CmmcStatuses.NoStatus, report.Cmmc.Level1.Status);
        Assert.Equal(["3.1.1"], report.Cmmc.Level1.Blocking);
    }

    [Fact]
    public void Level2_is_conditional_when_only_one_point_requirements_are_unmet_with_closeout_in_180_days()
    {
        var report = ScoreAssessment.Score(AllMet(overrides: [NotMet("3.1.3"), NotMet("3.1.4")]));
        Assert.Equal(108, report.Score);
        Assert.Equal(CmmcStatuses.Conditional, report.Cmmc.Level2.Status);
        Assert.Equal(new DateOnly(2027, 3, 30), report.Cmmc.Level2.CloseoutDue);
        Assert.Empty(report.Cmmc.Level2.PoamIneligible);
    }

    [Fact]
    public void Level2_has_no_status_when_a_three_or_five_point_requirement_is_unmet()
    {
        var report = ScoreAssessment.Score(AllMet(overrides: NotMet("3.7.4")));
        Assert.Equal(107, report.Score);
        Assert.Equal(CmmcStatuses.NoStatus, report.Cmmc.Level2.Status);
        Assert.Equal(["3.7.4"], report.Cmmc.Level2.PoamIneligible);
        Assert.Null(report.Cmmc.Level2.CloseoutDue);
    }

    [Fact]
    public void Unvalidated_encryption_may_go_on_the_POAM_but_missing_encryption_may_not()
    {
        Assert.Equal(CmmcStatuses.Conditional, ScoreAssessment.Score(With(Frameworks.NistR2, true, Partial("3.13.11", "encryption-not-fips-validated"))).Cmmc.Level2.Status);
        Assert.Equal(CmmcStatuses.NoStatus, ScoreAssessment.Score(AllMet(overrides: NotMet("3.13.11"))).Cmmc.Level2.Status);
        Assert.Equal(CmmcStatuses.NoStatus, ScoreAssessment.Score(With(Frameworks.NistR2, true, Partial("3.5.3", "mfa-remote-and-privileged-only"))).Cmmc.Level2.Status);
    }

    [Theory]
    [InlineData("3.1.20")]
    [InlineData("3.1.22")]
    [InlineData("3.10.3")]
    [InlineData("3.10.4")]
    [InlineData("3.10.5")]
    public void Requirements_CMMC_never_allows_on_a_POAM_block_conditional_status(string id)
    {
        var report = ScoreAssessment.Score(AllMet(overrides: NotMet(id)));
        Assert.Equal(109, report.Score);
        Assert.Equal(CmmcStatuses.NoStatus, report.Cmmc.Level2.Status);
        Assert.Equal([id], report.Cmmc.Level2.PoamIneligible);
    }

    [Fact]
    public void Level2_needs_a_score_of_at_least_88_for_conditional()
    {
        var onePointers = CatalogSet.NistR2.Requirements.Where(r => r.Points == 1 && !Custodes.Assessments.Poam.PoamRules.NeverOnPoam.Contains(r.Id)).Select(r => r.Id).ToArray();
        var at88 = ScoreAssessment.Score(AllMet(overrides: onePointers.Take(22).Select(NotMet).ToArray()));
        var at87 = ScoreAssessment.Score(AllMet(overrides: onePointers.Take(23).Select(NotMet).ToArray()));
        Assert.Equal((88, CmmcStatuses.Conditional), (at88.Score!.Value, at88.Cmmc.Level2.Status));
        Assert.Equal((87, CmmcStatuses.NoStatus), (at87.Score!.Value, at87.Cmmc.Level2.Status));
    }

    [Fact]
    public void Cmmc_level2_framework_scores_like_r2()
    {
        var report = ScoreAssessment.Score(AllMet(Frameworks.CmmcL2, overrides: NotMet("3.1.1")));
        Assert.Equal(105, report.Score);
        Assert.Equal("cmmc-l2", report.Framework);
    }

    [Fact]
    public void Cmmc_level1_framework_has_a_level1_status_but_no_SPRS_score()
    {
        var report = ScoreAssessment.Score(AllMet(Frameworks.CmmcL1));
        Assert.Null(report.Score);
        Assert.Equal(17, report.Counts.Met);
        Assert.Equal(CmmcStatuses.Final, report.Cmmc.Level1.Status);
        Assert.Equal(CmmcStatuses.NoStatus, report.Cmmc.Level2.Status);
        Assert.NotEmpty(report.Errors);
    }

    [Fact]
    public void R3_assessments_are_counted_but_not_scored()
    {
        var report = ScoreAssessment.Score(AllMet(Frameworks.NistR3));
        Assert.Null(report.Score);
        Assert.Equal(97, report.Counts.Met);
        Assert.Empty(report.Deductions);
    }

    [Fact]
    public void Objectives_all_met_make_the_requirement_met()
    {
        var assessment = AllMet(overrides: ("3.1.3", Status.Unassessed)) with
        {
            Objectives = new Dictionary<string, Finding> { ["3.1.3[a]"] = Finding.Of(Status.Met), ["3.1.3[b]"] = Finding.Of(Status.Met), ["3.1.3[c]"] = Finding.Of(Status.NotApplicable), ["3.1.3[d]"] = Finding.Of(Status.Met), ["3.1.3[e]"] = Finding.Of(Status.Met) },
        };
        Assert.Equal("met", ScoreAssessment.Score(assessment).Requirements["3.1.3"]);
    }

    [Fact]
    public void One_objective_not_met_makes_the_requirement_not_met()
    {
        var assessment = AllMet(overrides: ("3.1.3", Status.Unassessed)) with
        {
            Objectives = new Dictionary<string, Finding> { ["3.1.3[a]"] = Finding.Of(Status.Met), ["3.1.3[b]"] = Finding.Of(Status.NotMet) },
        };
        var report = ScoreAssessment.Score(assessment);
        Assert.Equal("not-met", report.Requirements["3.1.3"]);
        Assert.Equal(109, report.Score);
    }

    [Fact]
    public void Some_objectives_met_and_none_failed_leave_the_requirement_unassessed()
    {
        var assessment = AllMet(overrides: ("3.1.3", Status.Unassessed)) with
        {
            Objectives = new Dictionary<string, Finding> { ["3.1.3[a]"] = Finding.Of(Status.Met) },
        };
        Assert.Equal("unassessed", ScoreAssessment.Score(assessment).Requirements["3.1.3"]);
    }

    [Fact]
    public void Requirement_met_while_an_objective_is_not_met_is_bad_input()
    {
        var assessment = AllMet() with { Objectives = new Dictionary<string, Finding> { ["3.1.3[b]"] = Finding.Of(Status.NotMet) } };
        var error = Assert.Throws<Custodes.Common.BadInputException>(() => ScoreAssessment.Score(assessment));
        Assert.Contains("3.1.3[b]", error.Message);
        Assert.Equal("$.requirements['3.1.3']", error.Path);
    }
}
