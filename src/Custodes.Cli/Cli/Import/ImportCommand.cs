using System.CommandLine;
using Custodes.Assessments;
using Custodes.Reports.Oscal;
using Custodes.Reports.Spreadsheets;

namespace Custodes.Cli.Import;

/// <summary><c>custodes import oscal|xlsx &lt;file&gt; --out &lt;assessment.json&gt;</c>: an OSCAL SSP / assessment results, or an edited workbook, back to an assessment file.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var command = new Command("import", "Read an OSCAL document or an edited assessment workbook back into a custodes.assessment/v1 file.");
        command.Subcommands.Add(Import("oscal", "An OSCAL system-security-plan or assessment-results (JSON, OSCAL 1.0–1.2).", "OSCAL JSON file", DocumentFiles.ReadOscal));
        command.Subcommands.Add(Import("xlsx", "A workbook written by 'custodes report xlsx', after offline edits.", "XLSX workbook", DocumentFiles.ReadWorkbook));
        return command;
    }

    private static Command Import(string name, string description, string what, Func<string, Assessment> read)
    {
        var file = new Argument<string>("file") { Description = $"The {what} to read." };
        var output = OutputFile.Option("The assessment file to write (.json, or .yaml/.yml for YAML).");
        var command = new Command(name, description) { file, output };
        command.SetHandler(null, (parse, reporter) =>
        {
            var source = parse.GetValue(file)!;
            var assessment = read(source);
            var path = parse.GetValue(output)!;
            var yaml = path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
            var bytes = yaml ? AssessmentFile.ToYaml(assessment) : AssessmentFile.ToJson(assessment);
            // What is written must read back as a valid assessment file; better to fail here than in the next command.
            AssessmentFile.Parse(bytes, source);
            OutputFile.Write(path, bytes, reporter, "the assessment");
            return ExitCodes.Ok;
        });
        return command;
    }
}
