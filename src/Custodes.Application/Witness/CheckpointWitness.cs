using System.Globalization;
using System.Text;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Transparency;
using Custodes.Common;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Witness;

/// <summary>An add-checkpoint answer: the HTTP status C2SP tlog-witness prescribes, its body and content type.</summary>
public sealed record WitnessAnswer(int Status, string Body, string ContentType = WitnessAnswer.Text)
{
    public const string Text = "text/plain; charset=utf-8";
    /// <summary>The content type of a 409 answer, whose body is the size the witness knows.</summary>
    public const string Size = "text/x.tlog.size";
}

/// <summary>A log this installation witnesses, with the newest tree it cosigned.</summary>
public sealed record WitnessedLog(string Origin, string VerifierKey, long Size, string? RootHash, DateTime AddedAt, DateTime? CosignedAt);

/// <summary>
/// This installation as a C2SP tlog-witness: verifies a log's checkpoint and its consistency with the newest tree cosigned for that
/// origin, records the new tree, then cosigns it (cosignature/v1).
/// </summary>
/// <remarks>
/// The record advances only by <c>UPDATE … WHERE origin = @o AND size = @old</c>: the check of the old size and the write are one
/// atomic statement on both databases, so of two requests from the same old size only one is cosigned — never two roots for one
/// size, never a step back, whatever the number of processes or restarts. The record is committed before the cosignature is returned.
/// </remarks>
public sealed class CheckpointWitness(Installation installation, WitnessKeys keys, AuditTrail audit, TimeProvider clock)
{
    public CosignerVerifier? Verifier => keys.Verifier;

