using System.CommandLine;
using Custodes.Reports.Oscal;
using Custodes.Reports.Ssp;

namespace Custodes.Cli.Export;

/// <summary><c>custodes export oscal-ssp|oscal-ar|oscal-poam &lt;assessment&gt; --out &lt;file.json&gt;</c>: OSCAL 1.2.1 JSON (contracts §9).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var command = new Command("export", "Export an assessment as OSCAL 1.2.1 JSON for C3PAOs, primes and GRC tools.");
        command.Subcommands.Add(Oscal("oscal-ssp", "OSCAL system-security-plan: the system, its boundary and how each requirement is implemented.", withImplementation: true,
            (data, impl) => OscalSspExport.Write(data, impl)));
        command.Subcommands.Add(Oscal("oscal-ar", "OSCAL assessment-results: findings per requirement and objective, observations with evidence, SPRS score and CMMC status.", withImplementation: false,
            (data, _) => OscalAssessmentResultsExport.Write(data)));
        command.Subcommands.Add(Oscal("oscal-poam", "OSCAL plan-of-action-and-milestones: POA&M items with findings, risks and milestones.", withImplementation: false,
            (data, _) => OscalPoamExport.Write(data)));
        return command;
    }

    private static Command Oscal(string name, string description, bool withImplementation, Func<Reports.ReportData, ImplementationStatements?, byte[]> export)
    {
        var file = new Argument<string>("assessment") { Description = "A custodes.assessment/v1 file (JSON or YAML), - for stdin, or the id of a stored assessment." };
        var output = OutputFile.Option("The OSCAL JSON file to write.");
        var implementation = new Option<string?>("--implementation") { Description = "Implementation statements (custodes.ssp-implementation/v1, YAML or JSON); see docs/reports.md." };
        var command = new Command(name, description) { file, output };
        if (withImplementation) command.Options.Add(implementation);
        var store = new InstallationOptions();
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var data = await AssessmentInput.LoadReportAsync(parse.GetValue(file)!, parse, store, ct);
            var statements = withImplementation && parse.GetValue(implementation) is { } path ? DocumentFiles.ReadImplementationStatements(path, data.Catalog) : null;
            OutputFile.Write(parse.GetValue(output)!, export(data, statements), reporter, $"OSCAL {name[6..]}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
