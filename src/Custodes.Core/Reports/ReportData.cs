using Custodes.Assessments;
using Custodes.Assessments.Poam;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;

namespace Custodes.Reports;

/// <summary>Everything a report shows about one assessment, computed once: effective statuses, score, CMMC status, POA&amp;M flags, evidence index.</summary>
/// <remarks>Every export (OSCAL, PDF, XLSX, CSV, SPRS) reads this, so they can never disagree about a number.</remarks>
public sealed class ReportData
{
    private ReportData(Assessment assessment, Resolution resolution)
    {
        Assessment = assessment;
        Resolution = resolution;
        Catalog = resolution.Catalog;
        Score = ScoreAssessment.Score(resolution, assessment.Ssp, assessment.AssessedOn);
        Poam = PoamPlan.Of(assessment, resolution);
        PoamFlags = Poam.Flags;
        var rows = new RequirementRow[Catalog.Requirements.Count];
        var poam = assessment.Poam.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var deductions = Score.Deductions.ToDictionary(d => d.Id, d => d.Points, StringComparer.Ordinal);
        for (var i = 0; i < rows.Length; i++)
        {
            var requirement = Catalog.Requirements[i];
            rows[i] = new RequirementRow(
                requirement,
                resolution.Statuses[i],
                resolution.Partial[i],
                assessment.Requirements.GetValueOrDefault(requirement.Id),
                requirement.Objectives.Select(o => new ObjectiveRow(Catalog.FindObjective(o)!, assessment.Objectives.GetValueOrDefault(o))).ToArray(),
                poam.GetValueOrDefault(requirement.Id),
                deductions.GetValueOrDefault(requirement.Id),
                PoamFlags.Where(f => f.RequirementId == requirement.Id).ToArray());
        }
        Rows = rows;
        Families = Catalog.Families.Select(f => new FamilySummary(f, rows.Where(r => r.Requirement.FamilyId == f.Id).ToArray())).ToArray();
        Evidence = BuildEvidenceIndex(rows);
    }

    public Assessment Assessment { get; }
    public Resolution Resolution { get; }
    public Catalog Catalog { get; }
    public ScoreReport Score { get; }
    /// <summary>The POA&amp;M: every requirement not met, with the assessor's plan where one was written.</summary>
    public PoamPlan Poam { get; }
    public IReadOnlyList<PoamFlag> PoamFlags { get; }
    /// <summary>One row per requirement of the framework, in catalog order.</summary>
    public IReadOnlyList<RequirementRow> Rows { get; }
    public IReadOnlyList<FamilySummary> Families { get; }
    /// <summary>Every evidence reference with the requirements and objectives it supports, in first-use order.</summary>
    public IReadOnlyList<EvidenceEntry> Evidence { get; }

    /// <summary>The organization's name as reports print it.</summary>
    public string Organization => Assessment.Organization;

    /// <summary>POA&amp;M items not yet closed.</summary>
    public IEnumerable<PoamEntry> OpenPoam => Poam.Open;

    /// <summary>The plan of action completion date SPRS asks for: the latest planned completion of an open item.</summary>
    public DateOnly? PlanOfActionCompletion => Poam.LatestPlannedCompletion;

    public static ReportData From(ParsedAssessment parsed) => new(parsed.Assessment, parsed.Resolution);

    /// <summary>Builds report data from an assessment made in code; a contradiction between requirement and objectives is bad input.</summary>
    public static ReportData From(Assessment assessment) => new(assessment, Resolution.Resolve(assessment));

    private static EvidenceEntry[] BuildEvidenceIndex(RequirementRow[] rows)
    {
        var index = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string reference, string supports)
        {
            if (!index.TryGetValue(reference, out var list))
            {
                index[reference] = list = [];
                order.Add(reference);
            }
            if (!list.Contains(supports)) list.Add(supports);
        }
        foreach (var row in rows)
        {
            foreach (var e in row.Finding?.Evidence ?? []) Add(e, row.Requirement.Id);
            foreach (var o in row.Objectives)
                foreach (var e in o.Finding?.Evidence ?? []) Add(e, o.Objective.Id);
        }
        return order.Select(r => new EvidenceEntry(r, index[r])).ToArray();
    }
}

/// <summary>One requirement as reports show it: effective status, what was recorded, its objectives, its POA&amp;M item and flags.</summary>
public sealed record RequirementRow(
    Requirement Requirement,
    Status Status,
    bool Partial,
    Finding? Finding,
    IReadOnlyList<ObjectiveRow> Objectives,
    PoamItem? Poam,
    int Deduction,
    IReadOnlyList<PoamFlag> Flags)
{
    /// <summary>True when objectives of this requirement were assessed (its status is then derived from them).</summary>
    public bool HasObjectiveFindings => Objectives.Any(o => o.Finding is { Status: not Status.Unassessed });

    /// <summary>Evidence of the requirement and of its objectives, without duplicates.</summary>
    public IEnumerable<string> AllEvidence => (Finding?.Evidence ?? []).Concat(Objectives.SelectMany(o => o.Finding?.Evidence ?? [])).Distinct(StringComparer.Ordinal);

    /// <summary>Methods recorded on the requirement or its objectives, in SP 800-171A order.</summary>
    public IReadOnlyList<AssessmentMethod> AllMethods => (Finding?.Methods ?? []).Concat(Objectives.SelectMany(o => o.Finding?.Methods ?? [])).Distinct().Order().ToArray();
}

/// <summary>One SP 800-171A objective with its finding, if one was recorded.</summary>
public sealed record ObjectiveRow(Objective Objective, Finding? Finding)
{
    public Status Status => Finding?.Status ?? Status.Unassessed;
}

/// <summary>Counts and points of one requirement family, for the per-family chart and tables.</summary>
public sealed record FamilySummary(Family Family, IReadOnlyList<RequirementRow> Rows)
{
    public int Met => Rows.Count(r => r.Status == Status.Met);
    public int NotMet => Rows.Count(r => r.Status == Status.NotMet);
    public int NotApplicable => Rows.Count(r => r.Status == Status.NotApplicable);
    public int Unassessed => Rows.Count(r => r.Status == Status.Unassessed);
    public int PointsLost => Rows.Sum(r => r.Deduction);
}

/// <summary>An evidence reference and what it supports (requirement and objective ids).</summary>
public sealed record EvidenceEntry(string Reference, IReadOnlyList<string> Supports)
{
    public bool IsSha256 => EvidenceReference.IsSha256(Reference);
}