    /// <summary>Starts witnessing the log of <paramref name="logVerifierKey"/> (its key name is its origin, as C2SP recommends).</summary>
    public async Task<WitnessedLog> AddLogAsync(string logVerifierKey, string actor, string? origin = null, CancellationToken cancellationToken = default)
    {
        var verifier = NoteVerifier.Parse(logVerifierKey.Trim());
        origin ??= verifier.Name;
        if (origin.Length == 0 || origin.Contains('\n')) throw new BadInputException("a log origin is one non-empty line", path: "origin");
        await using var db = installation.OpenDb();
        var existing = await db.WitnessLogs.FirstOrDefaultAsync(l => l.Origin == origin, cancellationToken);
        if (existing is not null)
        {
            if (existing.VerifierKey == verifier.KeyString) return ToModel(existing);
            throw new ConflictException($"the log '{origin}' is already witnessed with the key {existing.VerifierKey}: a log keeps its key, and a second key for one origin would let it sign a second history");
        }
        var row = new WitnessLogRow { Origin = origin, VerifierKey = verifier.KeyString, Size = 0, AddedAt = clock.GetUtcNow().UtcDateTime };
        db.WitnessLogs.Add(row);
        audit.Record(db, new AuditEvent(null, actor, "witness.log-added", "witness_log", origin, After: new { origin, verifier_key = verifier.KeyString }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return ToModel(row);
    }

    public async Task<IReadOnlyList<WitnessedLog>> ListLogsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var rows = await db.WitnessLogs.AsNoTracking().OrderBy(l => l.Origin).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    /// <summary>Answers one <c>POST /add-checkpoint</c> body.</summary>
    public async Task<WitnessAnswer> AddCheckpointAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        AddCheckpointRequest request;
        try
        {
            request = AddCheckpointRequest.Parse(body.Span);
        }
        catch (BadInputException e)
        {
            return new WitnessAnswer(400, e.Message + "\n");
        }

        // The origin is read before any key is known; the signature is checked against the key recorded for that origin.
        var unverified = SignedNote.Open(request.SignedCheckpoint);
        if (unverified.Note is null) return new WitnessAnswer(400, $"the checkpoint is not a signed note: {unverified.Message}\n");
        var origin = unverified.Note.Text.Split('\n', 2)[0];

        await using var db = installation.OpenDb();
        var log = await db.WitnessLogs.AsNoTracking().FirstOrDefaultAsync(l => l.Origin == origin, cancellationToken);
        // contracts §12: an unknown log is 403, as a bad log signature is (C2SP tlog-witness answers 404 here; the contract decides).
        if (log is null) return new WitnessAnswer(403, $"this witness does not witness the log '{origin}'\n");

        var logKey = NoteVerifier.Parse(log.VerifierKey);
        var opened = SignedNote.Open(request.SignedCheckpoint, logKey);
        if (opened.Error is NoteError.NoKnownSignature or NoteError.InvalidSignature or NoteError.AmbiguousKey)
            return new WitnessAnswer(403, $"the checkpoint carries no valid signature by the key of '{origin}': {opened.Message}\n");
        if (!opened.IsValid) return new WitnessAnswer(400, $"the checkpoint is malformed: {opened.Message}\n");
        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Parse(opened.Note!.Text);
        }
        catch (BadInputException e)
        {
            return new WitnessAnswer(400, e.Message + "\n");
        }

        if (request.OldSize > checkpoint.Size)
            return new WitnessAnswer(400, $"the old size {request.OldSize} is larger than the checkpoint's size {checkpoint.Size}\n");
        if (request.OldSize != log.Size) return Conflict(log.Size);

        var problem = CheckConsistency(request, checkpoint, log);
        if (problem is not null) return new WitnessAnswer(422, problem + "\n");

        var now = clock.GetUtcNow();
        await using (var command = TransparencyLog.Command(db.Database.GetDbConnection(), null,
            "UPDATE witness_logs SET size = @size, root_hash = @root, cosigned_at = @at WHERE origin = @origin AND size = @old"))
        {
            TransparencyLog.Parameter(command, "@size", checkpoint.Size);
            TransparencyLog.Parameter(command, "@root", checkpoint.RootHash.ToArray());
            TransparencyLog.Parameter(command, "@at", now.UtcDateTime);
            TransparencyLog.Parameter(command, "@origin", origin);
            TransparencyLog.Parameter(command, "@old", request.OldSize);
            await db.Database.OpenConnectionAsync(cancellationToken);
            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                // Another request moved the record between our read and our write: it won, this one is told the new size.
                var current = await db.WitnessLogs.AsNoTracking().Where(l => l.Origin == origin).Select(l => l.Size).FirstAsync(cancellationToken);
                return Conflict(current);
            }
        }
        return new WitnessAnswer(200, keys.Load().Cosign(opened.Note!.Text, now));
    }

    private static WitnessAnswer Conflict(long size) =>
        new(409, size.ToString(CultureInfo.InvariantCulture) + "\n", WitnessAnswer.Size);

    // The checks of C2SP tlog-witness that answer 422; null when the checkpoint extends the recorded tree.
    private static string? CheckConsistency(AddCheckpointRequest request, Checkpoint checkpoint, WitnessLogRow log)
    {
        if (checkpoint.Size == 0 && checkpoint.RootHash != MerkleHash.EmptyTree) return "a checkpoint of size 0 must have the root hash of the empty tree";
        if (request.OldSize == 0)
            return request.Proof.Count == 0 ? null : "no consistency proof is needed from size 0, and one was sent";
        var recorded = new MerkleHash(log.RootHash!);
        if (request.OldSize == checkpoint.Size)
        {
            if (request.Proof.Count != 0) return "no consistency proof is needed between equal sizes, and one was sent";
            return checkpoint.RootHash == recorded ? null : $"the checkpoint's root differs from the root of size {checkpoint.Size} this witness cosigned: the log forked";
        }
        var check = MerkleLog.CheckConsistency([.. request.Proof], checkpoint.Size, checkpoint.RootHash, request.OldSize, recorded);
        return check == ProofCheck.Ok ? null : $"the consistency proof from size {request.OldSize} to {checkpoint.Size} does not verify ({check}): the log forked, or the proof is wrong";
    }

    private static WitnessedLog ToModel(WitnessLogRow row) =>
        new(row.Origin, row.VerifierKey, row.Size, row.RootHash is { } r ? Convert.ToBase64String(r) : null, row.AddedAt, row.CosignedAt);
}
