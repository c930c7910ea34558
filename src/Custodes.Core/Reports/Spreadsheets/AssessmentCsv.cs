using System.Globalization;
using System.Text;
using Custodes.Assessments;

namespace Custodes.Reports.Spreadsheets;

/// <summary>RFC 4180 CSV of an assessment's requirements or objectives, for GRC tools and spreadsheets (UTF-8, CRLF, header row).</summary>
public static class AssessmentCsv
{
    public static readonly string[] RequirementColumns = ["framework", "id", "cmmc_id", "family_id", "family", "requirement", "points", "recorded_status", "status", "partial", "deduction", "poam_planned_completion", "note", "evidence", "methods"];
    /// <summary>Read-only columns after <see cref="RequirementColumns"/>: whether the requirement is on the POA&amp;M (every requirement not met is), where its item stands, and whether CMMC allows it there. Import ignores them.</summary>
    public static readonly string[] RequirementPoamColumns = ["on_poam", "poam_status", "cmmc_poam_eligible"];
    public static readonly string[] ObjectiveColumns = ["framework", "id", "requirement_id", "objective", "status", "note", "evidence", "methods"];

    public static byte[] Requirements(ReportData data)
    {
        var sb = new StringBuilder();
        Line(sb, [.. RequirementColumns, .. RequirementPoamColumns]);
        foreach (var r in data.Rows)
        {
            var item = data.Poam.Find(r.Requirement.Id);
            Line(sb,
            [
                data.Catalog.Framework, r.Requirement.Id, r.Requirement.CmmcId, r.Requirement.FamilyId, r.Requirement.Family, r.Requirement.Text,
                r.Requirement.Points?.ToString(CultureInfo.InvariantCulture), r.Finding?.Status.ToWire(), r.Status.ToWire(), r.Finding?.Partial,
                r.Deduction.ToString(CultureInfo.InvariantCulture), r.Poam?.PlannedCompletion?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.Finding?.Note, r.Finding is null ? null : string.Join(" ", r.Finding.Evidence), r.Finding is null ? null : string.Join(" ", r.Finding.Methods.Select(m => m.ToString().ToLowerInvariant())),
                item is null ? "no" : "yes", item is null ? null : AssessmentFile.PoamStatusName(item.Status),
                item?.CmmcEligible is { } eligible ? (eligible ? "true" : "false") : null,
            ]);
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static byte[] Objectives(ReportData data)
    {
        var sb = new StringBuilder();
        Line(sb, ObjectiveColumns);
        foreach (var r in data.Rows)
            foreach (var o in r.Objectives)
                Line(sb,
                [
                    data.Catalog.Framework, o.Objective.Id, r.Requirement.Id, o.Objective.Text, o.Status.ToWire(), o.Finding?.Note,
                    o.Finding is null ? null : string.Join(" ", o.Finding.Evidence), o.Finding is null ? null : string.Join(" ", o.Finding.Methods.Select(m => m.ToString().ToLowerInvariant())),
                ]);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void Line(StringBuilder sb, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) sb.Append(',');
            Field(sb, fields[i] ?? "");
        }
        sb.Append("\r\n");
    }

    private static void Field(StringBuilder sb, string value)
    {
        // A leading = + - @ would run as a formula when the file is opened in a spreadsheet (CSV injection); a quote mark defuses it.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        if (value.AsSpan().IndexOfAny("\",\r\n") < 0)
        {
            sb.Append(value);
            return;
        }
        sb.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
    }
}
