using System.CommandLine;
using Custodes.Common;
using Custodes.Reports.Artifacts;
using Custodes.Reports.Pdf;
using Custodes.Reports.Spreadsheets;
using Custodes.Reports.Sprs;
using Custodes.Reports.Ssp;

namespace Custodes.Cli.Report;

/// <summary><c>custodes report pdf|xlsx|cmmc-workbook|artifact-hashes|csv|sprs|ssp</c>: the assessment report, workbook, CSV, SPRS summary and system security plan (contracts §9).</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report", "Reports of an assessment: PDF report, XLSX workbook, CSV, SPRS summary, system security plan.");
        command.Subcommands.Add(File("pdf", "The assessment report (PDF): summary, score, findings per family, POA&M, evidence index, signatures.", "The PDF to write.", "the assessment report",
            data => AssessmentReportPdf.Write(data), binary: true));
        command.Subcommands.Add(File("xlsx", "The assessment workbook (XLSX) for offline edits; read it back with 'custodes import xlsx'.", "The XLSX to write.", "the assessment workbook",
            data => AssessmentWorkbook.Write(data), binary: true));
        command.Subcommands.Add(CmmcWorkbook());
        command.Subcommands.Add(ArtifactHashes());
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

    private static Command CmmcWorkbook()
    {
        var file = AssessmentArgument();
        var output = OutputFile.Option("The XLSX to write.");
        var command = new Command("cmmc-workbook", "The CMMC assessment results workbook (XLSX) to hand over: the assessment, each requirement and each objective with status, methods (examine/interview/test), assessor notes and what is inherited from which provider.") { file, output };
        var store = new InstallationOptions();
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var source = parse.GetValue(file)!;
            byte[] workbook;
            if (StoredId(source) is { } id)
            {
                var workspace = await store.OpenAsync(parse, ct);
                workbook = await Deliverables(workspace).WorkbookAsync(await workspace.OperatorForAssessmentAsync(id, ct), id, ct);
            }
            else workbook = ResultsWorkbook.Write(await AssessmentInput.LoadReportAsync(source, parse, store, ct));
            OutputFile.Write(parse.GetValue(output)!, workbook, reporter, "the CMMC results workbook", binary: true);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ArtifactHashes()
    {
        var source = new Argument<string?>("assessment") { Description = "The id of a stored assessment: its evidence files are listed. Omit it with --from-dir.", Arity = ArgumentArity.ZeroOrOne };
        var fromDir = new Option<string?>("--from-dir") { Description = "List every file under this folder instead (the artifacts as the organization keeps them), by path relative to it." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = $"The list to write (e.g. {ArtifactHashList.FileName}); its own SHA-256 goes beside it in <out>.hash." };
        var json = CommonOptions.Json();
        var command = new Command("artifact-hashes", "The artifact hash list of the DoD CMMC Hashing Guide: the SHA-256 of each artifact (sha256sum format, check with 'sha256sum -c'), and the SHA-256 of the list, which a letter carries (attest issue --artifacts).")
            { source, fromDir, output, json };
        var store = new InstallationOptions();
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            ArtifactHashList list;
            if (parse.GetValue(fromDir) is { } dir)
            {
                if (parse.GetValue(source) is not null) throw new BadInputException("give either an assessment id or --from-dir, not both");
                list = await FromDirectoryAsync(dir, ct);
            }
            else if (parse.GetValue(source) is { } text && StoredId(text) is { } id)
            {
                var workspace = await store.OpenAsync(parse, ct);
                list = await Deliverables(workspace).ArtifactHashesAsync(await workspace.OperatorForAssessmentAsync(id, ct), id, ct);
            }
            else throw new BadInputException("name the stored assessment whose evidence to list (its id), or a folder of artifacts with --from-dir");
            if (list.Artifacts.Count == 0) throw new BadInputException("there are no artifacts to list: the assessment has no evidence files");
            var path = parse.GetValue(output)!;
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null) Directory.CreateDirectory(directory);
            await System.IO.File.WriteAllBytesAsync(path, list.Content, ct);
            await System.IO.File.WriteAllBytesAsync(path + ".hash", list.HashFile(Path.GetFileName(path)), ct);
            if (reporter.Json) reporter.WriteJson(new { @out = path, hash_file = path + ".hash", sha256 = list.Sha256, artifacts = list.Artifacts.Count });
            else
            {
                reporter.Out.WriteLine(list.Sha256);
                reporter.Err.WriteLine($"{list.Artifacts.Count} artifact(s) listed in {path}; the list's SHA-256 is in {path}.hash");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Guid? StoredId(string source) => source != "-" && !System.IO.File.Exists(source) && Guid.TryParse(source, out var id) ? id : null;

    private static Application.Deliverables.CmmcDeliverables Deliverables(Workspace workspace) => workspace.Get<Application.Deliverables.CmmcDeliverables>();

    private static async Task<ArtifactHashList> FromDirectoryAsync(string dir, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(dir)) throw new BadInputException("no such folder", dir);
        var root = Path.GetFullPath(dir);
        var artifacts = new List<Artifact>();
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            await using var stream = System.IO.File.OpenRead(path);
            var hash = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken));
            artifacts.Add(new Artifact(Path.GetRelativePath(root, path).Replace('\\', '/'), hash));
        }
        return ArtifactHashList.Build(artifacts);
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
