using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Custodes.Cli;

namespace Custodes.Cli.Tests;

/// <summary>The export, report and import verbs of contracts §9, run in-process as a person or script would run them.</summary>
public sealed class ReportCommandsTests : IDisposable
{
    private static readonly string RepoRoot = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, "Custodes.slnx")))!;
    private static readonly string Sample = Path.Combine(RepoRoot, "tests", "fixtures", "reports-msp.json");
    private static readonly string Implementation = Path.Combine(RepoRoot, "samples", "ssp", "example-msp-implementation.yaml");
    private static readonly string OscalReference = Custodes.Testing.ExternalTools.OscalReference;
    private readonly string _dir = Directory.CreateTempSubdirectory("custodes-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Out(string name) => Path.Combine(_dir, name);

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("oscal-ssp", "ssp", "system-security-plan")]
    [InlineData("oscal-ar", "assessment-results", "assessment-results")]
    [InlineData("oscal-poam", "poam", "plan-of-action-and-milestones")]
    public async Task Export_writes_OSCAL_that_validates_against_the_schema(string verb, string schema, string root)
    {
        var file = Out($"{verb}.json");
        var (code, stdout, stderr) = await Run("export", verb, Sample, "--out", file);
        Assert.True(code == 0, stderr);
        Assert.Contains("Wrote OSCAL", stdout);
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(file)))
            Assert.Equal("1.2.1", doc.RootElement.GetProperty(root).GetProperty("metadata").GetProperty("oscal-version").GetString());
        var script = Path.Combine(AppContext.BaseDirectory, "validate_oscal.py");
        var result = Python(script, Path.Combine(OscalReference, $"oscal_{schema}_schema.json"), file);
        using var report = JsonDocument.Parse(result);
        Assert.Empty(report.RootElement.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task Export_is_byte_identical_when_run_twice()
    {
        Assert.Equal(0, (await Run("export", "oscal-ar", Sample, "--out", Out("a.json"))).Code);
        Assert.Equal(0, (await Run("export", "oscal-ar", Sample, "--out", Out("b.json"))).Code);
        Assert.Equal(File.ReadAllBytes(Out("a.json")), File.ReadAllBytes(Out("b.json")));
    }

    [Fact]
    public async Task Oscal_assessment_results_import_back_to_an_assessment_with_the_same_score()
    {
        Assert.Equal(0, (await Run("export", "oscal-ar", Sample, "--out", Out("ar.json"))).Code);
        var (code, _, stderr) = await Run("import", "oscal", Out("ar.json"), "--out", Out("back.json"));
        Assert.True(code == 0, stderr);
        var (scoreCode, score, _) = await Run("score", Out("back.json"), "--json");
        Assert.Equal(0, scoreCode);
        Assert.Equal(101, JsonDocument.Parse(score).RootElement.GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task Importing_the_wrong_OSCAL_model_exits_2_naming_the_path_and_writes_nothing()
    {
        Assert.Equal(0, (await Run("export", "oscal-poam", Sample, "--out", Out("poam.json"))).Code);
        var (code, stdout, stderr) = await Run("import", "oscal", Out("poam.json"), "--out", Out("x.json"));
        Assert.Equal(2, code);
        Assert.Contains("$['plan-of-action-and-milestones']", stderr);
        Assert.Empty(stdout);
        Assert.False(File.Exists(Out("x.json")));
    }

    [Fact]
    public async Task Report_pdf_writes_a_paginated_report()
    {
        var (code, _, stderr) = await Run("report", "pdf", Sample, "--out", Out("report.pdf"));
        Assert.True(code == 0, stderr);
        var text = Tool("pdftotext", Out("report.pdf"), "-");
        Assert.Contains("Example MSP LLC", text);
        Assert.Contains("101 of 110", text);
        Assert.Matches(@"Page 1 of \d+", text);
    }

    [Fact]
    public async Task Report_xlsx_and_import_xlsx_round_trip_offline_edits()
    {
        Assert.Equal(0, (await Run("report", "xlsx", Sample, "--out", Out("book.xlsx"))).Code);
        using (var wb = new XLWorkbook(Out("book.xlsx")))
        {
            var ws = wb.Worksheet("Requirements");
            var row = ws.Column(1).CellsUsed().First(c => c.GetString() == "3.8.9").Address.RowNumber;
            ws.Cell(row, 6).Value = "met";
            ws.Cell(row, 8).Value = "Offsite repository encrypted with AES-256 on 2026-10-12.";
            wb.Save();
        }
        var (code, _, stderr) = await Run("import", "xlsx", Out("book.xlsx"), "--out", Out("edited.json"));
        Assert.True(code == 0, stderr);
        var (_, score, _) = await Run("score", Out("edited.json"), "--json");
        Assert.Equal(102, JsonDocument.Parse(score).RootElement.GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task Import_xlsx_with_a_bad_status_exits_2_naming_sheet_and_row()
    {
        Assert.Equal(0, (await Run("report", "xlsx", Sample, "--out", Out("book.xlsx"))).Code);
        using (var wb = new XLWorkbook(Out("book.xlsx")))
        {
            wb.Worksheet("Requirements").Cell(7, 6).Value = "sort-of";
            wb.Save();
        }
        var (code, _, stderr) = await Run("import", "xlsx", Out("book.xlsx"), "--out", Out("x.json"));
        Assert.Equal(2, code);
        Assert.Contains("Requirements!F7", stderr);
        Assert.Contains("row 7", stderr);
        Assert.False(File.Exists(Out("x.json")));
    }

    [Fact]
    public async Task Report_csv_writes_requirements_or_objectives()
    {
        Assert.Equal(0, (await Run("report", "csv", Sample, "--out", Out("r.csv"))).Code);
        Assert.Equal(111, File.ReadAllText(Out("r.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var (code, stdout, _) = await Run("report", "csv", Sample, "--objectives", "--out", "-");
        Assert.Equal(0, code);
        Assert.StartsWith("framework,id,requirement_id,objective,", stdout);
    }

    [Fact]
    public async Task Report_sprs_prints_text_or_json()
    {
        var (code, text, _) = await Run("report", "sprs", Sample);
        Assert.Equal(0, code);
        Assert.Contains("Plan of action completion date:  2027-03-01", text);
        var (jsonCode, json, _) = await Run("report", "sprs", Sample, "--json");
        Assert.Equal(0, jsonCode);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(101, root.GetProperty("score").GetInt32());
        Assert.Equal("2026-10-01", root.GetProperty("assessment_date").GetString());
        Assert.Equal("2027-03-01", root.GetProperty("plan_of_action_completion_date").GetString());
    }

    [Fact]
    public async Task Report_ssp_writes_pdf_or_html_from_the_extension()
    {
        Assert.Equal(0, (await Run("report", "ssp", Sample, "--implementation", Implementation, "--out", Out("ssp.html"))).Code);
        Assert.Contains("Example MSP CUI Environment", File.ReadAllText(Out("ssp.html")));
        Assert.Equal(0, (await Run("report", "ssp", Sample, "--out", Out("ssp.pdf"))).Code);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(File.ReadAllBytes(Out("ssp.pdf")), 0, 5));
        var (code, _, stderr) = await Run("report", "ssp", Sample, "--out", Out("ssp.docx"));
        Assert.Equal(2, code);
        Assert.Contains(".pdf or .html", stderr);
    }

    [Fact]
    public async Task A_missing_assessment_file_exits_2_and_an_unwritable_output_exits_3()
    {
        var (missing, _, stderr) = await Run("report", "pdf", Out("nope.json"), "--out", Out("x.pdf"));
        Assert.Equal(2, missing);
        Assert.Contains("nope.json", stderr);
        var (unwritable, _, err) = await Run("report", "pdf", Sample, "--out", Path.Combine(_dir, "no-such-dir", "x.pdf"));
        Assert.Equal(3, unwritable);
        Assert.Contains("does not exist", err);
    }

    [Fact]
    public async Task A_bad_implementation_file_exits_2_naming_its_line()
    {
        File.WriteAllText(Out("impl.yaml"), "schema: custodes.ssp-implementation/v1\nrequirements:\n  3.1.99: nope\n");
        var (code, _, stderr) = await Run("report", "ssp", Sample, "--implementation", Out("impl.yaml"), "--out", Out("ssp.html"));
        Assert.Equal(2, code);
        Assert.Contains("impl.yaml:3", stderr);
    }

    private static string Python(params string[] args) => Tool("/usr/bin/python3", args);

    private static string Tool(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} failed: {stderr.Result}");
        return stdout.Result;
    }

    private static string? FindUp(string start, Func<string, bool> found)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (found(dir.FullName)) return dir.FullName;
        return null;
    }
}
