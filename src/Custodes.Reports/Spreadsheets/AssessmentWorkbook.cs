using System.Globalization;
using ClosedXML.Excel;
using Custodes.Assessments;
using Custodes.Assessments.Poam;
using Custodes.Catalogs;
using Custodes.Common;

namespace Custodes.Reports.Spreadsheets;

/// <summary>The assessment workbook (XLSX): Summary, Requirements, Objectives, Evidence and POA&amp;M sheets that an assessor edits offline and imports back without loss.</summary>
/// <remarks>
/// Editable cells are white, computed ones grey. Import is strict: the format marker, sheet names and header rows must be as written,
/// every id must be known, every status valid; the first problem is a <see cref="BadInputException"/> naming the sheet, cell and row,
/// and nothing is returned. The Evidence sheet and the computed columns are for reading and are ignored on import.
/// </remarks>
public static class AssessmentWorkbook
{
    public const string Format = "custodes.workbook/v1";
    public const string SummarySheet = "Summary";
    public const string RequirementsSheet = "Requirements";
    public const string ObjectivesSheet = "Objectives";
    public const string EvidenceSheet = "Evidence";
    public const string PoamSheet = "POA&M";

    public static readonly string[] RequirementColumns = ["Id", "CMMC id", "Family", "Requirement", "Points", "Status", "Partial", "Note", "Evidence", "Methods", "Effective status", "Deduction"];
    public static readonly string[] ObjectiveColumns = ["Objective", "Requirement", "Determine if", "Status", "Note", "Evidence", "Methods"];
    public static readonly string[] EvidenceColumns = ["Reference", "Kind", "Supports"];
    public static readonly string[] PoamColumns = ["Requirement", "Planned completion", "Milestones", "Status", "Completed on", "Owner", "Note", "CMMC flags"];
    /// <summary>Summary fields read back on import, in order (column A; values in column B).</summary>
    public static readonly string[] SummaryFields = ["Format", "Framework", "Organization", "Scope", "Assessed on", "Assessor", "SSP", "System description"];

    private static readonly XLColor Computed = XLColor.FromHtml("#EEF1F5");
    private static readonly XLColor Header = XLColor.FromHtml("#1F3A5F");

    public static byte[] Write(ReportData data)
    {
        using var wb = new XLWorkbook();
        WriteSummary(wb.Worksheets.Add(SummarySheet), data);
        WriteRequirements(wb.Worksheets.Add(RequirementsSheet), data);
        WriteObjectives(wb.Worksheets.Add(ObjectivesSheet), data);
        WriteEvidence(wb.Worksheets.Add(EvidenceSheet), data);
        WritePoam(wb.Worksheets.Add(PoamSheet), data);
        using var stream = new MemoryStream();
        wb.SaveAs(stream);
        return stream.ToArray();
    }

    private static void WriteSummary(IXLWorksheet ws, ReportData data)
    {
        var a = data.Assessment;
        var score = data.Score;
        HeaderRow(ws, ["Field", "Value", "", "Computed (not imported)", "Value"]);
        string?[] values = [Format, a.Framework, a.Organization, a.Scope, null, a.Assessor, a.Ssp switch { true => "yes", false => "no", _ => null }, a.System];
        for (var i = 0; i < SummaryFields.Length; i++)
        {
            Text(ws.Cell(i + 2, 1), SummaryFields[i]).Style.Font.Bold = true;
            if (SummaryFields[i] == "Assessed on") DateCell(ws.Cell(i + 2, 2), a.AssessedOn);
            else Text(ws.Cell(i + 2, 2), values[i]);
        }
        ws.Range(2, 1, 3, 2).Style.Fill.BackgroundColor = Computed;
        ws.Cell(9, 2).Style.Alignment.WrapText = true;
        (string, object?)[] computed =
        [
            ("SPRS score", score.Score is { } s ? s : "no score"),
            ("Maximum", score.Max),
            ("Complete", score.Complete ? "yes" : "no"),
            ("Met", score.Counts.Met),
            ("Not met", score.Counts.NotMet),
            ("Not applicable", score.Counts.NotApplicable),
            ("Unassessed", score.Counts.Unassessed),
            ("CMMC Level 1", score.Cmmc.Level1.Status),
            ("CMMC Level 2", score.Cmmc.Level2.Status),
            ("POA&M closeout due", score.Cmmc.Level2.CloseoutDue is { } due ? due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "-"),
            ("Plan of action completion", data.PlanOfActionCompletion is { } pc ? pc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "-"),
            ("Score errors", score.Errors.Count == 0 ? "-" : string.Join("; ", score.Errors)),
        ];
        for (var i = 0; i < computed.Length; i++)
        {
            Text(ws.Cell(i + 2, 4), computed[i].Item1).Style.Font.Bold = true;
            var cell = ws.Cell(i + 2, 5);
            if (computed[i].Item2 is int n) cell.SetValue(n);
            else Text(cell, computed[i].Item2?.ToString());
            cell.Style.Fill.BackgroundColor = Computed;
        }
        ws.Column(1).Width = 20;
        ws.Column(2).Width = 70;
        ws.Column(3).Width = 3;
        ws.Column(4).Width = 26;
        ws.Column(5).Width = 40;
        ws.Cell(SummaryFields.Length + 3, 1).Value = "Edit the white cells here and in the Requirements, Objectives and POA&M sheets, then run: custodes import xlsx <this file> --out <assessment.json>. Grey cells are computed and not imported.";
        ws.Cell(SummaryFields.Length + 3, 1).Style.Font.Italic = true;
    }

