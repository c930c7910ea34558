using System.Text;
using ClosedXML.Excel;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.Reports;
using Custodes.Reports.Spreadsheets;
using Custodes.Reports.Sprs;
using static Custodes.Core.Tests.Reports.ReportFixtures;

namespace Custodes.Core.Tests.Reports;

public sealed class SpreadsheetTests
{
    private static string Json(Custodes.Assessments.Assessment a) => Encoding.UTF8.GetString(AssessmentFile.ToJson(a));

    private static byte[] Edit(Action<XLWorkbook> edit)
    {
        using var wb = new XLWorkbook(new MemoryStream(AssessmentWorkbook.Write(SampleData)));
        edit(wb);
        using var stream = new MemoryStream();
        wb.SaveAs(stream);
        return stream.ToArray();
    }

    private static BadInputException Rejects(Action<XLWorkbook> edit) =>
        Assert.Throws<BadInputException>(() => WorkbookImport.Read(Edit(edit), "book.xlsx"));

    private static void SetText(IXLCell cell, string text)
    {
        cell.SetValue(text);
        cell.DataType = XLDataType.Text;
    }

    private static int RowOf(IXLWorksheet ws, string id) => ws.Column(1).CellsUsed().First(c => c.GetString() == id).Address.RowNumber;

    [Fact]
    public void The_workbook_round_trips_the_sample_without_loss()
    {
        var imported = WorkbookImport.Read(AssessmentWorkbook.Write(SampleData), "book.xlsx");
        Assert.Equal(Json(Sample.Assessment), Json(imported));
    }

    [Fact]
    public void Offline_edits_of_status_notes_evidence_and_poam_are_imported()
    {
        var bytes = Edit(wb =>
        {
            var reqs = wb.Worksheet("Requirements");
            var row = RowOf(reqs, "3.4.9");
            reqs.Cell(row, 6).Value = "met";
            reqs.Cell(row, 8).Value = "Store blocked by Intune on 2026-10-20; verified.";
            reqs.Cell(row, 10).Value = "examine, test";
            var objectives = wb.Worksheet("Objectives");
            objectives.Cell(RowOf(objectives, "3.1.3[d]"), 4).Value = "met";
            var poam = wb.Worksheet("POA&M");
            poam.Cell(RowOf(poam, "3.4.9"), 4).Value = "closed";
            poam.Cell(RowOf(poam, "3.4.9"), 5).Value = new DateTime(2026, 10, 20);
        });
        var a = WorkbookImport.Read(bytes, "book.xlsx");
        Assert.Equal(Status.Met, a.Requirements["3.4.9"].Status);
        Assert.Equal("Store blocked by Intune on 2026-10-20; verified.", a.Requirements["3.4.9"].Note);
        Assert.Equal([AssessmentMethod.Examine, AssessmentMethod.Test], a.Requirements["3.4.9"].Methods);
        Assert.Equal(Status.Met, Resolution.Resolve(a).StatusOf("3.1.3"));
        var item = a.Poam.Single(p => p.Id == "3.4.9");
        Assert.Equal(PoamStatus.Closed, item.Status);
        Assert.Equal(new DateOnly(2026, 10, 20), item.CompletedOn);
        Assert.Equal(103, Custodes.Assessments.Scoring.ScoreAssessment.Score(a).Score);
    }

    [Fact]
    public void A_renamed_column_is_rejected_naming_sheet_and_cell()
    {
        var e = Rejects(wb => wb.Worksheet("Requirements").Cell(1, 6).Value = "Determination");
        Assert.Equal("Requirements!F1", e.Path);
        Assert.Equal(1, e.Line);
        Assert.Contains("Requirements sheet, row 1", e.Message);
        Assert.Equal("book.xlsx", e.File);
    }

    [Fact]
    public void An_unknown_requirement_id_is_rejected_with_its_row()
    {
        var e = Rejects(wb => SetText(wb.Worksheet("Requirements").Cell(5, 1), "3.1.99"));
        Assert.Equal("Requirements!A5", e.Path);
        Assert.Contains("3.1.99", e.Message);
    }

    [Fact]
    public void A_bad_status_is_rejected_with_sheet_and_row()
    {
        var e = Rejects(wb => wb.Worksheet("Objectives").Cell(3, 4).Value = "mostly");
        Assert.Equal("Objectives!D3", e.Path);
        Assert.Contains("mostly", e.Message);
    }

    [Fact]
    public void A_bad_poam_date_or_status_is_rejected()
    {
        Assert.Equal("POA&M!B2", Rejects(wb => wb.Worksheet("POA&M").Cell(2, 2).Value = "next spring").Path);
        Assert.Equal("POA&M!D3", Rejects(wb => wb.Worksheet("POA&M").Cell(3, 4).Value = "done").Path);
    }

    [Fact]
    public void A_requirement_contradicting_its_objectives_is_rejected_at_its_row()
    {
        var e = Rejects(wb =>
        {
            var reqs = wb.Worksheet("Requirements");
            reqs.Cell(RowOf(reqs, "3.1.3"), 6).Value = "met";
        });
        Assert.Contains("contradicts", e.Message);
        Assert.StartsWith("Requirements!F", e.Path);
    }

