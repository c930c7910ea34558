using System.CommandLine;
using Custodes.Application.Witness;

namespace Custodes.Cli.Witness;

/// <summary><c>custodes witness init|add-log|logs</c>: this installation as a C2SP tlog-witness for other logs (contracts §12).</summary>
internal static class WitnessCommand
{
    internal static string Actor => $"cli:{Environment.UserName}";

    public static Command Create()
    {
        var command = new Command("witness", "Witness other installations' transparency logs: cosign their checkpoints so they cannot show different histories to different people.");
        command.Subcommands.Add(Init());
        command.Subcommands.Add(AddLog());
        command.Subcommands.Add(Logs());
        return command;
    }

    private static Command Init()
    {
        var name = new Option<string?>("--name") { Description = "The witness's name, URL-like (e.g. witness.example.org/custodes); needed the first time." };
        var store = new InstallationOptions();
        var command = new Command("init", "Create this installation's witness key (Ed25519) and print its vkey, which logs and verifiers configure. Run again to print it.") { name };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var keys = workspace.Get<WitnessKeys>();
            var existing = keys.Verifier;
            var requested = parse.GetValue(name);
            if (existing is not null && (requested is null || requested == existing.Name))
            {
                reporter.Out.WriteLine(existing.KeyString);
                return ExitCodes.Ok;
            }
            if (requested is null) throw new Common.BadInputException("this installation has no witness key yet: give the witness's name", path: "witness name");
            reporter.Out.WriteLine(keys.Create(requested).KeyString);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command AddLog()
    {
        var key = new Argument<string>("log-verifier-key") { Description = "The log's note verifier key (<origin>+<hash>+<key>, from 'custodes log verifier-key' on the log's installation)." };
        var store = new InstallationOptions();
        var command = new Command("add-log", "Start witnessing a log: its checkpoints signed by this key are cosigned when they extend the last one cosigned.") { key };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var witness = workspace.Get<CheckpointWitness>();
            var log = await witness.AddLogAsync(parse.GetValue(key)!, Actor, cancellationToken: ct);
            reporter.Out.WriteLine(log.Origin);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Logs()
    {
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("logs", "List the logs this installation witnesses and the newest tree cosigned for each.") { json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var witness = workspace.Get<CheckpointWitness>();
            var logs = await witness.ListLogsAsync(ct);
            if (reporter.Json) reporter.WriteJson(logs.Select(l => new { origin = l.Origin, verifier_key = l.VerifierKey, size = l.Size, root_hash = l.RootHash, cosigned_at = l.CosignedAt }));
            else foreach (var l in logs) reporter.Line($"{l.Origin}  size {l.Size}  {(l.CosignedAt is { } at ? $"last cosigned {at:u}" : "nothing cosigned yet")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