    private static void WriteRequirements(IXLWorksheet ws, ReportData data)
    {
        HeaderRow(ws, RequirementColumns);
        var row = 2;
        foreach (var r in data.Rows)
        {
            var f = r.Finding;
            Text(ws.Cell(row, 1), r.Requirement.Id);
            Text(ws.Cell(row, 2), r.Requirement.CmmcId);
            Text(ws.Cell(row, 3), r.Requirement.FamilyId);
            Text(ws.Cell(row, 4), r.Requirement.Text);
            if (r.Requirement.Points is { } p) ws.Cell(row, 5).SetValue(p);
            Text(ws.Cell(row, 6), f?.Status.ToWire());
            Text(ws.Cell(row, 7), f?.Partial);
            Text(ws.Cell(row, 8), f?.Note);
            Text(ws.Cell(row, 9), f is null ? null : string.Join("\n", f.Evidence));
            Text(ws.Cell(row, 10), f is null ? null : Methods(f.Methods));
            Text(ws.Cell(row, 11), r.Status.ToWire());
            if (r.Deduction > 0) ws.Cell(row, 12).SetValue(-r.Deduction);
            row++;
        }
        Shade(ws, row - 1, [1, 2, 3, 4, 5, 11, 12]);
        Widths(ws, [10, 14, 8, 60, 7, 14, 30, 50, 40, 24, 15, 10]);
        StatusValidation(ws.Range(2, 6, Math.Max(row - 1, 2), 6));
        ws.Range(2, 7, Math.Max(row - 1, 2), 7).SetDataValidation().List($"\"{PartialValues.MfaRemoteAndPrivilegedOnly},{PartialValues.EncryptionNotFipsValidated}\"");
        Wrap(ws, row - 1, [4, 8, 9]);
    }

    private static void WriteObjectives(IXLWorksheet ws, ReportData data)
    {
        HeaderRow(ws, ObjectiveColumns);
        var row = 2;
        foreach (var r in data.Rows)
            foreach (var o in r.Objectives)
            {
                var f = o.Finding;
                Text(ws.Cell(row, 1), o.Objective.Id);
                Text(ws.Cell(row, 2), r.Requirement.Id);
                Text(ws.Cell(row, 3), o.Objective.Text);
                Text(ws.Cell(row, 4), f?.Status.ToWire());
                Text(ws.Cell(row, 5), f?.Note);
                Text(ws.Cell(row, 6), f is null ? null : string.Join("\n", f.Evidence));
                Text(ws.Cell(row, 7), f is null ? null : Methods(f.Methods));
                row++;
            }
        Shade(ws, row - 1, [1, 2, 3]);
        Widths(ws, [12, 11, 60, 14, 50, 40, 24]);
        StatusValidation(ws.Range(2, 4, Math.Max(row - 1, 2), 4));
        Wrap(ws, row - 1, [3, 5, 6]);
    }

    private static void WriteEvidence(IXLWorksheet ws, ReportData data)
    {
        HeaderRow(ws, EvidenceColumns);
        var row = 2;
        foreach (var e in data.Evidence)
        {
            Text(ws.Cell(row, 1), e.Reference);
            Text(ws.Cell(row, 2), e.IsSha256 ? "stored file (SHA-256)" : "reference");
            Text(ws.Cell(row, 3), string.Join(", ", e.Supports));
            row++;
        }
        Shade(ws, row - 1, [1, 2, 3]);
        Widths(ws, [75, 22, 40]);
        Text(ws.Cell(row + 1, 1), "An index of the evidence named in the Requirements and Objectives sheets; edit evidence there. This sheet is not imported.").Style.Font.Italic = true;
    }

