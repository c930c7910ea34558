using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodes.Core.Tests.Assessments;

public sealed class ScorePropertyTests
{
    private static readonly IReadOnlyList<Requirement> R2 = CatalogSet.NistR2.Requirements;

    private static Arbitrary<Status[]> Statuses() =>
        Gen.Elements(Status.Met, Status.NotMet, Status.NotApplicable, Status.Unassessed).ArrayOf(R2.Count).ToArbitrary();

    private static Custodes.Assessments.Assessment From(Status[] statuses, bool partialMfa = false)
    {
        var requirements = new Dictionary<string, Finding>();
        for (var i = 0; i < R2.Count; i++)
        {
            var status = R2[i].Id == "3.12.4" ? Status.Met : statuses[i];
            if (status == Status.Unassessed) continue;
            requirements[R2[i].Id] = partialMfa && status == Status.NotMet && R2[i].Id == "3.5.3"
                ? new Finding { Status = status, Partial = "mfa-remote-and-privileged-only" }
                : Finding.Of(status);
        }
        return new Custodes.Assessments.Assessment { Framework = Frameworks.NistR2, Organization = "P", Ssp = true, Requirements = requirements };
    }

    [Property(MaxTest = 300)]
    public Property Score_is_always_between_minus_203_and_110() =>
        Prop.ForAll(Statuses(), statuses => ScoreAssessment.Score(From(statuses)).Score is >= -203 and <= 110);

    [Property(MaxTest = 300)]
    public Property Score_equals_110_minus_the_sum_of_deductions() =>
        Prop.ForAll(Statuses(), Gen.Elements(true, false).ToArbitrary(), (statuses, partial) =>
        {
            var report = ScoreAssessment.Score(From(statuses, partial));
            return report.Score == 110 - report.Deductions.Sum(d => d.Points);
        });

    [Property(MaxTest = 300)]
    public Property Meeting_one_more_requirement_never_lowers_the_score() =>
        Prop.ForAll(Statuses(), Gen.Choose(0, 109).ToArbitrary(), (statuses, index) =>
        {
            var before = ScoreAssessment.Score(From(statuses)).Score!.Value;
            var improved = (Status[])statuses.Clone();
            improved[index] = Status.Met;
            return ScoreAssessment.Score(From(improved)).Score!.Value >= before;
        });

    [Property(MaxTest = 200)]
    public Property Counts_add_up_to_110_and_complete_means_nothing_unassessed() =>
        Prop.ForAll(Statuses(), statuses =>
        {
            var report = ScoreAssessment.Score(From(statuses));
            var c = report.Counts;
            return c.Met + c.NotMet + c.NotApplicable + c.Unassessed == 110 && report.Complete == (c.Unassessed == 0);
        });

    [Property(MaxTest = 200)]
    public Property Conditional_status_always_has_a_score_of_88_or_more_and_no_ineligible_gap() =>
        Prop.ForAll(Statuses(), statuses =>
        {
            var report = ScoreAssessment.Score(From(statuses));
            return report.Cmmc.Level2.Status != CmmcStatuses.Conditional || (report.Score >= 88 && report.Cmmc.Level2.PoamIneligible.Count == 0 && report.Cmmc.Level2.CloseoutDue is null);
        });
}
