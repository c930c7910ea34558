using Custodes.Application.Database;
using Custodes.Assessments;
using Custodes.SupplyChain;

namespace Custodes.Application.Assessments;

/// <summary>Maps between the domain's <see cref="Assessment"/> and its stored rows, both ways without loss.</summary>
internal static class AssessmentRows
{
    public static void Fill(AssessmentRow row, Assessment a)
    {
        row.Framework = a.Framework;
        row.Subject = a.Organization;
        row.Scope = a.Scope;
        row.AssessedOn = a.AssessedOn;
        row.Ssp = a.Ssp;
        row.Assessor = a.Assessor;
        row.SystemDescription = a.System;
        row.Statuses = CompactAssessment.From(a).ToCodes();
        row.Determinations = a.Requirements.Select(p => ToRow(row.Id, p.Key, false, p.Value))
            .Concat(a.Objectives.Select(p => ToRow(row.Id, p.Key, true, p.Value))).ToList();
        row.Poam = a.Poam.Select(p => new PoamItemRow
        {
            AssessmentId = row.Id,
            RequirementId = p.Id,
            PlannedCompletion = p.PlannedCompletion,
            Milestones = p.Milestones,
            Status = AssessmentFile.PoamStatusName(p.Status),
            CompletedOn = p.CompletedOn,
            Owner = p.Owner,
            Note = p.Note,
        }).ToList();
    }

    public static DeterminationRow ToRow(Guid assessmentId, string targetId, bool objective, Finding f) => new()
    {
        AssessmentId = assessmentId,
        TargetId = targetId,
        IsObjective = objective,
        Status = f.Status.ToWire(),
        Partial = f.Partial,
        Note = f.Note,
        Methods = f.Methods.Count == 0 ? null : string.Join(',', f.Methods.Select(m => m.ToString().ToLowerInvariant())),
        Evidence = f.Evidence.Count == 0 ? null : string.Join('\n', f.Evidence),
    };

    public static Assessment ToDomain(AssessmentRow row, IEnumerable<DeterminationRow> determinations, IEnumerable<PoamItemRow> poam)
    {
        var requirements = new Dictionary<string, Finding>(StringComparer.Ordinal);
        var objectives = new Dictionary<string, Finding>(StringComparer.Ordinal);
        foreach (var d in determinations)
            (d.IsObjective ? objectives : requirements)[d.TargetId] = ToFinding(d);
        return new Assessment
        {
            Framework = row.Framework,
            Organization = row.Subject,
            Scope = row.Scope,
            AssessedOn = row.AssessedOn,
            Ssp = row.Ssp,
            Assessor = row.Assessor,
            System = row.SystemDescription,
            Requirements = requirements,
            Objectives = objectives,
            Poam = poam.OrderBy(p => p.RequirementId, RequirementIdComparer.Instance).Select(p => new PoamItem
            {
                Id = p.RequirementId,
                PlannedCompletion = p.PlannedCompletion,
                Milestones = p.Milestones,
                Status = p.Status switch { "in-progress" => PoamStatus.InProgress, "closed" => PoamStatus.Closed, _ => PoamStatus.Open },
                CompletedOn = p.CompletedOn,
                Owner = p.Owner,
                Note = p.Note,
            }).ToArray(),
        };
    }

    public static Finding ToFinding(DeterminationRow d) => new()
    {
        Status = StatusNames.TryParse(d.Status, out var s) ? s : Status.Unassessed,
        Partial = d.Partial,
        Note = d.Note,
        Methods = d.Methods is null ? [] : d.Methods.Split(',').Select(m => Enum.Parse<AssessmentMethod>(m, ignoreCase: true)).ToArray(),
        Evidence = d.Evidence is null ? [] : d.Evidence.Split('\n'),
    };
}

/// <summary>Orders requirement ids numerically (3.1.2 before 3.1.10).</summary>
public sealed class RequirementIdComparer : IComparer<string>
{
    public static readonly RequirementIdComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return string.CompareOrdinal(x, y);
        var a = x.Split('.', '[');
        var b = y.Split('.', '[');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = int.TryParse(a[i], out var ai) && int.TryParse(b[i], out var bi) ? ai.CompareTo(bi) : string.CompareOrdinal(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }
}
