using System.CommandLine;
using Custodes.Application.Witness;
using Custodes.Cli.Witness;

namespace Custodes.Cli.Log;

/// <summary><c>custodes log add-witness|witness-quorum|witnesses</c>: the witnesses this installation's log asks for cosignatures.</summary>
internal static class LogWitnessCommands
{
    public static Command AddWitness()
    {
        var vkey = new Argument<string>("witness-vkey") { Description = "The witness's vkey (<name>+<key id>+<key>, from 'custodes witness init' on the witness)." };
        var url = new Option<string>("--url") { Description = "The witness's base address; the log POSTs to <url>/add-checkpoint (for a Custodes witness: https://host/witness).", Required = true };
        var store = new InstallationOptions();
        var command = new Command("add-witness", "Ask a witness to cosign this log's checkpoints ('custodes serve' does it in the background after each append).") { vkey, url };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var witness = await workspace.Get<LogWitnesses>().AddAsync(parse.GetValue(vkey)!, parse.GetValue(url)!, WitnessCommand.Actor, ct);
            reporter.Out.WriteLine(witness.Verifier.Name);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command WitnessQuorum()
    {
        var k = new Argument<int>("k") { Description = "How many of the configured witnesses must cosign a checkpoint before it is served (0: none)." };
        var store = new InstallationOptions();
        var command = new Command("witness-quorum", "Serve (at /log/checkpoint and in letters) only checkpoints cosigned by at least k of this log's witnesses.") { k };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            await workspace.Get<LogWitnesses>().SetQuorumAsync(parse.GetValue(k), WitnessCommand.Actor, ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Witnesses()
    {
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("witnesses", "List this log's witnesses, how far each has cosigned, its last error, and the quorum.") { json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var witnesses = workspace.Get<LogWitnesses>();
            var list = await witnesses.ListAsync(ct);
            var quorum = await witnesses.QuorumAsync(ct);
            if (reporter.Json)
                reporter.WriteJson(new { quorum, witnesses = list.Select(w => new { name = w.Verifier.Name, vkey = w.Verifier.KeyString, url = w.Url, cosigned_size = w.CosignedSize, last_attempt_at = w.LastAttemptAt, last_error = w.LastError }) });
            else
            {
                reporter.Line($"quorum: {quorum} of {list.Count}");
                foreach (var w in list) reporter.Line($"{w.Verifier.Name}  {w.Url}  cosigned up to {w.CosignedSize}{(w.LastError is { } e ? $"  (last error: {e})" : "")}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
