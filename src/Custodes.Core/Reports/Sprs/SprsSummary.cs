using System.Globalization;
using System.Text;
using Custodes.Catalogs;

namespace Custodes.Reports.Sprs;

/// <summary>What the Supplier Performance Risk System asks for a NIST SP 800-171 assessment, ready to type in: score, assessment date, scope, plan of action completion date.</summary>
/// <remarks>The plan of action completion date is the latest planned completion of an open POA&amp;M item (DoD Assessment Methodology v1.2.1 §5).</remarks>
public sealed record SprsSummary(
    string Organization,
    string Framework,
    int? Score,
    int Max,
    bool Complete,
    DateOnly? AssessmentDate,
    string? Scope,
    bool SystemSecurityPlan,
    DateOnly? PlanOfActionCompletionDate,
    int OpenPoamItems,
    string CmmcLevel2Status,
    IReadOnlyList<string> Errors)
{
    public static SprsSummary From(ReportData data)
    {
        var a = data.Assessment;
        var errors = data.Score.Errors.ToList();
        if (a.AssessedOn is null) errors.Add("no assessment date: SPRS needs the date the assessment was completed ('assessed_on')");
        if (data.Score.Counts.NotMet + data.Score.Counts.Unassessed > 0 && data.PlanOfActionCompletion is null)
            errors.Add("requirements are not met but no open POA&M item has a planned completion date: SPRS asks for the plan of action completion date");
        return new SprsSummary(
            a.Organization,
            data.Catalog.Framework,
            data.Score.Score,
            data.Score.Max,
            data.Score.Complete,
            a.AssessedOn,
            a.Scope,
            a.Ssp ?? (data.Catalog.OrdinalOf("3.12.4") is var i and >= 0 && data.Rows[i].Status == Assessments.Status.Met),
            data.Score.Score is < 110 ? data.PlanOfActionCompletion : null,
            data.OpenPoam.Count(),
            data.Score.Cmmc.Level2.Status,
            errors);
    }

    /// <summary>The summary as a person reads it before typing it into SPRS.</summary>
    public string ToText()
    {
        static string D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(not recorded)";
        var sb = new StringBuilder();
        sb.Append("SPRS entry: NIST SP 800-171 assessment (DoD Assessment Methodology v1.2.1)\n");
        sb.Append("Organization:                    ").Append(Organization).Append('\n');
        sb.Append("Standard:                        ").Append(Framework == Frameworks.NistR3 ? "NIST SP 800-171 Rev 3 (SPRS scores Rev 2)" : "NIST SP 800-171 Rev 2").Append('\n');
        sb.Append("Assessment date:                 ").Append(D(AssessmentDate)).Append('\n');
        sb.Append("Summary level score:             ").Append(Score is { } s ? s.ToString(CultureInfo.InvariantCulture) : "(no score)").Append($" of {Max}").Append(Complete ? "" : " (incomplete: some requirements unassessed)").Append('\n');
        sb.Append("Assessment scope:                ").Append(Scope ?? "(not recorded)").Append('\n');
        sb.Append("Plan of action completion date:  ").Append(Score == 110 ? "(none: all requirements met)" : D(PlanOfActionCompletionDate)).Append('\n');
        sb.Append("Open POA&M items:                ").Append(OpenPoamItems).Append('\n');
        sb.Append("CMMC Level 2 status:             ").Append(CmmcLevel2Status).Append('\n');
        sb.Append("Also enter in SPRS: the CAGE codes covered, the SSP name, version and date.\n");
        foreach (var error in Errors) sb.Append("! ").Append(error).Append('\n');
        return sb.ToString();
    }
}
