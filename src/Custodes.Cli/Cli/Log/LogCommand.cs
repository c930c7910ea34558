using System.CommandLine;
using Custodes.Application.Transparency;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;
using Spectre.Console;

namespace Custodes.Cli.Log;

/// <summary><c>custodes log verifier-key|checkpoint|prove-inclusion|prove-consistency|verify</c>: the installation's transparency log (contracts §5).</summary>
internal static class LogCommand
{
    public static Command Create()
    {
        var command = new Command("log", "The installation's transparency log: its verifier key, checkpoint, proofs, and a full audit.");
        command.Subcommands.Add(VerifierKey());
        command.Subcommands.Add(CheckpointCommand());
        command.Subcommands.Add(ProveInclusion());
        command.Subcommands.Add(ProveConsistency());
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(LogWitnessCommands.AddWitness());
        command.Subcommands.Add(LogWitnessCommands.WitnessQuorum());
        command.Subcommands.Add(LogWitnessCommands.Witnesses());
        command.Subcommands.Add(MonitorCommand.Create());
        return command;
    }

    private static Command VerifierKey()
    {
        var store = new InstallationOptions();
        var command = new Command("verifier-key", "Print the log's note verifier key (<name>+<hash>+<key>), which any signed-note implementation uses to verify checkpoints.");
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            reporter.Out.WriteLine((await workspace.Get<Application.Transparency.LogKeys>().GetAsync(ct)).Verifier.KeyString);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CheckpointCommand()
    {
        var store = new InstallationOptions();
        var command = new Command("checkpoint", "Print the latest signed checkpoint (save it: 'log verify --checkpoint' later proves the log never forked from it).");
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var latest = await workspace.Get<Application.Transparency.TransparencyLog>().LatestCheckpointAsync(ct) ?? throw new BadInputException("the log has no entries yet");
            reporter.Out.Write(latest.Note);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ProveInclusion()
    {
        var index = new Argument<long>("index") { Description = "The entry's index." };
        var size = new Option<long?>("--size") { Description = "The tree size to prove against (default: the latest checkpoint's)." };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("prove-inclusion", "Print the RFC 6962 inclusion proof of an entry.") { index, size, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var log = (await store.OpenAsync(parse, ct)).Get<Application.Transparency.TransparencyLog>();
            var treeSize = parse.GetValue(size) ?? await log.SizeAsync(ct);
            var i = parse.GetValue(index);
            var proof = await log.ProveInclusionAsync(treeSize, i, ct);
            var entry = await log.ReadEntryAsync(i, ct);
            var root = await log.TreeHashAsync(treeSize, ct);
            var origin = (await log.Keys.GetAsync(ct)).Origin;
            var checkpoint = (await log.CheckpointAsync(treeSize, ct))?.Note;
            if (reporter.Json)
                reporter.WriteJson(new { origin, size = treeSize, index = i, leaf_hash = MerkleHash.OfLeaf(entry!).ToBase64(), root_hash = root.ToBase64(), proof = proof.Select(h => h.ToBase64()), checkpoint });
            else
            {
                reporter.Line($"entry {i} in the tree of {treeSize} entries of {origin}");
                reporter.Line($"leaf hash  {MerkleHash.OfLeaf(entry!).ToBase64()}");
                reporter.Line($"root hash  {root.ToBase64()}");
                reporter.Line($"proof ({proof.Length} hashes, leaf sibling first):");
                foreach (var h in proof) reporter.Line($"  {h.ToBase64()}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ProveConsistency()
    {
        var oldSize = new Argument<long>("old-size") { Description = "The older tree size." };
        var newSize = new Argument<long?>("new-size") { Description = "The newer tree size (default: the latest).", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("prove-consistency", "Print the RFC 6962 consistency proof that the newer tree extends the older.") { oldSize, newSize, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var log = (await store.OpenAsync(parse, ct)).Get<Application.Transparency.TransparencyLog>();
            var size = parse.GetValue(newSize) ?? await log.SizeAsync(ct);
            var old = parse.GetValue(oldSize);
            var proof = await log.ProveConsistencyAsync(size, old, ct);
            var oldRoot = await log.TreeHashAsync(old, ct);
            var root = await log.TreeHashAsync(size, ct);
            if (reporter.Json)
                reporter.WriteJson(new { origin = (await log.Keys.GetAsync(ct)).Origin, old_size = old, old_root_hash = oldRoot.ToBase64(), size, root_hash = root.ToBase64(), proof = proof.Select(h => h.ToBase64()) });
            else
            {
                reporter.Line($"the tree of {size} entries (root {root.ToBase64()}) extends the tree of {old} (root {oldRoot.ToBase64()})");
                reporter.Line($"proof ({proof.Length} hashes):");
                foreach (var h in proof) reporter.Line($"  {h.ToBase64()}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify()
    {
        var saved = new Option<string?>("--checkpoint") { Description = "A checkpoint saved earlier (from 'custodes log checkpoint', /log/checkpoint or a letter): the log must extend it, or it forked." };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("verify", "Audit the whole log: recompute every stored hash from the entries, check every checkpoint's signature and root, and consistency with a saved checkpoint. Exit 1 on any failure.") { saved, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            string? note = null;
            if (parse.GetValue(saved) is { } path)
            {
                if (!File.Exists(path)) throw new BadInputException("no such file", path);
                note = await File.ReadAllTextAsync(path, ct);
            }
            var workspace = await store.OpenAsync(parse, ct);
            var result = await workspace.Get<LogAudit>().VerifyAsync(note, ct);
            if (reporter.Json) reporter.WriteJson(new { valid = result.Valid, result.Origin, result.Size, result.RootHash, result.EntriesChecked, result.CheckpointsChecked, result.SavedCheckpointSize, result.Errors });
            else
            {
                foreach (var error in result.Errors) reporter.Console.MarkupLine($"[red]{Markup.Escape(error)}[/]");
                reporter.Line(result.Valid
                    ? $"log {result.Origin}: {result.EntriesChecked} entries and {result.CheckpointsChecked} checkpoints verified{(result.SavedCheckpointSize is { } s ? $"; it extends the saved checkpoint of {s} entries" : "")}."
                    : $"log {result.Origin}: verification FAILED ({result.Errors.Count} problem(s)).");
            }
            return result.Valid ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }
}