    [Fact]
    public void A_missing_sheet_or_another_workbook_is_rejected()
    {
        Assert.Equal("POA&M", Rejects(wb => wb.Worksheet("POA&M").Delete()).Path);
        Assert.Equal("Summary!B2", Rejects(wb => wb.Worksheet("Summary").Cell(2, 2).Value = "something/v9").Path);
        var notXlsx = Assert.Throws<BadInputException>(() => WorkbookImport.Read(Encoding.UTF8.GetBytes("id,status\n3.1.1,met\n"), "x.xlsx"));
        Assert.Contains("not an XLSX workbook", notXlsx.Message);
    }

    [Fact]
    public void Ids_that_look_like_numbers_stay_text()
    {
        using var wb = new XLWorkbook(new MemoryStream(AssessmentWorkbook.Write(SampleData)));
        var reqs = wb.Worksheet("Requirements");
        Assert.Equal(XLDataType.Text, reqs.Cell(RowOf(reqs, "3.1.10"), 1).DataType);
        Assert.Equal(111, reqs.LastRowUsed()!.RowNumber());
        Assert.Equal(321, wb.Worksheet("Objectives").LastRowUsed()!.RowNumber());
    }

    [Fact]
    public void Csv_has_one_row_per_requirement_and_quotes_fields()
    {
        var text = Encoding.UTF8.GetString(AssessmentCsv.Requirements(SampleData));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("framework,id,cmmc_id,", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("nist-sp800-171r2,3.5.3,IA.L2-3.5.3,IA,", StringComparison.Ordinal) && l.Contains(",not-met,mfa-remote-and-privileged-only,3,2027-02-15,", StringComparison.Ordinal));
        var objectives = Encoding.UTF8.GetString(AssessmentCsv.Objectives(SampleData)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(321, objectives.Length);
    }

    [Fact]
    public void Sprs_summary_gives_score_date_scope_and_latest_open_poam_completion()
    {
        var sprs = SprsSummary.From(SampleData);
        Assert.Equal(101, sprs.Score);
        Assert.Equal(new DateOnly(2026, 10, 1), sprs.AssessmentDate);
        Assert.Equal(new DateOnly(2027, 3, 1), sprs.PlanOfActionCompletionDate);
        Assert.Equal(5, sprs.OpenPoamItems);
        Assert.Empty(sprs.Errors);
        var text = sprs.ToText();
        Assert.Contains("Summary level score:             101 of 110", text);
        Assert.Contains("Plan of action completion date:  2027-03-01", text);
    }

    [Fact]
    public void Both_CSVs_apply_back_to_their_assessment_without_loss()
    {
        var sample = Sample.Assessment;
        var requirements = CsvImport.Apply(sample, AssessmentCsv.Requirements(SampleData), "requirements.csv");
        Assert.Equal(Json(sample), Json(requirements));
        var objectives = CsvImport.Apply(sample, AssessmentCsv.Objectives(SampleData), "objectives.csv");
        Assert.Equal(Json(sample), Json(objectives));
        // Also from an empty assessment of the same organization: the requirement CSV carries every recorded determination.
        var empty = sample with { Requirements = new Dictionary<string, Finding>(), Objectives = new Dictionary<string, Finding>(), Poam = [] };
        var rebuilt = CsvImport.Apply(CsvImport.Apply(empty, AssessmentCsv.Objectives(SampleData), "o.csv"), AssessmentCsv.Requirements(SampleData), "r.csv");
        Assert.Equal(Json(sample with { Poam = [] }), Json(rebuilt with { Poam = [] }));
    }

    [Fact]
    public void A_CSV_edit_changes_its_rows_and_a_bad_row_changes_nothing()
    {
        var sample = Sample.Assessment;
        var csv = Encoding.UTF8.GetString(AssessmentCsv.Requirements(SampleData));
        var line = csv.Split("\r\n").First(l => l.StartsWith("nist-sp800-171r2,3.1.4,", StringComparison.Ordinal));
        var edited = line.Split(',');
        edited[7] = "not-met";
        edited[11] = "2027-01-31";
        edited[12] = "=cmd|' /C calc'!A0";
        var changed = CsvImport.Apply(sample, Encoding.UTF8.GetBytes(csv.Replace(line, string.Join(",", edited))), "r.csv");
        Assert.Equal(Status.NotMet, changed.Requirements["3.1.4"].Status);
        Assert.Equal(new DateOnly(2027, 1, 31), changed.Poam.Single(p => p.Id == "3.1.4").PlannedCompletion);
        // What the export defused with a quote reads back as it was written.
        var roundTrip = CsvImport.Apply(changed, AssessmentCsv.Requirements(ReportData.From(changed)), "again.csv");
        Assert.Equal(Json(changed), Json(roundTrip));

        var bad = Assert.Throws<BadInputException>(() => CsvImport.Apply(sample, Encoding.UTF8.GetBytes(csv.Replace(line, line.Replace("nist-sp800-171r2,", "nist-sp800-171r3,"))), "r.csv"));
        Assert.Contains("nist-sp800-171r3", bad.Message);
        Assert.StartsWith("row ", bad.Path);
        var badMethod = Assert.Throws<BadInputException>(() => CsvImport.Apply(sample, Encoding.UTF8.GetBytes(csv.Replace(line, string.Join(",", edited[..14]) + ",observe")), "r.csv"));
        Assert.EndsWith("column methods", badMethod.Path);
        Assert.Throws<BadInputException>(() => CsvImport.Apply(sample, Encoding.UTF8.GetBytes(csv + "nist-sp800-171r2,3.1.4\r\n"), "r.csv"));
    }
}
