using System.CommandLine;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Spectre.Console;

namespace Custodes.Cli.Score;

/// <summary><c>custodes score &lt;file&gt; [--json] [--fail-under N]</c>: the SPRS score and CMMC status of an assessment file (contracts §3).</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A custodes.assessment/v1 file (JSON or YAML), - for stdin, or the id of a stored assessment." };
        var failUnder = new Option<int?>("--fail-under") { Description = "Exit 1 when the score is below this value, or when no score can be given." };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("score", "Score an assessment by the DoD Assessment Methodology v1.2.1 and derive its CMMC status.") { file, failUnder, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var parsed = await AssessmentInput.LoadAsync(parse.GetValue(file)!, parse, store, ct);
            var report = ScoreAssessment.Score(parsed.Resolution, parsed.Assessment.Ssp, parsed.Assessment.AssessedOn);
            if (reporter.Json) reporter.WriteJson(report);
            else Render(reporter.Console, parsed.Assessment, report);
            return parse.GetValue(failUnder) is { } threshold && (report.Score is null || report.Score < threshold) ? ExitCodes.CheckFailed : ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, Assessment assessment, ScoreReport report)
    {
        var scoreText = report.Score is { } s ? $"[bold]{s}[/] of {report.Max}" : "[red bold]no score[/]";
        console.MarkupLine($"[bold]{Markup.Escape(assessment.Organization)}[/] — {Markup.Escape(report.Framework)}{(assessment.AssessedOn is { } on ? $", assessed {on:yyyy-MM-dd}" : "")}");
        console.MarkupLine($"SPRS score: {scoreText}{(report.Complete ? "" : "  [yellow](incomplete: some requirements unassessed)[/]")}");
        console.MarkupLine($"Met {report.Counts.Met} · not met {report.Counts.NotMet} · not applicable {report.Counts.NotApplicable} · unassessed {report.Counts.Unassessed}");
        console.MarkupLine($"CMMC Level 1: {Status(report.Cmmc.Level1.Status)}{(report.Cmmc.Level1.Blocking.Count > 0 ? $" (blocking: {string.Join(", ", report.Cmmc.Level1.Blocking)})" : "")}");
        var l2 = report.Cmmc.Level2;
        console.MarkupLine($"CMMC Level 2: {Status(l2.Status)}{(l2.CloseoutDue is { } due ? $" — POA&M closeout due {due:yyyy-MM-dd}" : "")}{(l2.PoamIneligible.Count > 0 ? $" (not allowed on a POA&M: {string.Join(", ", l2.PoamIneligible)})" : "")}");
        foreach (var error in report.Errors) console.MarkupLine($"[red]{Markup.Escape(error)}[/]");
        if (report.Deductions.Count == 0) return;
        var catalog = Catalogs.CatalogSet.Get(report.Framework);
        var table = new Table().AddColumns("Requirement", "Status", "Points", "Text");
        foreach (var d in report.Deductions)
            table.AddRow(d.Id, report.Requirements[d.Id], $"-{d.Points}", Markup.Escape(catalog.Find(d.Id)!.Text));
        console.Write(table);
    }

    private static string Status(string status) => status switch
    {
        CmmcStatuses.Final => "[green]final[/]",
        CmmcStatuses.Conditional => "[yellow]conditional[/]",
        _ => "[red]no status[/]",
    };
}
