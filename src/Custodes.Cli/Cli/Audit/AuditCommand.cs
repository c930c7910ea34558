using System.CommandLine;
using Custodes.Application.Audit;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Cli.Audit;

/// <summary><c>custodes audit list|verify</c>: the hash-chained audit trail.</summary>
public static class AuditCommand
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
            await using var db = workspace.Installation.OpenDb();
            var rows = await db.Audit.AsNoTracking().Where(a => orgId == null || a.OrganizationId == orgId)
                .OrderByDescending(a => a.Sequence).Take(Math.Clamp(parse.GetValue(limit), 1, 10_000)).ToListAsync(ct);
            if (reporter.Json)
                reporter.WriteJson(new { entries = rows.Select(r => new { r.Sequence, r.OrganizationId, at = r.At, r.Actor, r.Action, r.EntityType, r.EntityId, r.Before, r.After, hash = Convert.ToHexStringLower(r.Hash) }) });
            else foreach (var r in rows) reporter.Line($"{r.Sequence,6}  {r.At:yyyy-MM-dd HH:mm:ss}Z  {r.Actor,-28} {r.Action,-24} {r.EntityType} {r.EntityId}");
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
            await using var db = workspace.Installation.OpenDb();
            var result = await AuditTrail.VerifyAsync(db, ct);
            if (reporter.Json) reporter.WriteJson(result);
            else reporter.Line(result.Valid ? $"audit trail intact: {result.Entries} entries" : $"audit trail BROKEN: {result.Problem}");
            return result.Valid ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}
