using System.CommandLine;
using Custodes.Catalogs;
using Custodes.Common;
using Spectre.Console;

namespace Custodes.Cli.Catalog;

/// <summary><c>custodes catalog list|show|frameworks</c> (contracts §1).</summary>
internal static class CatalogCommand
{
    public static Command Create()
    {
        var command = new Command("catalog", "Browse the frameworks: NIST SP 800-171 r2/r3, SP 800-171A objectives, CMMC Level 1/2.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(FrameworksList());
        return command;
    }

    private static Command List()
    {
        var framework = FrameworkArgument();
        var json = CommonOptions.Json();
        var command = new Command("list", "List a framework's requirements.") { framework, json };
        command.SetHandler(json, (parse, reporter) =>
        {
            var catalog = Resolve(parse.GetValue(framework)!);
            if (reporter.Json)
            {
                reporter.WriteJson(CatalogListing.From(catalog));
                return ExitCodes.Ok;
            }
            var table = new Table().Title(catalog.Title).AddColumns("Id", "Family", "Points", "Objectives", "Requirement");
            foreach (var r in catalog.Requirements)
                table.AddRow(Markup.Escape(DisplayId(catalog, r)), r.FamilyId, r.Points?.ToString() ?? "–", r.Objectives.Count.ToString(), Markup.Escape(r.Text));
            reporter.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var framework = FrameworkArgument();
        var id = new Argument<string>("id") { Description = "Requirement id (3.1.1, AC.L2-3.1.1, 03.01.01)." };
        var json = CommonOptions.Json();
        var command = new Command("show", "Show one requirement with its assessment objectives.") { framework, id, json };
        command.SetHandler(json, (parse, reporter) =>
        {
            var catalog = Resolve(parse.GetValue(framework)!);
            var requirementId = parse.GetValue(id)!;
            var requirement = catalog.Find(requirementId)
                ?? throw new BadInputException($"'{requirementId}' is not a requirement of {catalog.Framework}; run 'custodes catalog list {catalog.Framework}' for the ids");
            var entry = CatalogListing.Entry.From(catalog, requirement);
            if (reporter.Json)
            {
                reporter.WriteJson(new { framework = catalog.Framework, requirement = entry, objective_text = requirement.Objectives.ToDictionary(o => o, o => catalog.FindObjective(o)?.Text) });
                return ExitCodes.Ok;
            }
            var c = reporter.Console;
            c.MarkupLine($"[bold]{Markup.Escape(entry.Id)}[/]  {Markup.Escape(requirement.Family)}{(requirement.Title is null ? "" : " — " + Markup.Escape(requirement.Title))}");
            c.WriteLine(requirement.Text);
            c.WriteLine();
            if (requirement.Points is { } points) c.MarkupLine($"DoD points: [bold]{points}[/]{(requirement.PartialCredit is { } p ? $" (partial: {p.Points} with '{p.Value}')" : "")}");
            if (requirement.Level1) c.MarkupLine("CMMC Level 1 (FAR 52.204-21)");
            if (requirement.R3 is { } r3) c.MarkupLine($"Rev 3: {Markup.Escape(r3.Targets.Count == 0 ? "no successor" : string.Join(", ", r3.Targets))} ({Markup.Escape(r3.Relationship)})");
            if (requirement.R2Predecessors.Count > 0) c.MarkupLine($"Rev 2 predecessors: {string.Join(", ", requirement.R2Predecessors)}");
            foreach (var objective in requirement.Objectives)
                c.MarkupLine($"  [dim]{Markup.Escape(objective)}[/] {Markup.Escape(catalog.FindObjective(objective)?.Text ?? "")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command FrameworksList()
    {
        var json = CommonOptions.Json();
        var command = new Command("frameworks", "List the framework ids.") { json };
        command.SetHandler(json, (_, reporter) =>
        {
            var rows = Frameworks.All.Select(f => CatalogSet.Get(f)).Select(c => new { id = c.Framework, title = c.Title, requirements = c.Requirements.Count }).ToArray();
            if (reporter.Json) reporter.WriteJson(new { frameworks = rows });
            else foreach (var r in rows) reporter.Line($"{r.id,-18} {r.requirements,4}  {r.title}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<string> FrameworkArgument() =>
        new("framework") { Description = $"Framework id: {string.Join(", ", Frameworks.All)}." };

    private static Catalogs.Catalog Resolve(string framework) =>
        CatalogSet.Find(framework) ?? throw new BadInputException($"unknown framework '{framework}'; expected one of {string.Join(", ", Frameworks.All)}");

    private static string DisplayId(Catalogs.Catalog catalog, Requirement r) => CatalogListing.IdFor(catalog, r);
}
