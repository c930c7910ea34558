using Custodes.Assessments.Poam;
using Custodes.Catalogs;

namespace Custodes.Assessments.Scoring;

/// <summary>Scores an assessment by the NIST SP 800-171 DoD Assessment Methodology v1.2.1 and derives CMMC status (32 CFR 170.21, 170.24).</summary>
/// <remarks>
/// Start at 110 and subtract each unmet requirement's points (unassessed counts as unmet; not applicable as met); 3.5.3 and 3.13.11 subtract 3
/// with their partial value. 3.12.4 carries no points, but without a system security plan no score can be given.
/// </remarks>
public static class ScoreAssessment
{
    public const int Max = 110;
    public const int Min = -203;
    /// <summary>CMMC Level 2 conditional status needs at least 0.8 × 110 (32 CFR 170.21(a)(2)(i)).</summary>
    public const int ConditionalThreshold = 88;
    public const string SspRequirement = "3.12.4";

    public static ScoreReport Score(Assessment assessment) =>
        Score(Resolution.Resolve(assessment), assessment.Ssp, assessment.AssessedOn);

    public static ScoreReport Score(Resolution resolution, bool? ssp, DateOnly? assessedOn)
    {
        var catalog = resolution.Catalog;
        var requirements = catalog.Requirements;
        var statuses = resolution.Statuses;
        var partial = resolution.Partial;
        var errors = new List<string>(2);
        var deductions = new List<Deduction>();
        var map = new Dictionary<string, string>(requirements.Count, StringComparer.Ordinal);
        int met = 0, notMet = 0, notApplicable = 0, unassessed = 0, score = Max;
        var l1Blocking = new List<string>();
        var ineligible = new List<string>();
        var anyUnmet = false;
        var r2Based = Frameworks.IsR2Based(catalog.Framework);

        for (var i = 0; i < requirements.Count; i++)
        {
            var requirement = requirements[i];
            var status = statuses[i];
            map[requirement.Id] = status.ToWire();
            switch (status)
            {
                case Status.Met: met++; continue;
                case Status.NotApplicable: notApplicable++; continue;
                case Status.NotMet: notMet++; break;
                default: unassessed++; break;
            }
            anyUnmet = true;
            if (requirement.Points is { } full)
            {
                var points = partial[i] && requirement.PartialCredit is { } credit ? credit.Points : full;
                score -= points;
                deductions.Add(new Deduction(requirement.Id, points));
            }
            if (r2Based)
            {
                if (requirement.Level1) l1Blocking.Add(requirement.Id);
                if (!PoamRules.IsEligible(requirement, partial[i])) ineligible.Add(requirement.Id);
            }
        }

        int? finalScore = score;
        if (!r2Based)
        {
            finalScore = null;
            errors.Add($"no score: the DoD Assessment Methodology v1.2.1 assigns points to NIST SP 800-171 Rev 2 requirements, and {catalog.Framework} has none; CMMC status is determined against Rev 2");
        }
        else if (catalog.Framework == Frameworks.CmmcL1)
        {
            finalScore = null;
            errors.Add("no score: an SPRS score covers all 110 NIST SP 800-171 requirements, and a cmmc-l1 assessment covers the 17 of Level 1");
        }
        else if (!HasSsp(resolution, ssp, out var why))
        {
            finalScore = null;
            errors.Add($"no score: {why}; without a system security plan an assessment cannot be completed (DoD Assessment Methodology v1.2.1 §5.g, DFARS 252.204-7012)");
        }

        var level1 = r2Based
            ? new CmmcLevel1(l1Blocking.Count == 0 ? CmmcStatuses.Final : CmmcStatuses.NoStatus, l1Blocking)
            : new CmmcLevel1(CmmcStatuses.NoStatus, []);
        var level2 = Level2(catalog.Framework, finalScore, anyUnmet, ineligible, assessedOn);

        return new ScoreReport(
            catalog.Framework,
            finalScore,
            Max,
            Min,
            unassessed == 0,
            new StatusCounts(met, notMet, notApplicable, unassessed),
            deductions,
            map,
            new CmmcReport(level1, level2),
            errors);
    }

    private static CmmcLevel2 Level2(string framework, int? score, bool anyUnmet, List<string> ineligible, DateOnly? assessedOn)
    {
        if (framework is not (Frameworks.NistR2 or Frameworks.CmmcL2)) return new CmmcLevel2(CmmcStatuses.NoStatus, ineligible, null);
        if (score is null) return new CmmcLevel2(CmmcStatuses.NoStatus, ineligible, null);
        if (!anyUnmet) return new CmmcLevel2(CmmcStatuses.Final, ineligible, null);
        if (score >= ConditionalThreshold && ineligible.Count == 0)
            return new CmmcLevel2(CmmcStatuses.Conditional, ineligible, assessedOn is { } on ? PoamRules.CloseoutDue(on) : null);
        return new CmmcLevel2(CmmcStatuses.NoStatus, ineligible, null);
    }

    private static bool HasSsp(Resolution resolution, bool? ssp, out string why)
    {
        var sspStatus = resolution.StatusOf(SspRequirement);
        if (ssp == false)
        {
            why = "the assessment says there is no system security plan (\"ssp\": false)";
            return false;
        }
        if (sspStatus == Status.NotMet)
        {
            why = "3.12.4 (system security plan) is not met";
            return false;
        }
        if (ssp is null && sspStatus != Status.Met)
        {
            why = "the assessment does not record a system security plan (no \"ssp\" and 3.12.4 not met)";
            return false;
        }
        why = "";
        return true;
    }
}