    private static void WritePoam(IXLWorksheet ws, ReportData data)
    {
        HeaderRow(ws, PoamColumns);
        var row = 2;
        // Every requirement not met has a row, plan or not (a row with only its id and "open" is read back as "no plan yet");
        // plans kept for requirements now met are rows too, marked, so a round trip keeps them. Catalog order, as the file has them.
        var kept = data.Poam.Records.ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var r in data.Rows)
        {
            if (data.Poam.Find(r.Requirement.Id) is { } item)
            {
                var notes = new List<string>();
                if (!item.HasPlan) notes.Add(item.RequirementStatus == Status.Unassessed ? "Not assessed yet (counts as not met); no plan written yet." : "No plan written yet.");
                if (item.NotAllowedOnCmmcPoam) notes.Add("Not POA&M-eligible under CMMC: must be met for a CMMC status.");
                notes.AddRange(item.Flags.Where(f => f.Kind is not (PoamFlagKind.MissingItem or PoamFlagKind.NotAllowedOnCmmcPoam)).Select(f => f.Message));
                PoamRow(ws, row++, item.Id, item.Plan ?? new PoamItem { Id = item.Id }, notes);
            }
            else if (kept.TryGetValue(r.Requirement.Id, out var record))
                PoamRow(ws, row++, record.Id, record,
                    ["Requirement met: kept as a record, not on the POA&M.", .. r.Flags.Select(f => f.Message)]);
        }
        Shade(ws, row - 1, [8]);
        Widths(ws, [12, 18, 50, 13, 14, 22, 40, 50]);
        ws.Range(2, 4, Math.Max(row - 1, 2) + 50, 4).SetDataValidation().List("\"open,in-progress,closed\"");
        Wrap(ws, row - 1, [3, 7, 8]);
    }

    private static void PoamRow(IXLWorksheet ws, int row, string id, PoamItem item, IEnumerable<string> notes)
    {
        Text(ws.Cell(row, 1), id);
        DateCell(ws.Cell(row, 2), item.PlannedCompletion);
        Text(ws.Cell(row, 3), item.Milestones);
        Text(ws.Cell(row, 4), AssessmentFile.PoamStatusName(item.Status));
        DateCell(ws.Cell(row, 5), item.CompletedOn);
        Text(ws.Cell(row, 6), item.Owner);
        Text(ws.Cell(row, 7), item.Note);
        Text(ws.Cell(row, 8), string.Join("\n", notes));
    }

    private static IXLCell Text(IXLCell cell, string? value)
    {
        if (string.IsNullOrEmpty(value)) return cell;
        // Typed as text: ids like 3.1.10 or dates in notes must not become numbers or dates.
        cell.SetValue(value);
        cell.DataType = XLDataType.Text;
        return cell;
    }

    private static void DateCell(IXLCell cell, DateOnly? date)
    {
        if (date is not { } d) return;
        cell.SetValue(d.ToDateTime(TimeOnly.MinValue));
        cell.Style.DateFormat.Format = "yyyy-mm-dd";
    }

    private static void HeaderRow(IXLWorksheet ws, string[] columns)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            var cell = Text(ws.Cell(1, i + 1), columns[i]);
            if (columns[i].Length == 0) continue;
            cell.Style.Font.Bold = true;
            cell.Style.Font.FontColor = XLColor.White;
            cell.Style.Fill.BackgroundColor = Header;
        }
        ws.SheetView.FreezeRows(1);
    }

    private static void Shade(IXLWorksheet ws, int lastRow, int[] columns)
    {
        if (lastRow < 2) return;
        foreach (var c in columns) ws.Range(2, c, lastRow, c).Style.Fill.BackgroundColor = Computed;
    }

    private static void Widths(IXLWorksheet ws, int[] widths)
    {
        for (var i = 0; i < widths.Length; i++) ws.Column(i + 1).Width = widths[i];
    }

    private static void Wrap(IXLWorksheet ws, int lastRow, int[] columns)
    {
        if (lastRow < 2) return;
        foreach (var c in columns) ws.Range(2, c, lastRow, c).Style.Alignment.WrapText = true;
        ws.Range(2, 1, lastRow, ws.LastColumnUsed()?.ColumnNumber() ?? 1).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
    }

    private static void StatusValidation(IXLRange range) =>
        range.SetDataValidation().List($"\"{StatusNames.Met},{StatusNames.NotMet},{StatusNames.NotApplicable},{StatusNames.Unassessed}\"");

    internal static string Methods(IReadOnlyList<AssessmentMethod> methods) => string.Join(", ", methods.Select(m => m.ToString().ToLowerInvariant()));
}
