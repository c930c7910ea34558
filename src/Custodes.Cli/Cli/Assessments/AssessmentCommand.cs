using System.CommandLine;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Common;

namespace Custodes.Cli.Assessments;

/// <summary><c>custodes assessment import|list|show|export</c>: assessments stored in an installation.</summary>
internal static class AssessmentCommand
{
    public static Command Create()
    {
        var command = new Command("assessment", "Store and read assessments in an installation.");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<string>("file") { Description = "A custodes.assessment/v1 file (JSON or YAML)." };
        var org = new Option<string>("--org") { Description = "Organization (id or exact name) that owns the assessment: the assessor firm, or the MSP preparing itself.", Required = true };
        var store = new InstallationOptions();
        var command = new Command("import", "Validate and store an assessment file in one transaction; prints its id.") { file, org };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var parsed = AssessmentInput.LoadFile(parse.GetValue(file)!);
            var workspace = await store.OpenAsync(parse, ct);
            var tenant = await workspace.OperatorForAsync(parse.GetValue(org)!, ct);
            reporter.Out.WriteLine(await workspace.Assessments.ImportAsync(tenant, parsed, ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var org = new Option<string>("--org") { Description = "Organization (id or exact name).", Required = true };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("list", "List an organization's assessments with their scores.") { org, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var tenant = await workspace.OperatorForAsync(parse.GetValue(org)!, ct);
            var rows = new List<object>();
            foreach (var summary in await workspace.Assessments.ListAsync(tenant, 0, 500, ct))
            {
                var report = (await workspace.Assessments.ScoreAsync(tenant, summary.Id, ct))!;
                rows.Add(new { summary.Id, summary.Subject, summary.Framework, summary.AssessedOn, report.Score, cmmc_level2 = report.Cmmc.Level2.Status });
                if (!reporter.Json)
                    reporter.Line($"{summary.Id}  {summary.AssessedOn:yyyy-MM-dd}  {summary.Framework,-17} score {(report.Score?.ToString() ?? "none"),4}  L2 {report.Cmmc.Level2.Status,-11} {summary.Subject}");
            }
            if (reporter.Json) reporter.WriteJson(new { assessments = rows });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export()
    {
        var id = new Argument<Guid>("id");
        var output = new Option<string?>("--out") { Description = "File to write (.json or .yaml); stdout when absent." };
        var store = new InstallationOptions();
        var command = new Command("export", "Write a stored assessment as a custodes.assessment/v1 file.") { id, output };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var assessmentId = parse.GetValue(id);
            var tenant = await workspace.OperatorForAssessmentAsync(assessmentId, ct);
            var stored = await workspace.Assessments.GetAsync(tenant, assessmentId, ct);
            var path = parse.GetValue(output);
            var yaml = path is not null && (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase));
            var bytes = yaml ? AssessmentFile.ToYaml(stored.Assessment) : AssessmentFile.ToJson(stored.Assessment);
            if (path is null) await reporter.Out.WriteAsync(System.Text.Encoding.UTF8.GetString(bytes));
            else await File.WriteAllBytesAsync(path, bytes, ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
