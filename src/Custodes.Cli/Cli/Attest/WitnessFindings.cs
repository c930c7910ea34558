using Custodes.Attestation;
using Custodes.Transparency;

namespace Custodes.Cli.Attest;

/// <summary>Whether enough of the witnesses a verifier trusts cosigned the checkpoint the letter is trusted through (contracts §12).</summary>
internal sealed record WitnessFindings(bool Met, int Quorum, long? CheckpointSize, IReadOnlyList<string> CosignedBy, string? Error)
{
    /// <summary>
    /// The letter's own checkpoint counts when the quorum cosigned it. Online, the log's current checkpoint counts too when the
    /// quorum cosigned it, the log signed it, and it is proved consistent with the letter's (a letter issued before its batch was cosigned).
    /// </summary>
    public static async Task<WitnessFindings> CheckAsync(byte[] bytes, IReadOnlyList<CosignerVerifier> witnesses, int quorum, NoteVerifier? logKey, ILogClient? log, CancellationToken cancellationToken)
    {
        var transparency = LetterBundle.Parse(bytes).Transparency;
        if (transparency is null) return new(false, quorum, null, [], "the letter carries no log proof, so no witness vouches for it");
        var cosigners = WitnessedCheckpoint.FindCosigners(transparency.Checkpoint, witnesses);
        Checkpoint letterCheckpoint;
        try
        {
            letterCheckpoint = Checkpoint.Parse(SignedNote.Open(transparency.Checkpoint).Note?.Text ?? "");
        }
        catch (Common.BadInputException e)
        {
            return new(false, quorum, null, [], e.Message);
        }
        if (cosigners.Count >= quorum) return new(true, quorum, letterCheckpoint.Size, Names(cosigners), null);

        var problem = $"only {cosigners.Count} of the {quorum} required witnesses cosigned the letter's checkpoint ({letterCheckpoint.Size} entries)";
        if (log is null || logKey is null)
            return new(false, quorum, letterCheckpoint.Size, Names(cosigners), problem + ": the log may have shown this letter in a history no witness saw (check online with the log's address to use its newer, witnessed checkpoint)");

        string current;
        try
        {
            current = await log.CheckpointAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException or Common.BadInputException)
        {
            return new(false, quorum, letterCheckpoint.Size, Names(cosigners), $"{problem}, and the log's current checkpoint could not be read: {e.Message}");
        }
        var opened = Checkpoint.Open(current, logKey);
        if (!opened.IsValid) return new(false, quorum, letterCheckpoint.Size, Names(cosigners), $"{problem}, and the log's current checkpoint is not signed by its key: {opened.Message}");
        var now = WitnessedCheckpoint.FindCosigners(current, witnesses);
        if (now.Count < quorum)
            return new(false, quorum, opened.Checkpoint!.Size, Names(now), $"only {now.Count} of the {quorum} required witnesses cosigned the log's checkpoint: the log may be showing you a history no witness saw");
        var errors = new List<string>();
        if (opened.Checkpoint!.Origin != letterCheckpoint.Origin || !await OnlineLetterVerifier.CheckConsistencyAsync(letterCheckpoint, opened.Checkpoint, log, errors, cancellationToken))
            return new(false, quorum, opened.Checkpoint.Size, Names(now), $"the witnessed checkpoint does not extend the letter's: {string.Join("; ", errors.DefaultIfEmpty("another log"))}");
        return new(true, quorum, opened.Checkpoint.Size, Names(now), null);
    }

    private static List<string> Names(IReadOnlyList<(CosignerVerifier Witness, DateTimeOffset Time)> cosigners) => [.. cosigners.Select(c => c.Witness.Name)];
}
