using System.CommandLine;
using Custodes.Common;
using Custodes.Reports.Pdf;
using Custodes.Reports.Spreadsheets;
using Custodes.Reports.Sprs;
using Custodes.Reports.Ssp;

namespace Custodes.Cli.Report;

/// <summary><c>custodes report pdf|xlsx|csv|sprs|ssp</c>: the assessment report, workbook, CSV, SPRS summary and system security plan (contracts §9).</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report", "Reports of an assessment: PDF report, XLSX workbook, CSV, SPRS summary, system security plan.");
        command.Subcommands.Add(File("pdf", "The assessment report (PDF): summary, score, findings per family, POA&M, evidence index, signatures.", "The PDF to write.", "the assessment report",
            data => AssessmentReportPdf.Write(data), binary: true));
        command.Subcommands.Add(File("xlsx", "The assessment workbook (XLSX) for offline edits; read it back with 'custodes import xlsx'.", "The XLSX to write.", "the assessment workbook",
            data => AssessmentWorkbook.Write(data), binary: true));
        command.Subcommands.Add(Csv());
        command.Subcommands.Add(Sprs());
        command.Subcommands.Add(Ssp());
        return command;
    }

    private static Argument<string> AssessmentArgument() => new("assessment") { Description = "A custodes.assessment/v1 file (JSON or YAML), - for stdin, or the id of a stored assessment." };

    private static Command File(string name, string description, string outDescription, string what, Func<Reports.ReportData, byte[]> write, bool binary)
    {
        var file = AssessmentArgument();
        var output = OutputFile.Option(outDescription);
        var command = new Command(name, description) { file, output };
        var store = new InstallationOptions();
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var data = await AssessmentInput.LoadReportAsync(parse.GetValue(file)!, parse, store, ct);
            OutputFile.Write(parse.GetValue(output)!, write(data), reporter, what, binary);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Csv()
    {
        var file = AssessmentArgument();
        var output = OutputFile.Option("The CSV to write.");
        var objectives = new Option<bool>("--objectives") { Description = "One row per SP 800-171A objective instead of per requirement." };
        var command = new Command("csv", "Requirements (or objectives) as RFC 4180 CSV.") { file, output, objectives };
        var store = new InstallationOptions();
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var data = await AssessmentInput.LoadReportAsync(parse.GetValue(file)!, parse, store, ct);
            var perObjective = parse.GetValue(objectives);
            OutputFile.Write(parse.GetValue(output)!, perObjective ? AssessmentCsv.Objectives(data) : AssessmentCsv.Requirements(data), reporter, perObjective ? "the objectives CSV" : "the requirements CSV");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sprs()
    {
        var file = AssessmentArgument();
        var json = CommonOptions.Json();
        var command = new Command("sprs", "What to type into SPRS: score, assessment date, scope, plan of action completion date.") { file, json };
        var store = new InstallationOptions();
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var summary = SprsSummary.From(await AssessmentInput.LoadReportAsync(parse.GetValue(file)!, parse, store, ct));
            if (reporter.Json) reporter.WriteJson(summary);
            else reporter.Out.Write(summary.ToText());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Ssp()
    {
        var file = AssessmentArgument();
        var output = OutputFile.Option("The plan to write: .pdf or .html (self-contained).");
        var implementation = new Option<string?>("--implementation") { Description = "Implementation statements per requirement (custodes.ssp-implementation/v1, YAML or JSON); see docs/reports.md." };
        var format = new Option<string?>("--format") { Description = "pdf or html (default: from the --out extension)." };
        format.AcceptOnlyFromAmong("pdf", "html");
        var command = new Command("ssp", "The system security plan, as PDF or self-contained HTML.") { file, output, implementation, format };
        var store = new InstallationOptions();
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var path = parse.GetValue(output)!;
            var kind = parse.GetValue(format) ?? Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".pdf" => "pdf",
                ".html" or ".htm" => "html",
                _ => throw new BadInputException($"cannot tell the format from '{path}'; name the file .pdf or .html, or pass --format pdf|html", path: "--out"),
            };
            var data = await AssessmentInput.LoadReportAsync(parse.GetValue(file)!, parse, store, ct);
            var statements = parse.GetValue(implementation) is { } implPath ? DocumentFiles.ReadImplementationStatements(implPath, data.Catalog) : null;
            var ssp = new SspContent(data, statements);
            OutputFile.Write(path, kind == "pdf" ? SspPdf.Write(ssp) : SspHtml.Write(ssp), reporter, $"the system security plan ({kind})", binary: kind == "pdf");
            return ExitCodes.Ok;
        });
        return command;
    }
}
