using System.CommandLine;

namespace Custodes.Cli.Watch;

/// <summary><c>custodes watch verify --msp &lt;org&gt;</c>: recomputes every stored batch of an MSP's events and checks its
/// Merkle log against the signed checkpoints; exit 1 naming each deleted or edited event (batch and position).</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var msp = new Option<string>("--msp") { Description = "The MSP organization (id or name).", Required = true };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("verify", "Check that an MSP's stored events are exactly those logged (tamper evidence).") { msp, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var org = await workspace.Organizations.ResolveAsync(parse.GetValue(msp)!, ct);
            await workspace.Get<Application.Watch.WatchMspStore>().EnsureAsync(org.Id, ct);
            var result = await workspace.Get<Application.Watch.WatchLog>().VerifyAsync(org.Id, ct);
            if (reporter.Json) reporter.WriteJson(result);
            else
            {
                foreach (var p in result.Problems) reporter.Error(p.Describe());
                reporter.Line(result.Ok
                    ? $"ok: {result.Events} events in {result.Batches} batches match the signed log {result.Origin} (size {result.CheckpointSize})"
                    : $"TAMPERED: {result.Problems.Count} problem(s) in {org.Name}'s stored events ({result.Batches} batches, {result.Events} events checked)");
            }
            return result.Ok ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}
