using System.Text;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Transparency;
using Custodes.Common;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Witness;

/// <summary>A witness the log asks, with how far it has cosigned and its last error.</summary>
public sealed record LogWitness(CosignerVerifier Verifier, string Url, long CosignedSize, DateTime? LastAttemptAt, string? LastError);

/// <summary>A checkpoint of the log with the log's signature and the cosignatures collected for it, as one signed note.</summary>
public sealed record CosignedCheckpoint(long Size, string Note, IReadOnlyList<string> Witnesses);

/// <summary>The log's side of witnessing: which witnesses it asks, the quorum it requires, and the cosigned checkpoint it serves.</summary>
public sealed class LogWitnesses(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Adds (or moves to a new address) a witness the log asks for cosignatures.</summary>
    public async Task<LogWitness> AddAsync(string vkey, string url, string actor, CancellationToken cancellationToken = default)
    {
        var verifier = CosignerVerifier.Parse(vkey);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query))
            throw new BadInputException($"'{url}' is not the http(s) address of a witness (its submission prefix, e.g. https://witness.example.org/witness)", path: "witness url");
        var address = uri.ToString().TrimEnd('/');
        await using var db = installation.OpenDb();
        var row = await db.LogWitnesses.FirstOrDefaultAsync(w => w.VerifierKey == verifier.KeyString, cancellationToken);
        if (await db.LogWitnesses.AnyAsync(w => w.Name == verifier.Name && w.VerifierKey != verifier.KeyString, cancellationToken))
            throw new ConflictException($"a witness named '{verifier.Name}' with another key is already configured: a witness keeps its key");
        var before = row is null ? null : new { row.Url };
        if (row is null)
        {
            row = new LogWitnessRow { VerifierKey = verifier.KeyString, Name = verifier.Name, Url = address, AddedAt = clock.GetUtcNow().UtcDateTime };
            db.LogWitnesses.Add(row);
        }
        else row.Url = address;
        audit.Record(db, new AuditEvent(null, actor, "log.witness-added", "log_witness", verifier.KeyString, before, new { url = address }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return ToModel(row);
    }

    public async Task<IReadOnlyList<LogWitness>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var rows = await db.LogWitnesses.AsNoTracking().OrderBy(w => w.Name).ToListAsync(cancellationToken);
        return rows.Select(ToModel).ToList();
    }

    public async Task<int> QuorumAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.LogWitnessPolicy.AsNoTracking().Where(p => p.Id == 1).Select(p => p.Quorum).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Sets how many configured witnesses must cosign a checkpoint before it is served (0 turns the requirement off).</summary>
    public async Task SetQuorumAsync(int quorum, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var witnesses = await db.LogWitnesses.CountAsync(cancellationToken);
        if (quorum < 0) throw new BadInputException("the quorum is a number of witnesses, 0 or more", path: "quorum");
        if (quorum > witnesses) throw new BadInputException($"a quorum of {quorum} needs at least {quorum} witnesses; {witnesses} are configured (add them first)", path: "quorum");
        var policy = await db.LogWitnessPolicy.FirstAsync(p => p.Id == 1, cancellationToken);
        var before = policy.Quorum;
        policy.Quorum = quorum;
        audit.Record(db, new AuditEvent(null, actor, "log.witness-quorum-set", "log_witness_policy", "1", new { quorum = before }, new { quorum }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>Records a witness's answer: its cosignature on the checkpoint of <paramref name="size"/>, or the size it says it knows.</summary>
    internal async Task RecordAsync(string witnessKey, long size, string? line, long? knownSize, string? error, CancellationToken cancellationToken)
    {
        await using var db = installation.OpenDb();
        var row = await db.LogWitnesses.FirstOrDefaultAsync(w => w.VerifierKey == witnessKey, cancellationToken);
        if (row is null) return;
        var now = clock.GetUtcNow().UtcDateTime;
        row.LastAttemptAt = now;
        row.LastError = error is null ? null : error.Length > 1000 ? error[..1000] : error;
        if (line is not null)
        {
            row.CosignedSize = size;
            if (!await db.LogCosignatures.AnyAsync(c => c.Size == size && c.WitnessKey == witnessKey, cancellationToken))
                db.LogCosignatures.Add(new LogCosignatureRow { Size = size, WitnessKey = witnessKey, Line = line, CosignedAt = now });
        }
        if (knownSize is { } known) row.CosignedSize = known;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The newest checkpoint carrying at least <paramref name="quorum"/> cosignatures of configured witnesses (each re-verified), with
    /// all the cosignatures it has; null when none has that many yet.
    /// </summary>
    public async Task<CosignedCheckpoint?> LatestCosignedAsync(int quorum, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var witnesses = (await db.LogWitnesses.AsNoTracking().Select(w => w.VerifierKey).ToListAsync(cancellationToken)).ToHashSet();
        var candidates = await db.LogCosignatures.AsNoTracking()
            .GroupBy(c => c.Size).Select(g => new { Size = g.Key, Count = g.Count() })
            .Where(g => g.Count >= quorum).OrderByDescending(g => g.Size).Select(g => g.Size).Take(8).ToListAsync(cancellationToken);
        foreach (var size in candidates)
        {
            var checkpoint = await db.LogCheckpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Size == size, cancellationToken);
            if (checkpoint is null) continue;
            var lines = await db.LogCosignatures.AsNoTracking().Where(c => c.Size == size).OrderBy(c => c.WitnessKey).ToListAsync(cancellationToken);
            var text = SignedNote.Open(checkpoint.Note).Note!.Text;
            var valid = lines.Where(l => witnesses.Contains(l.WitnessKey) && IsValid(l, text)).ToList();
            if (valid.Count < quorum) continue;
            var note = new StringBuilder(checkpoint.Note);
            foreach (var line in valid) note.Append(line.Line);
            return new CosignedCheckpoint(size, note.ToString(), valid.Select(l => CosignerVerifier.Parse(l.WitnessKey).Name).ToList());
        }
        return null;

        static bool IsValid(LogCosignatureRow row, string text)
        {
            var opened = SignedNote.ParseSignatureLine(row.Line);
            return opened is { } signature && CosignerVerifier.Parse(row.WitnessKey).FindCosignature(text, [signature]) is not null;
        }
    }

    /// <summary>What <c>/log/checkpoint</c> serves: with a quorum, the newest checkpoint cosigned by it (null while none is); without, the latest.</summary>
    public async Task<string?> ServedCheckpointAsync(TransparencyLog log, CancellationToken cancellationToken = default)
    {
        var quorum = await QuorumAsync(cancellationToken);
        if (quorum == 0) return (await log.LatestCheckpointAsync(cancellationToken))?.Note;
        return (await LatestCosignedAsync(quorum, cancellationToken))?.Note;
    }

    /// <summary>
    /// A letter file as the log serves it: with a quorum set, its proof re-made to the newest quorum-cosigned checkpoint covering
    /// it (a letter is issued before its batch is cosigned); otherwise, or until then, as issued.
    /// </summary>
    public async Task<byte[]> WithWitnessedCheckpointAsync(byte[] bundleJson, TransparencyLog log, CancellationToken cancellationToken = default)
    {
        var quorum = await QuorumAsync(cancellationToken);
        if (quorum == 0) return bundleJson;
        var bundle = Custodes.Attestation.LetterBundle.Parse(bundleJson);
        if (bundle.Transparency is not { } record) return bundleJson;
        if (await LatestCosignedAsync(quorum, cancellationToken) is not { } cosigned || cosigned.Size <= record.Index) return bundleJson;
        var proof = await log.ProveInclusionAsync(cosigned.Size, record.Index, cancellationToken);
        return Custodes.Attestation.Letter.Bundle(bundle.Envelope, record.Origin, record.Index, proof, cosigned.Note).ToUtf8Bytes();
    }

    private static LogWitness ToModel(LogWitnessRow row) => new(CosignerVerifier.Parse(row.VerifierKey), row.Url, row.CosignedSize, row.LastAttemptAt, row.LastError);
}
