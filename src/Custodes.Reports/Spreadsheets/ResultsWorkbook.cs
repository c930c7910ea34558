using System.Globalization;
using ClosedXML.Excel;
using Custodes.Assessments;
using Custodes.SupplyChain;

namespace Custodes.Reports.Spreadsheets;

/// <summary>How one requirement is inherited from providers (their responsibility matrices), for the results workbook.</summary>
/// <param name="Inherited"><c>none</c>, <c>partial</c> (shared with a provider) or <c>full</c> (a provider's).</param>
/// <param name="Providers">The providers named, with whether each one's letter holds.</param>
public sealed record InheritanceLine(string Inherited, string Providers);

/// <summary>
/// The CMMC assessment results workbook a firm hands over: an Assessment sheet, one row per requirement and one per objective, each with its
/// status, the methods used (examine, interview, test), the assessor's notes and what is inherited from which provider. Read-only: the
/// editable workbook that imports back is <see cref="AssessmentWorkbook"/>.
/// </summary>
public static class ResultsWorkbook
{
    public const string AssessmentSheet = "Assessment";
    public const string RequirementsSheet = "Requirements";
    public const string ObjectivesSheet = "Objectives";

    public static readonly string[] RequirementColumns = ["Requirement", "CMMC id", "Family", "Text", "Status", "Examine", "Interview", "Test", "Assessor notes", "Inherited", "Provider"];
    public static readonly string[] ObjectiveColumns = ["Objective", "Requirement", "Determine if", "Status", "Examine", "Interview", "Test", "Assessor notes", "Inherited", "Provider"];

    private static readonly XLColor Header = XLColor.FromHtml("#1F3A5F");

    /// <param name="inheritance">Requirement id → how it is inherited; absent requirements are inherited from no one.</param>
    /// <param name="artifactsSha256">The SHA-256 of the artifact hash list, shown on the Assessment sheet when known.</param>
    public static byte[] Write(ReportData data, IReadOnlyDictionary<string, InheritanceLine>? inheritance = null, string? artifactsSha256 = null)
    {
        inheritance ??= new Dictionary<string, InheritanceLine>();
        using var wb = new XLWorkbook();
        WriteAssessment(wb.Worksheets.Add(AssessmentSheet), data, artifactsSha256);
        WriteRequirements(wb.Worksheets.Add(RequirementsSheet), data, inheritance);
        WriteObjectives(wb.Worksheets.Add(ObjectivesSheet), data, inheritance);
        using var stream = new MemoryStream();
        wb.SaveAs(stream);
        return stream.ToArray();
    }

    /// <summary>How a requirement is inherited, from an inheritance report's line: a provider's responsibility is full, a shared one partial.</summary>
    public static InheritanceLine LineOf(InheritedRequirement requirement, Func<string, string> providerName)
    {
        var providers = requirement.Providers.Where(p => p.Responsibility != Responsibility.Customer).ToArray();
        if (providers.Length == 0) return new InheritanceLine("none", "");
        var inherited = providers.Any(p => p.Responsibility == Responsibility.Provider) ? "full" : "partial";
        return new InheritanceLine(inherited, string.Join("; ", providers.Select(p =>
            $"{providerName(p.Provider)} ({(p.Cause == InheritanceCause.Holds ? "letter holds" : "letter does not hold: " + p.Cause.ToString())})")));
    }

