using System.CommandLine;
using Custodes.Application.Audit;

namespace Custodes.Cli.Audit;

/// <summary><c>custodes audit list|verify</c>: the hash-chained audit trail.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var command = new Command("audit", "Read and verify the append-only, hash-chained audit trail.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Verify());
        return command;
    }

    private static Command List()
    {
        var org = new Option<string?>("--org") { Description = "Only this organization's entries." };
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 100 };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("list", "List the latest audit entries.") { org, limit, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            Guid? orgId = parse.GetValue(org) is { } o ? (await workspace.Organizations.ResolveAsync(o, ct)).Id : null;
            var rows = await workspace.Get<AuditLog>().ListInstallationAsync(orgId, parse.GetValue(limit), ct);
            if (reporter.Json)
                reporter.WriteJson(new { entries = rows.Select(r => new { r.Entry.Sequence, r.OrganizationId, at = r.Entry.At, r.Entry.Actor, r.Entry.Action, r.Entry.EntityType, r.Entry.EntityId, r.Entry.Before, r.Entry.After, r.Entry.Hash }) });
            else foreach (var (_, e) in rows) reporter.Line($"{e.Sequence,6}  {e.At:yyyy-MM-dd HH:mm:ss}Z  {e.Actor,-28} {e.Action,-24} {e.EntityType} {e.EntityId}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify()
    {
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("verify", "Recompute the audit chain; exit 1 when an entry was changed, removed or reordered.") { json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var result = await workspace.Get<AuditLog>().VerifyAsync(ct);
            if (reporter.Json) reporter.WriteJson(result);
            else reporter.Line(result.Valid ? $"audit trail intact: {result.Entries} entries" : $"audit trail BROKEN: {result.Problem}");
            return result.Valid ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}
