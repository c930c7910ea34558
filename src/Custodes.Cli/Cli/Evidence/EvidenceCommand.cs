using System.CommandLine;
using Custodes.Common;
using Spectre.Console;

namespace Custodes.Cli.Evidence;

/// <summary><c>custodes evidence add|list|verify</c>: content-addressed evidence files.</summary>
internal static class EvidenceCommand
{
    public static Command Create()
    {
        var command = new Command("evidence", "Store evidence files (content-addressed by SHA-256), link them to requirements, check their integrity.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Verify());
        return command;
    }

    private static Command Add()
    {
        var file = new Argument<string>("file");
        var org = new Option<string?>("--org") { Description = "Owning organization (id or name); defaults to the assessment's owner." };
        var assessment = new Option<Guid?>("--assessment") { Description = "Assessment whose requirements/objectives the evidence supports." };
        var targets = new Option<string[]>("--target") { Description = "Requirement or objective ids (3.5.3, 3.5.3[b]); repeatable.", AllowMultipleArgumentsPerToken = true };
        var name = new Option<string?>("--name") { Description = "Logical document name; a new upload under the same name is its next version. Default: the file name." };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("add", "Store an evidence file and link it; prints its sha256 reference.") { file, org, assessment, targets, name, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new BadInputException("no such file", path);
            var workspace = await store.OpenAsync(parse, ct);
            var assessmentId = parse.GetValue(assessment);
            var tenant = parse.GetValue(org) is { } o ? await workspace.OperatorForAsync(o, ct)
                : assessmentId is { } aid ? await workspace.OperatorForAssessmentAsync(aid, ct)
                : throw new BadInputException("give --org or --assessment");
            await using var content = File.OpenRead(path);
            var item = await workspace.Evidence.AddAsync(tenant, content, Path.GetFileName(path), ContentTypes.For(path), parse.GetValue(name), assessmentId, parse.GetValue(targets) ?? [], ct);
            if (reporter.Json) reporter.WriteJson(item);
            else reporter.Out.WriteLine(item.Reference);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var org = new Option<string>("--org") { Required = true, Description = "Organization (id or name)." };
        var assessment = new Option<Guid?>("--assessment");
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("list", "List evidence versions.") { org, assessment, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var items = await workspace.Evidence.ListAsync(await workspace.OperatorForAsync(parse.GetValue(org)!, ct), parse.GetValue(assessment), ct);
            if (reporter.Json) reporter.WriteJson(new { evidence = items });
            else foreach (var i in items) reporter.Line($"{i.Reference}  v{i.Version}  {i.Size,10:N0} B  {i.Name} ({i.FileName})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify()
    {
        var org = new Option<string?>("--org") { Description = "Only this organization's evidence (orphans are looked for only without --org: they belong to no one)." };
        var removeOrphans = new Option<bool>("--remove-orphans")
        {
            Description = "Delete files in the evidence store that no evidence refers to (left by an upload that failed part-way), and say which.",
        };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("verify", "Rehash every stored evidence file and list files no evidence refers to; exit 1 when one is missing or tampered, or an orphan is left.")
        {
            org, removeOrphans, json,
        };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            Guid? orgId = parse.GetValue(org) is { } o ? (await workspace.Organizations.ResolveAsync(o, ct)).Id : null;
            var remove = parse.GetValue(removeOrphans);
            if (remove && orgId is not null) throw new BadInputException("--remove-orphans looks at the whole evidence store: leave out --org", path: "--org");
            var total = await workspace.Evidence.CountAsync(orgId, ct);
            var problems = await workspace.Evidence.VerifyAsync(orgId, ct);
            IReadOnlyList<Application.Evidence.EvidenceOrphan> orphans = orgId is null ? await workspace.Evidence.OrphansAsync(ct) : [];
            IReadOnlyList<Application.Evidence.EvidenceOrphan> removed = remove ? await workspace.Evidence.RemoveOrphansAsync(orphans, ct) : [];
            var left = orphans.Except(removed).ToArray();
            var valid = problems.Count == 0 && left.Length == 0;
            if (reporter.Json) reporter.WriteJson(new { files = total, valid, problems, orphans = left, removed });
            else
            {
                foreach (var p in problems) reporter.Console.MarkupLine($"[red]{Markup.Escape(p.Name)} v{p.Version}[/]: {Markup.Escape(p.Problem)}");
                foreach (var r in removed) reporter.Line($"removed orphan evidence/{r.Path} ({r.Size:N0} bytes)");
                foreach (var l in left) reporter.Console.MarkupLine($"[yellow]orphan[/]: evidence/{Markup.Escape(l.Path)} ({l.Size:N0} bytes): no evidence refers to it");
                reporter.Line(problems.Count == 0 ? $"{total} evidence files verified: all intact." : $"{problems.Count} of {total} evidence files failed verification.");
                if (left.Length > 0) reporter.Line($"{left.Length} orphan file(s) in the evidence store; remove them with 'custodes evidence verify --remove-orphans'.");
            }
            return valid ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}

/// <summary>Content types of common evidence files, by extension.</summary>
internal static class ContentTypes
{
    public static string For(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pdf" => "application/pdf",
        ".txt" or ".log" => "text/plain",
        ".csv" => "text/csv",
        ".json" => "application/json",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    };
}