    private static void WriteAssessment(IXLWorksheet ws, ReportData data, string? artifactsSha256)
    {
        var a = data.Assessment;
        var l2 = data.Score.Cmmc.Level2;
        (string, string?)[] rows =
        [
            ("Organization", a.Organization),
            ("Framework", a.Framework),
            ("Scope", a.Scope),
            ("Assessed on", a.AssessedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("Assessor", a.Assessor),
            ("Score", data.Score.Score?.ToString(CultureInfo.InvariantCulture) ?? "none"),
            ("CMMC Level 2 status", l2.Status),
            ("POA&M closeout due", l2.CloseoutDue?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("Requirements met", data.Score.Counts.Met.ToString(CultureInfo.InvariantCulture)),
            ("Requirements not met", data.Score.Counts.NotMet.ToString(CultureInfo.InvariantCulture)),
            ("Requirements not applicable", data.Score.Counts.NotApplicable.ToString(CultureInfo.InvariantCulture)),
            ("Requirements not assessed", data.Score.Counts.Unassessed.ToString(CultureInfo.InvariantCulture)),
            ("Artifact hash list SHA-256", artifactsSha256),
        ];
        HeaderRow(ws, ["Field", "Value"]);
        for (var i = 0; i < rows.Length; i++)
        {
            Text(ws.Cell(i + 2, 1), rows[i].Item1).Style.Font.Bold = true;
            Text(ws.Cell(i + 2, 2), rows[i].Item2);
        }
        ws.Column(1).Width = 30;
        ws.Column(2).Width = 80;
    }

    private static void WriteRequirements(IXLWorksheet ws, ReportData data, IReadOnlyDictionary<string, InheritanceLine> inheritance)
    {
        HeaderRow(ws, RequirementColumns);
        var row = 2;
        foreach (var r in data.Rows)
        {
            // A requirement's methods are those recorded on it and on any of its objectives.
            var methods = (r.Finding?.Methods ?? []).Concat(r.Objectives.SelectMany(o => o.Finding?.Methods ?? [])).ToHashSet();
            var line = inheritance.GetValueOrDefault(r.Requirement.Id) ?? new InheritanceLine("none", "");
            string?[] values = [r.Requirement.Id, r.Requirement.CmmcId, r.Requirement.Family, r.Requirement.Text, r.Status.ToWire(),
                Mark(methods, AssessmentMethod.Examine), Mark(methods, AssessmentMethod.Interview), Mark(methods, AssessmentMethod.Test), r.Finding?.Note, line.Inherited, line.Providers];
            for (var c = 0; c < values.Length; c++) Text(ws.Cell(row, c + 1), values[c]);
            row++;
        }
        Widths(ws, [10, 14, 24, 60, 14, 9, 9, 9, 40, 10, 40]);
    }

    private static void WriteObjectives(IXLWorksheet ws, ReportData data, IReadOnlyDictionary<string, InheritanceLine> inheritance)
    {
        HeaderRow(ws, ObjectiveColumns);
        var row = 2;
        foreach (var r in data.Rows)
        {
            var line = inheritance.GetValueOrDefault(r.Requirement.Id) ?? new InheritanceLine("none", "");
            foreach (var o in r.Objectives)
            {
                var methods = (o.Finding?.Methods ?? []).ToHashSet();
                string?[] values = [o.Objective.Id, r.Requirement.Id, o.Objective.Text, o.Status.ToWire(),
                    Mark(methods, AssessmentMethod.Examine), Mark(methods, AssessmentMethod.Interview), Mark(methods, AssessmentMethod.Test), o.Finding?.Note, line.Inherited, line.Providers];
                for (var c = 0; c < values.Length; c++) Text(ws.Cell(row, c + 1), values[c]);
                row++;
            }
        }
        Widths(ws, [12, 10, 60, 14, 9, 9, 9, 40, 10, 40]);
    }

    private static string? Mark(HashSet<AssessmentMethod> methods, AssessmentMethod method) => methods.Contains(method) ? "yes" : null;

    private static IXLCell Text(IXLCell cell, string? value)
    {
        if (string.IsNullOrEmpty(value)) return cell;
        cell.SetValue(value);
        cell.DataType = XLDataType.Text;
        return cell;
    }

    private static void HeaderRow(IXLWorksheet ws, string[] columns)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            var cell = Text(ws.Cell(1, i + 1), columns[i]);
            cell.Style.Font.Bold = true;
            cell.Style.Font.FontColor = XLColor.White;
            cell.Style.Fill.BackgroundColor = Header;
        }
        ws.SheetView.FreezeRows(1);
    }

    private static void Widths(IXLWorksheet ws, int[] widths)
    {
        for (var i = 0; i < widths.Length; i++) ws.Column(i + 1).Width = widths[i];
    }
}
