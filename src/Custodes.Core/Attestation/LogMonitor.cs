using System.Text.Json;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Attestation;

/// <summary>What a monitor remembers of a log between runs: the log's key, and the newest checkpoint it verified and read up to.</summary>
public sealed record MonitorState(string VerifierKey, string Checkpoint);

/// <summary>A letter (or a revocation) in the log that names the watched organization.</summary>
public sealed record MonitorFinding(string Kind, long Index, Guid LetterId, string Issuer, string SubjectOrganization, DateTimeOffset At, string? KeyId, string? Detail);

/// <summary>One run of a monitor: the new state (null when the log misbehaved and the old one must stay), what it found, and what went wrong.</summary>
public sealed record MonitorRun(MonitorState? State, long FromSize, long ToSize, IReadOnlyList<MonitorFinding> Findings, IReadOnlyList<string> Problems)
{
    /// <summary>A problem means the log cannot be trusted: it forked, rolled back, or served data that does not match its checkpoint.</summary>
    public bool LogMisbehaved => Problems.Count > 0;
}

/// <summary>
/// Follows a log through its tiles: verifies each new checkpoint and its consistency with the last one seen, reads every new entry
/// (each proved to be in the tree), and reports the letters and revocations naming the watched organization.
/// </summary>
/// <remarks>
/// So an MSP learns of any letter about it, including one signed with a stolen key, and a log that shows the monitor a history
/// different from the one it showed before is caught here: the state is kept, and the fork reported.
/// </remarks>
public static class LogMonitor
{
    public static async Task<MonitorRun> RunAsync(MonitorState? state, NoteVerifier logKey, string subject, ILogClient log, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        if (state is not null && state.VerifierKey != logKey.KeyString)
            return new MonitorRun(null, 0, 0, [], [$"{LogErrors.CheckpointWrongKey}: the log was followed with key {state.VerifierKey}, and now presents {logKey.KeyString}: a log never changes its key"]);
        var served = await log.CheckpointAsync(cancellationToken);
        var opened = Checkpoint.Open(served, logKey);
        if (!opened.IsValid)
            return new MonitorRun(null, 0, 0, [], [$"{(opened.Error == NoteError.InvalidSignature ? LogErrors.CheckpointSignatureInvalid : LogErrors.CheckpointWrongKey)}: the served checkpoint: {opened.Message}"]);
        var now = opened.Checkpoint!;
        var then = state is null ? null : Checkpoint.Parse(SignedNote.Open(state.Checkpoint).Note!.Text);
        if (then is not null && !await OnlineLetterVerifier.CheckConsistencyAsync(then, now, log, problems, cancellationToken))
        {
            problems.Add($"the checkpoint seen before ({then.Size} entries, root {then.RootHash.ToBase64()}) and the one served now ({now.Size} entries, root {now.RootHash.ToBase64()}) are both signed by the log: keep both as evidence\n{state!.Checkpoint}\n{served}");
            return new MonitorRun(null, then.Size, now.Size, [], problems);
        }

        var from = then?.Size ?? 0;
        var findings = new List<MonitorFinding>();
        var hashes = new TileHashReader(now.Size, now.RootHash, log);
        try
        {
            for (var start = from - from % Tile.FullWidth; start < now.Size; start += Tile.FullWidth)
            {
                var tileIndex = start / Tile.FullWidth;
                var width = (int)Math.Min(Tile.FullWidth, now.Size - start);
                var entries = EntryBundle.Decode(await log.EntryBundleAsync(Tile.Entries(tileIndex, width), cancellationToken), width);
                var first = Math.Max(from, start);
                var indexes = Enumerable.Range(0, (int)(start + width - first)).Select(i => MerkleLog.StoredHashIndex(0, first + i)).ToArray();
                var proved = await hashes.ReadHashesAsync(indexes, cancellationToken);
                for (var i = first; i < start + width; i++)
                {
                    var entry = entries[(int)(i - start)];
                    if (MerkleHash.OfLeaf(entry.Span) != proved[i - first])
                    {
                        problems.Add($"{LogErrors.TilesMismatch}: entry {i} served in the entry bundle is not the entry the checkpoint's tree holds");
                        return new MonitorRun(null, from, now.Size, findings, problems);
                    }
                    if (Read(i, entry.Span) is { } finding && Names(finding.SubjectOrganization, subject)) findings.Add(finding);
                }
            }
        }
        catch (TileMismatchException e)
        {
            problems.Add($"{LogErrors.TilesMismatch}: {e.Message}");
            return new MonitorRun(null, from, now.Size, findings, problems);
        }
        return new MonitorRun(new MonitorState(logKey.KeyString, served), from, now.Size, findings, []);
    }

    /// <summary>The same organization, whatever the case and surrounding spaces.</summary>
    public static bool Names(string organization, string subject) =>
        string.Equals(organization.Trim(), subject.Trim(), StringComparison.OrdinalIgnoreCase);

    // A letter (DSSE in-toto envelope) or a revocation; anything else in the log is not about an organization.
    private static MonitorFinding? Read(long index, ReadOnlySpan<byte> entry)
    {
        try
        {
            using var document = JsonDocument.Parse(entry.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("payloadType", out var type) && type.GetString() == InTotoStatement.PayloadType)
            {
                var envelope = DsseEnvelope.FromJson(root);
                var statement = InTotoStatement.Parse(envelope.Payload.Span);
                if (statement.PredicateType != LetterPredicate.Type) return null;
                var letter = LetterPredicate.FromJson(statement.Predicate);
                return new MonitorFinding("letter", index, letter.LetterId, letter.Issuer, letter.SubjectOrganization, letter.IssuedAt,
                    envelope.Signatures.FirstOrDefault()?.KeyId, $"valid until {letter.ValidUntil:yyyy-MM-dd}");
            }
            var (revocation, signed) = Revocation.FromLogEntry(entry);
            return new MonitorFinding("revocation", index, revocation.LetterId, revocation.Issuer, revocation.SubjectOrganization, revocation.RevokedAt,
                signed?.Signatures.FirstOrDefault()?.KeyId, revocation.Reason);
        }
        catch (Exception e) when (e is JsonException or BadInputException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
