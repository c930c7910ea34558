using System.Text;
using System.Text.Json.Nodes;
using ClosedXML.Excel;
using Custodes.Assessments;
using Custodes.Assessments.Poam;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Core.Tests.Assessments;
using Custodes.Reports;
using Custodes.Reports.Oscal;
using Custodes.Reports.Pdf;
using Custodes.Reports.Spreadsheets;
using static Custodes.Core.Tests.Reports.ReportFixtures;

namespace Custodes.Core.Tests.Reports;

/// <summary>The POA&amp;M lists every requirement that is not met, in every form; the explicit entries only add the plan.</summary>
public sealed class PoamSetTests
{
    /// <summary>The case: 3.13.11 not met (not FIPS-validated) and no written plan, so CMMC Level 2 is conditional.</summary>
    private static Custodes.Assessments.Assessment FipsOnly() =>
        SampleAssessments.With(Frameworks.NistR2, true, SampleAssessments.Partial("3.13.11", "encryption-not-fips-validated"));

    /// <summary>Not met with a plan, not met without one, a CMMC-ineligible one, an unassessed one, and a plan kept for a met requirement.</summary>
    private static Custodes.Assessments.Assessment Mixed() =>
        SampleAssessments.With(Frameworks.NistR2, true,
            ("3.1.1", Finding.Of(Status.NotMet)),
            ("3.1.20", Finding.Of(Status.NotMet)),
            ("3.4.9", Finding.Of(Status.Unassessed)),
            ("3.11.3", Finding.Of(Status.NotMet)),
            ("3.1.22", Finding.Of(Status.NotApplicable))) with
        {
            Poam =
            [
                new PoamItem { Id = "3.1.2", Status = PoamStatus.Closed, CompletedOn = new DateOnly(2026, 9, 1), Milestones = "Done before the assessment" },
                new PoamItem { Id = "3.11.3", Status = PoamStatus.InProgress, PlannedCompletion = new DateOnly(2027, 2, 1), Owner = "IT", Milestones = "Patch the NAS" },
            ],
        };

    private static readonly string[] MixedSet = ["3.1.1", "3.1.20", "3.4.9", "3.11.3"];

    [Fact]
    public void An_unmet_requirement_without_a_written_plan_is_on_the_oscal_poam_and_validates()
    {
        var data = ReportData.From(FipsOnly());
        Assert.Equal("conditional", data.Score.Cmmc.Level2.Status);
        var bytes = OscalPoamExport.Write(data);
        Assert.Empty(ValidateOscal("poam", bytes));
        var item = Assert.Single(JsonNode.Parse(bytes)!["plan-of-action-and-milestones"]!["poam-items"]!.AsArray())!;
        Assert.StartsWith("3.13.11", item["title"]!.GetValue<string>());
        Assert.Equal("false", Prop(item, "plan-written"));
        Assert.Equal("true", Prop(item, "cmmc-poam-eligible"));
        Assert.Equal("open", Prop(item, "poam-status"));
    }

    [Fact]
    public void Only_an_assessment_with_every_requirement_met_has_no_poam_and_oscal_refuses_it()
    {
        var allMet = SampleAssessments.AllMet(Frameworks.NistR2, true, ("3.1.22", Status.NotApplicable)) with
        {
            Poam = [new PoamItem { Id = "3.1.1", Status = PoamStatus.Closed, CompletedOn = new DateOnly(2026, 9, 1) }],
        };
        var data = ReportData.From(allMet);
        Assert.Empty(data.Poam.Items);
        Assert.Equal(["3.1.1"], data.Poam.Records.Select(r => r.Id));
        var e = Assert.Throws<BadInputException>(() => OscalPoamExport.Write(data));
        Assert.Contains("every requirement is met", e.Message);
    }

    [Fact]
    public void Unassessed_requirements_are_on_the_poam_because_they_count_as_not_met()
    {
        var plan = PoamPlan.Of(Mixed());
        Assert.Equal(MixedSet, plan.Items.Select(i => i.Id));
        Assert.Equal(Status.Unassessed, plan.Find("3.4.9")!.RequirementStatus);
        Assert.Contains(plan.Find("3.4.9")!.Flags, f => f.Kind == PoamFlagKind.MissingItem && f.Message.Contains("not assessed"));
    }

