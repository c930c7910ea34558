using System.CommandLine;
using Custodes.Watch.Formats;

namespace Custodes.Cli.Watch;

/// <summary><c>custodes watch detect|simulate|ingest|verify|map-tenant|formats</c> (contracts §7): RMM audit logs in, MSP-borne attacks out.</summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var command = new Command("watch", "Watch what MSP tools do: detect attacks in RMM/remote-access audit logs, simulate logs.");
        command.Subcommands.Add(DetectCommand.Create());
        command.Subcommands.Add(SimulateCommand.Create());
        command.Subcommands.Add(IngestCommand.Create());
        command.Subcommands.Add(VerifyCommand.Create());
        command.Subcommands.Add(MapTenantCommand.Create());
        command.Subcommands.Add(Formats());
        return command;
    }

    private static Command Formats()
    {
        var json = CommonOptions.Json();
        var command = new Command("formats", "List the log formats --format accepts.") { json };
        command.SetHandler(json, (_, reporter) =>
        {
            var rows = EventFormats.All.Select(f => new { name = f.Name, description = f.Description }).ToArray();
            if (reporter.Json) reporter.WriteJson(new { formats = rows });
            else foreach (var r in rows) reporter.Line($"{r.name,-22} {r.description}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
