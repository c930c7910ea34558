using System.Data.Common;
using System.Security.Cryptography;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Assessments;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Evidence;

/// <summary>An evidence version as listed to its tenant.</summary>
public sealed record EvidenceItem(Guid Id, string Name, int Version, string Sha256, string FileName, string ContentType, long Size, DateTime UploadedAt, string UploadedBy)
{
    public string Reference => EvidenceReference.Prefix + Sha256;
}

/// <summary>A file in the evidence store that no evidence refers to: its path under the evidence directory and its size.</summary>
public sealed record EvidenceOrphan(string Path, long Size);

/// <summary>One problem found by <see cref="EvidenceStore.VerifyAsync"/>.</summary>
public sealed record EvidenceProblem(Guid EvidenceId, string Name, int Version, string Sha256, string Problem);

/// <summary>Evidence files, content-addressed by SHA-256 under the data directory, described and versioned in the database.</summary>
/// <remarks>An upload is authorized and its targets checked before anything is written; the file is written to a temporary name,
/// hashed while streaming, then moved into place, and removed again when recording it fails: a refused or failed upload leaves nothing behind.</remarks>
public sealed class EvidenceStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Largest evidence file accepted by default (100 MiB).</summary>
    public const long DefaultMaxBytes = 100L * 1024 * 1024;

    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Stores a file as the next version of the named evidence and links it to requirements/objectives of an assessment.</summary>
    public async Task<EvidenceItem> AddAsync(Tenant tenant, Stream content, string fileName, string contentType, string? name, Guid? assessmentId, IReadOnlyList<string> targets, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        fileName = Path.GetFileName(fileName);
        if (string.IsNullOrWhiteSpace(fileName)) throw new BadInputException("the evidence file needs a name");
        // Who may add to what, and whether the targets exist, is settled before a byte is written: a refused upload leaves nothing.
        await using var db = installation.OpenDb();
        AssessmentRow? assessment = null;
        if (assessmentId is { } aid)
        {
            assessment = await db.Assessments.FirstOrDefaultAsync(a => a.Id == aid && a.OrganizationId == tenant.OrganizationId, cancellationToken)
                ?? throw new NotFoundException($"no assessment {aid}");
            var catalog = Catalogs.CatalogSet.Get(assessment.Framework);
            foreach (var target in targets)
                if (catalog.Find(target) is null && catalog.FindObjective(target) is null)
                    throw new BadInputException($"'{target}' is neither a requirement nor an objective of {assessment.Framework}");
        }
        else if (targets.Count > 0)
            throw new BadInputException("linking evidence to requirements needs an assessment");

        var (sha256, size, created) = await WriteAsync(content, fileName, cancellationToken);
        try
        {
            return await RecordAsync(db, tenant, assessment, sha256, size, fileName, contentType, name, assessmentId, targets, cancellationToken);
        }
        catch when (created)
        {
            await RemoveUnreferencedAsync(sha256);
            throw;
        }
    }

    private async Task<EvidenceItem> RecordAsync(CustodesDb db, Tenant tenant, AssessmentRow? assessment, string sha256, long size, string fileName, string contentType,
        string? name, Guid? assessmentId, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        name = string.IsNullOrWhiteSpace(name) ? fileName : name.Trim();
        var version = 1 + (await db.Evidence.Where(e => e.OrganizationId == tenant.OrganizationId && e.Name == name).MaxAsync(e => (int?)e.Version, cancellationToken) ?? 0);
        var row = new EvidenceRow
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = tenant.OrganizationId,
            Sha256 = sha256,
            Name = name,
            Version = version,
            FileName = fileName,
            ContentType = string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType,
            Size = size,
            UploadedAt = clock.GetUtcNow().UtcDateTime,
            UploadedBy = tenant.Actor,
        };
        db.Evidence.Add(row);
        if (assessment is not null)
        {
            var catalog = Catalogs.CatalogSet.Get(assessment.Framework);
            foreach (var target in targets.Select(t => catalog.FindObjective(t)?.Id ?? catalog.Find(t)!.Id).Distinct())
            {
                db.EvidenceLinks.Add(new EvidenceLinkRow { EvidenceId = row.Id, AssessmentId = assessment.Id, TargetId = target });
                var determination = await db.Determinations.FirstOrDefaultAsync(d => d.AssessmentId == assessment.Id && d.TargetId == target, cancellationToken);
                var reference = EvidenceReference.Prefix + sha256;
                if (determination is null)
                    db.Determinations.Add(new DeterminationRow { AssessmentId = assessment.Id, TargetId = target, IsObjective = target.Contains('['), Status = StatusNames.Unassessed, Evidence = reference });
                else if (determination.Evidence?.Split('\n').Contains(reference) != true)
                    determination.Evidence = determination.Evidence is null ? reference : determination.Evidence + "\n" + reference;
            }
            assessment.Version++;
            assessment.UpdatedAt = row.UploadedAt;
        }
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "evidence.added", "evidence", row.Id.ToString(),
            After: new { row.Name, row.Version, row.Sha256, row.FileName, row.Size, assessment = assessmentId, targets }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return ToItem(row);
    }

    public async Task<IReadOnlyList<EvidenceItem>> ListAsync(Tenant tenant, Guid? assessmentId = null, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var query = db.Evidence.AsNoTracking().Where(e => e.OrganizationId == tenant.OrganizationId);
        if (assessmentId is { } aid) query = query.Where(e => db.EvidenceLinks.Any(l => l.EvidenceId == e.Id && l.AssessmentId == aid));
        var rows = await query.OrderBy(e => e.Name).ThenBy(e => e.Version).ToListAsync(cancellationToken);
        return rows.Select(ToItem).ToArray();
    }

    /// <summary>Which evidence is linked to which requirement or objective of a tenant's assessment.</summary>
    public async Task<ILookup<string, EvidenceItem>> LinksAsync(Tenant tenant, Guid assessmentId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var rows = await (
            from l in db.EvidenceLinks
            join e in db.Evidence on l.EvidenceId equals e.Id
            where l.AssessmentId == assessmentId && e.OrganizationId == tenant.OrganizationId
            orderby e.Name, e.Version
            select new { l.TargetId, Row = e }).AsNoTracking().ToListAsync(cancellationToken);
        return rows.ToLookup(r => r.TargetId, r => ToItem(r.Row), StringComparer.Ordinal);
    }

    /// <summary>Opens a tenant's evidence file for reading, checking that its content still has the recorded hash.</summary>
    public async Task<(EvidenceItem Item, Stream Content)> OpenAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await db.Evidence.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no evidence {id}");
        return (ToItem(row), File.OpenRead(PathFor(row.Sha256)));
    }

    /// <summary>Opens an evidence file of the named owner for a reader the caller has already authorized (the firm of an engagement it was attached to).</summary>
    internal async Task<(EvidenceItem Item, Stream Content)> OpenOwnedAsync(Guid ownerOrganizationId, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await db.Evidence.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.OrganizationId == ownerOrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no evidence {id}");
        return (ToItem(row), File.OpenRead(PathFor(row.Sha256)));
    }

    /// <summary>Rehashes every stored evidence file (of one tenant, or all): reports missing and tampered files.</summary>
    public async Task<IReadOnlyList<EvidenceProblem>> VerifyAsync(Guid? organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var rows = await db.Evidence.AsNoTracking().Where(e => organizationId == null || e.OrganizationId == organizationId).OrderBy(e => e.Name).ThenBy(e => e.Version).ToListAsync(cancellationToken);
        var problems = new List<EvidenceProblem>();
        foreach (var row in rows)
        {
            var path = PathFor(row.Sha256);
            if (!File.Exists(path))
            {
                problems.Add(new EvidenceProblem(row.Id, row.Name, row.Version, row.Sha256, $"missing: {path}"));
                continue;
            }
            await using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (actual != row.Sha256)
                problems.Add(new EvidenceProblem(row.Id, row.Name, row.Version, row.Sha256, $"tampered: {path} now hashes to {actual}"));
        }
        return problems;
    }

    public async Task<int> CountAsync(Guid? organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.Evidence.CountAsync(e => organizationId == null || e.OrganizationId == organizationId, cancellationToken);
    }

    // Streams the upload to a temporary file while hashing it, then moves it to its content address. Created: whether this upload
    // put the file there (an identical file stored earlier is kept as it is, and never removed on this upload's behalf).
    private async Task<(string Sha256, long Size, bool Created)> WriteAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        installation.EnsureDirectory(installation.EvidenceDirectory);
        var temp = Path.Combine(installation.EvidenceDirectory, $".upload-{Guid.NewGuid():N}");
        try
        {
            var (sha256, size) = await CopyHashingAsync(content, temp, fileName, cancellationToken);
            var final = PathFor(sha256);
            installation.EnsureDirectory(Path.GetDirectoryName(final)!);
            if (File.Exists(final)) return (sha256, size, false);
            File.Move(temp, final);
            return (sha256, size, true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    // After a refused or failed upload: its file goes unless some evidence (stored meanwhile by another upload) refers to it.
    private async Task RemoveUnreferencedAsync(string sha256)
    {
        try
        {
            await using var db = installation.OpenDb();
            if (!await db.Evidence.AnyAsync(e => e.Sha256 == sha256)) File.Delete(PathFor(sha256));
        }
        catch (Exception e) when (e is IOException or DbException or UnauthorizedAccessException)
        {
            // Left for `custodes evidence verify --remove-orphans`, which finds files no evidence refers to.
        }
    }

    /// <summary>A file younger than this may belong to an upload under way (written, not yet recorded): it is not called an orphan.</summary>
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromMinutes(10);

    /// <summary>Files in the evidence store that no evidence refers to (left by an upload that failed part-way, or by hand), with their sizes.</summary>
    public async Task<IReadOnlyList<EvidenceOrphan>> OrphansAsync(CancellationToken cancellationToken = default)
    {
        var settled = clock.GetUtcNow().UtcDateTime - OrphanGrace;
        var root = Path.Combine(installation.EvidenceDirectory, "sha256");
        var files = new List<string>();
        if (Directory.Exists(root)) files.AddRange(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories));
        if (Directory.Exists(installation.EvidenceDirectory))
            files.AddRange(Directory.EnumerateFiles(installation.EvidenceDirectory, ".upload-*", SearchOption.TopDirectoryOnly));
        if (files.Count == 0) return [];
        await using var db = installation.OpenDb();
        var known = (await db.Evidence.AsNoTracking().Select(e => e.Sha256).Distinct().ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        return [.. files
            .Where(f => !(Path.GetFileName(f) is var n && known.Contains(n) && f == PathFor(n)) && File.GetLastWriteTimeUtc(f) < settled)
            .Order(StringComparer.Ordinal)
            .Select(f => new EvidenceOrphan(Path.GetRelativePath(installation.EvidenceDirectory, f), new FileInfo(f).Length))];
    }

    /// <summary>Deletes the given orphans (as <see cref="OrphansAsync"/> found them), checking again that no evidence refers to each; returns those removed.</summary>
    public async Task<IReadOnlyList<EvidenceOrphan>> RemoveOrphansAsync(IReadOnlyList<EvidenceOrphan> orphans, CancellationToken cancellationToken = default)
    {
        var removed = new List<EvidenceOrphan>();
        await using var db = installation.OpenDb();
        foreach (var orphan in orphans)
        {
            var name = Path.GetFileName(orphan.Path);
            if (await db.Evidence.AnyAsync(e => e.Sha256 == name, cancellationToken) && Path.Combine(installation.EvidenceDirectory, orphan.Path) == PathFor(name)) continue;
            File.Delete(Path.Combine(installation.EvidenceDirectory, orphan.Path));
            removed.Add(orphan);
        }
        return removed;
    }

    public string PathFor(string sha256) => Path.Combine(installation.EvidenceDirectory, "sha256", sha256[..2], sha256);

    private async Task<(string Sha256, long Size)> CopyHashingAsync(Stream content, string temp, string fileName, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        await using (var output = new FileStream(temp, PrivateFiles.NewFile(useAsync: true)))
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > MaxBytes)
                    throw new BadInputException($"the file is larger than the evidence limit of {MaxBytes:N0} bytes", fileName);
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        if (size == 0) throw new BadInputException("the evidence file is empty", fileName);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private static EvidenceItem ToItem(EvidenceRow r) => new(r.Id, r.Name, r.Version, r.Sha256, r.FileName, r.ContentType, r.Size, r.UploadedAt, r.UploadedBy);
}