    [Fact]
    public void A_requirement_CMMC_forbids_on_a_poam_is_listed_and_marked_not_eligible()
    {
        var data = ReportData.From(Mixed());
        var item = data.Poam.Find("3.1.20")!;
        Assert.False(item.CmmcEligible);
        var oscal = JsonNode.Parse(OscalPoamExport.Write(data))!["plan-of-action-and-milestones"]!["poam-items"]!.AsArray();
        Assert.Equal("false", Prop(oscal.Single(i => i!["title"]!.GetValue<string>().StartsWith("3.1.20 ", StringComparison.Ordinal))!, "cmmc-poam-eligible"));
        var pdf = PdfReportTests.Inspect(AssessmentReportPdf.Write(data)).Text;
        Assert.Contains("Not POA&M-eligible under CMMC", pdf);
        var csv = CsvRows(AssessmentCsv.Requirements(data));
        Assert.Equal("false", csv["3.1.20"]["cmmc_poam_eligible"]);
    }

    [Fact]
    public void Oscal_pdf_xlsx_and_csv_list_the_same_requirements_as_the_computed_poam()
    {
        var data = ReportData.From(Mixed());
        Assert.Equal(MixedSet, data.Poam.Items.Select(i => i.Id));

        var oscal = JsonNode.Parse(OscalPoamExport.Write(data))!["plan-of-action-and-milestones"]!["poam-items"]!.AsArray()
            .Select(i => i!["title"]!.GetValue<string>().Split(' ')[0]).ToArray();
        Assert.Equal(MixedSet, oscal);

        var csv = CsvRows(AssessmentCsv.Requirements(data));
        Assert.Equal(MixedSet, csv.Where(r => r.Value["on_poam"] == "yes").Select(r => r.Key));
        Assert.Equal("in-progress", csv["3.11.3"]["poam_status"]);

        using (var wb = new XLWorkbook(new MemoryStream(AssessmentWorkbook.Write(data))))
        {
            var ws = wb.Worksheet(AssessmentWorkbook.PoamSheet);
            var rows = ws.RowsUsed().Skip(1).Select(r => (Id: r.Cell(1).GetString(), Notes: r.Cell(8).GetString())).ToArray();
            Assert.Equal(MixedSet, rows.Where(r => !r.Notes.Contains("not on the POA&M")).Select(r => r.Id));
            Assert.StartsWith("No plan written yet.", rows.Single(r => r.Id == "3.1.1").Notes);
            Assert.Equal(["3.1.2"], rows.Where(r => r.Notes.Contains("not on the POA&M")).Select(r => r.Id));
        }

        var text = PdfReportTests.Inspect(AssessmentReportPdf.Write(data)).Text;
        var section = text[text.LastIndexOf("Plan of action and milestones", StringComparison.Ordinal)..text.IndexOf("Evidence index", StringComparison.Ordinal)];
        foreach (var id in MixedSet) Assert.Contains(id, section);
        Assert.DoesNotContain("3.1.2 ", section);
        Assert.Contains("No plan written yet", section);
        Assert.Contains("Patch the NAS", section);
    }

    [Fact]
    public void The_workbook_lists_unmet_requirements_without_a_plan_and_reading_it_back_adds_no_plan()
    {
        var a = Mixed();
        var back = WorkbookImport.Read(AssessmentWorkbook.Write(ReportData.From(a)), "poam.xlsx");
        Assert.Equal(a.Poam, back.Poam);
    }

    [Fact]
    public void The_csv_reads_back_with_its_poam_columns()
    {
        var a = Mixed();
        var back = CsvImport.Apply(a with { Requirements = new Dictionary<string, Finding>() }, AssessmentCsv.Requirements(ReportData.From(a)), "requirements.csv");
        Assert.Equal(a.Requirements.OrderBy(r => r.Key), back.Requirements.OrderBy(r => r.Key));
    }

    [Fact]
    public void Sprs_counts_every_open_item_of_the_poam()
    {
        var data = ReportData.From(Mixed());
        Assert.Equal(MixedSet.Length, Custodes.Reports.Sprs.SprsSummary.From(data).OpenPoamItems);
        Assert.Equal(new DateOnly(2027, 2, 1), data.PlanOfActionCompletion);
    }

    private static string? Prop(JsonNode item, string name) =>
        item["props"]!.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == name)?["value"]!.GetValue<string>();

    /// <summary>Requirement id → column → value, from the requirements CSV (no field in these fixtures holds a comma or quote).</summary>
    private static Dictionary<string, Dictionary<string, string>> CsvRows(byte[] csv)
    {
        var lines = Encoding.UTF8.GetString(csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = new Dictionary<string, Dictionary<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var cells = SplitCsv(line);
            rows[cells[1]] = header.Select((h, i) => (h, v: i < cells.Count ? cells[i] : "")).ToDictionary(x => x.h, x => x.v);
        }
        return rows;
    }

    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        cells.Add(sb.ToString());
        return cells;
    }
}
