using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Common;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Assessments;

/// <summary>A stored assessment with its tenant-visible metadata.</summary>
public sealed record StoredAssessment(Guid Id, Guid OrganizationId, int Version, DateTime CreatedAt, DateTime UpdatedAt, Assessment Assessment)
{
    /// <summary>The HTTP entity tag: changes with every stored change.</summary>
    public string ETag => $"\"{Id:N}-{Version}\"";
}

/// <summary>An assessment the tenant may read: its own (<paramref name="Owned"/>) or one shared with it by <paramref name="OwnerName"/>.</summary>
public sealed record ReadableAssessment(StoredAssessment Stored, bool Owned, string OwnerName)
{
    /// <summary>Whether the tenant may change it (its own, and a role that edits): a page shows its forms from this, the change decides again.</summary>
    public bool CanEdit { get; init; }
}

/// <summary>A line of an assessment list.</summary>
public sealed record AssessmentSummary(Guid Id, string Subject, string Framework, DateOnly? AssessedOn, int Version, DateTime UpdatedAt);

/// <summary>Stores, reads, changes and scores assessments, always within one tenant.</summary>
public sealed class AssessmentStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Stores a validated assessment in one transaction: either all of it is stored, or nothing.</summary>
    public async Task<Guid> ImportAsync(Tenant tenant, ParsedAssessment parsed, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new AssessmentRow { Id = Guid.CreateVersion7(), OrganizationId = tenant.OrganizationId, Framework = "", Subject = "", Version = 1, CreatedAt = now, UpdatedAt = now };
        AssessmentRows.Fill(row, parsed.Assessment);
        await using var db = installation.OpenDb();
        if (!await db.Organizations.AnyAsync(o => o.Id == tenant.OrganizationId, cancellationToken))
            throw new BadInputException($"no organization with id {tenant.OrganizationId}");
        row.SubjectOrganizationId = await db.Organizations.Where(o => o.Name == row.Subject).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);
        var determinations = row.Determinations;
        row.Determinations = [];
        var score = ScoreAssessment.Score(parsed.Resolution, parsed.Assessment.Ssp, parsed.Assessment.AssessedOn);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Assessments.Add(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "assessment.imported", "assessment", row.Id.ToString(),
            After: new { subject = row.Subject, row.Framework, requirements = parsed.Assessment.Requirements.Count, objectives = parsed.Assessment.Objectives.Count, score = score.Score }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        await DeterminationBulkInsert.InsertAsync(db, determinations, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return row.Id;
    }

    /// <summary>Reads an assessment of the tenant; another tenant's id is "not found".</summary>
    public async Task<StoredAssessment?> FindAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await db.Assessments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == tenant.OrganizationId, cancellationToken);
        if (row is null) return null;
        var determinations = await db.Determinations.AsNoTracking().Where(d => d.AssessmentId == id).ToListAsync(cancellationToken);
        var poam = await db.PoamItems.AsNoTracking().Where(p => p.AssessmentId == id).ToListAsync(cancellationToken);
        return new StoredAssessment(row.Id, row.OrganizationId, row.Version, row.CreatedAt, row.UpdatedAt, AssessmentRows.ToDomain(row, determinations, poam));
    }

    /// <summary>Reads an assessment the tenant owns or that was shared with it (read-only); anything else is "not found".</summary>
    public async Task<ReadableAssessment> ReadAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var org = tenant.OrganizationId;
        var row = await db.Assessments.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == id && (a.OrganizationId == org || db.Shares.Any(s => s.AssessmentId == a.Id && s.OrganizationId == org)), cancellationToken)
            ?? throw new NotFoundException($"no assessment {id}");
        var determinations = await db.Determinations.AsNoTracking().Where(d => d.AssessmentId == id).ToListAsync(cancellationToken);
        var poam = await db.PoamItems.AsNoTracking().Where(p => p.AssessmentId == id).ToListAsync(cancellationToken);
        var owner = await db.Organizations.AsNoTracking().Where(o => o.Id == row.OrganizationId).Select(o => o.Name).FirstAsync(cancellationToken);
        return new ReadableAssessment(new StoredAssessment(row.Id, row.OrganizationId, row.Version, row.CreatedAt, row.UpdatedAt, AssessmentRows.ToDomain(row, determinations, poam)),
            row.OrganizationId == org, owner) { CanEdit = row.OrganizationId == org && Roles.CanEdit(tenant.Role) };
    }

    /// <summary>Reads one of the tenant's own assessments (its history, its evidence): one only shared with it is "not found" here.</summary>
    public async Task<ReadableAssessment> ReadOwnAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        var readable = await ReadAsync(tenant, id, cancellationToken);
        return readable.Owned ? readable : throw new NotFoundException($"no assessment {id} of your organization (it was shared with you: its owner keeps its history)");
    }

    /// <summary>Reads an assessment the tenant is about to change: refused (403) when it was only shared with the tenant or the
    /// tenant's role does not edit; anything it cannot read is "not found".</summary>
    public async Task<ReadableAssessment> ReadToChangeAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        var readable = await ReadAsync(tenant, id, cancellationToken);
        if (!readable.Owned) throw new ForbiddenException("this assessment was shared with your organization read-only");
        tenant.RequireEdit();
        return readable;
    }

    /// <summary>The tenant's assessments with their content (three queries, whatever the count): for dashboards and trends.</summary>
    public async Task<IReadOnlyList<StoredAssessment>> LoadManyAsync(Tenant tenant, int skip, int take, string? subject = null, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var query = db.Assessments.AsNoTracking().Where(a => a.OrganizationId == tenant.OrganizationId);
        if (subject is not null) query = query.Where(a => a.Subject == subject);
        var rows = await query.OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.Id).Skip(skip).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToArray();
        var determinations = (await db.Determinations.AsNoTracking().Where(d => ids.Contains(d.AssessmentId)).ToListAsync(cancellationToken)).ToLookup(d => d.AssessmentId);
        var poam = (await db.PoamItems.AsNoTracking().Where(p => ids.Contains(p.AssessmentId)).ToListAsync(cancellationToken)).ToLookup(p => p.AssessmentId);
        return rows.Select(r => new StoredAssessment(r.Id, r.OrganizationId, r.Version, r.CreatedAt, r.UpdatedAt, AssessmentRows.ToDomain(r, determinations[r.Id], poam[r.Id]))).ToArray();
    }

    /// <summary>The organization that owns an assessment: whom the installation's operator acts for when a command names only the assessment.</summary>
    /// <exception cref="NotFoundException">No such assessment here.</exception>
    public async Task<Tenant> OperatorForAsync(Guid assessmentId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var owner = await db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId).Select(a => (Guid?)a.OrganizationId).FirstOrDefaultAsync(cancellationToken);
        return Tenant.Operator(owner ?? throw new NotFoundException($"no assessment {assessmentId} in {installation.DataDirectory}"));
    }

    public async Task<StoredAssessment> GetAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default) =>
        await FindAsync(tenant, id, cancellationToken) ?? throw new NotFoundException($"no assessment {id}");

    /// <summary>The tenant's assessments, newest first, a page at a time.</summary>
    public async Task<IReadOnlyList<AssessmentSummary>> ListAsync(Tenant tenant, int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.Assessments.AsNoTracking()
            .Where(a => a.OrganizationId == tenant.OrganizationId)
            .OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.Id)
            .Skip(skip).Take(Math.Clamp(take, 1, 500))
            .Select(a => new AssessmentSummary(a.Id, a.Subject, a.Framework, a.AssessedOn, a.Version, a.UpdatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The version of an assessment the tenant may read (its own, or shared with it), or null: a cheap check before serving a cached score.</summary>
    public async Task<int?> VersionAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        return db is SqliteCustodesDb sqlite ? await SqliteVersion(sqlite, id, tenant.OrganizationId) : await PostgresVersion((PostgresCustodesDb)db, id, tenant.OrganizationId);
    }

    // The score endpoint's hot path, compiled once per provider (a compiled query is bound to one model), so a request pays no LINQ translation.
    private static readonly Func<SqliteCustodesDb, Guid, Guid, Task<int?>> SqliteVersion = EF.CompileAsyncQuery((SqliteCustodesDb db, Guid id, Guid org) =>
        db.Assessments.AsNoTracking().Where(a => a.Id == id && (a.OrganizationId == org || db.Shares.Any(s => s.AssessmentId == a.Id && s.OrganizationId == org)))
            .Select(a => (int?)a.Version).FirstOrDefault());
    private static readonly Func<PostgresCustodesDb, Guid, Guid, Task<int?>> PostgresVersion = EF.CompileAsyncQuery((PostgresCustodesDb db, Guid id, Guid org) =>
        db.Assessments.AsNoTracking().Where(a => a.Id == id && (a.OrganizationId == org || db.Shares.Any(s => s.AssessmentId == a.Id && s.OrganizationId == org)))
            .Select(a => (int?)a.Version).FirstOrDefault());

    /// <summary>Replaces an assessment's content, refusing the change when it was changed since <paramref name="expectedVersion"/> (a lost update).</summary>
    /// <param name="action">The audit trail's name for the change (an import names where the content came from).</param>
    /// <param name="source">What the change came from (an uploaded file's name and kind), recorded with the change.</param>
    public async Task<int> ReplaceAsync(Tenant tenant, Guid id, ParsedAssessment parsed, int? expectedVersion, CancellationToken cancellationToken = default,
        string action = "assessment.replaced", object? source = null)
    {
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.Assessments.Include(a => a.Poam)
            .FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no assessment {id}");
        if (expectedVersion is { } expected && expected != row.Version)
            throw new PreconditionFailedException($"assessment {id} is at version {row.Version}, not {expected}: it changed since you read it");
        var before = AssessmentRows.ToDomain(row, await db.Determinations.AsNoTracking().Where(d => d.AssessmentId == id).ToListAsync(cancellationToken), row.Poam);
        db.PoamItems.RemoveRange(row.Poam);
        AssessmentRows.Fill(row, parsed.Assessment);
        var determinations = row.Determinations;
        row.Determinations = [];
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, action, "assessment", id.ToString(),
            Before: Summary(before), After: source is null ? Summary(parsed.Assessment) : new { summary = Summary(parsed.Assessment), source }));
        await SaveConcurrentAsync(db, id, cancellationToken);
        await db.Determinations.Where(d => d.AssessmentId == id).ExecuteDeleteAsync(cancellationToken);
        await DeterminationBulkInsert.InsertAsync(db, determinations, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return row.Version;
    }

    /// <summary>Sets one requirement or objective determination.</summary>
    public Task<int> SetDeterminationAsync(Tenant tenant, Guid id, string targetId, Finding finding, int? expectedVersion, CancellationToken cancellationToken = default) =>
        SetDeterminationsAsync(tenant, id, [new(targetId, finding)], expectedVersion, cancellationToken);

    /// <summary>Sets several determinations at once (a requirement and its objectives: the web workspace's unit of change), all or none, as one new version.</summary>
    public async Task<int> SetDeterminationsAsync(Tenant tenant, Guid id, IReadOnlyList<KeyValuePair<string, Finding>> changes, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        var row = await db.Assessments.Include(a => a.Determinations).Include(a => a.Poam)
            .FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no assessment {id}");
        if (expectedVersion is { } expected && expected != row.Version)
            throw new PreconditionFailedException($"assessment {id} is at version {row.Version}, not {expected}: it changed since you read it");
        var current = AssessmentRows.ToDomain(row, row.Determinations, row.Poam);
        var catalog = Catalogs.CatalogSet.Get(current.Framework);
        var updated = current;
        var resolved = new List<(string Key, bool Objective, Finding Finding)>(changes.Count);
        foreach (var (targetId, finding) in changes)
        {
            var objective = catalog.FindObjective(targetId);
            var requirement = objective is null ? catalog.Find(targetId) : null;
            if (objective is null && requirement is null) throw new BadInputException($"'{targetId}' is neither a requirement nor an objective of {current.Framework}");
            var key = objective?.Id ?? requirement!.Id;
            resolved.Add((key, objective is not null, finding));
            updated = objective is not null
                ? updated with { Objectives = With(updated.Objectives, key, finding) }
                : updated with { Requirements = With(updated.Requirements, key, finding) };
        }
        // Validate the whole assessment as a file would be: the same rules, the same errors.
        AssessmentFile.Validate(updated, $"assessment {id}");
        foreach (var (key, isObjective, finding) in resolved)
        {
            var existing = row.Determinations.FirstOrDefault(d => d.TargetId == key);
            var before = existing is null ? null : new { target = key, status = existing.Status, existing.Partial, existing.Note };
            if (existing is not null) row.Determinations.Remove(existing);
            if (finding.Status != Status.Unassessed || !finding.IsBare)
                row.Determinations.Add(AssessmentRows.ToRow(id, key, isObjective, finding));
            audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "determination.set", "assessment", id.ToString(),
                Before: before, After: new { target = key, status = finding.Status.ToWire(), finding.Partial, finding.Note }));
        }
        row.Statuses = CompactAssessment.From(updated).ToCodes();
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await SaveConcurrentAsync(db, id, cancellationToken);
        return row.Version;
    }

    /// <summary>Adds or changes the POA&amp;M item of one requirement, refusing a stale version.</summary>
    public async Task<int> SetPoamItemAsync(Tenant tenant, Guid id, PoamItem item, int? expectedVersion, CancellationToken cancellationToken = default) =>
        await ChangePoamAsync(tenant, id, item.Id, item, expectedVersion, cancellationToken);

    /// <summary>Removes the POA&amp;M item of one requirement, refusing a stale version.</summary>
    public async Task<int> RemovePoamItemAsync(Tenant tenant, Guid id, string requirementId, int? expectedVersion, CancellationToken cancellationToken = default) =>
        await ChangePoamAsync(tenant, id, requirementId, null, expectedVersion, cancellationToken);

    private async Task<int> ChangePoamAsync(Tenant tenant, Guid id, string requirementId, PoamItem? item, int? expectedVersion, CancellationToken cancellationToken)
    {
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        var row = await db.Assessments.Include(a => a.Determinations).Include(a => a.Poam)
            .FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no assessment {id}");
        if (expectedVersion is { } expected && expected != row.Version)
            throw new PreconditionFailedException($"assessment {id} is at version {row.Version}, not {expected}: it changed since you read it");
        var current = AssessmentRows.ToDomain(row, row.Determinations, row.Poam);
        var requirement = Catalogs.CatalogSet.Get(current.Framework).Find(requirementId)
            ?? throw new BadInputException($"'{requirementId}' is not a requirement of {current.Framework}", path: "$.id");
        var existing = row.Poam.FirstOrDefault(p => p.RequirementId == requirement.Id);
        if (item is null && existing is null) throw new NotFoundException($"no POA&M item for {requirement.Id}");
        var items = current.Poam.Where(p => p.Id != requirement.Id).ToList();
        if (item is not null) items.Add(item with { Id = requirement.Id });
        var updated = current with { Poam = items.OrderBy(p => p.Id, RequirementIdComparer.Instance).ToArray() };
        // Validate as a file would be: the same rules, the same errors.
        AssessmentFile.Validate(updated, $"assessment {id}");
        var before = current.Poam.FirstOrDefault(p => p.Id == requirement.Id);
        if (existing is not null) row.Poam.Remove(existing);
        if (item is not null)
            row.Poam.Add(new PoamItemRow
            {
                AssessmentId = id,
                RequirementId = requirement.Id,
                PlannedCompletion = item.PlannedCompletion,
                Milestones = item.Milestones,
                Status = AssessmentFile.PoamStatusName(item.Status),
                CompletedOn = item.CompletedOn,
                Owner = item.Owner,
                Note = item.Note,
            });
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, item is null ? "poam.removed" : "poam.set", "assessment", id.ToString(),
            Before: PoamAuditValue(before), After: PoamAuditValue(item is null ? null : item with { Id = requirement.Id })));
        await SaveConcurrentAsync(db, id, cancellationToken);
        return row.Version;
    }

    /// <summary>The whole plan as the history shows it, so a change can always be read (and undone) from its before and after values.</summary>
    private static object? PoamAuditValue(PoamItem? item) => item is null ? null : new
    {
        item = item.Id,
        status = AssessmentFile.PoamStatusName(item.Status),
        planned_completion = item.PlannedCompletion,
        completed_on = item.CompletedOn,
        owner = item.Owner,
        milestones = item.Milestones,
        note = item.Note,
    };

    /// <summary>Scores a stored assessment.</summary>
    public async Task<ScoreReport?> ScoreAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default) =>
        await FindAsync(tenant, id, cancellationToken) is { } stored ? ScoreAssessment.Score(stored.Assessment) : null;

    private static async Task SaveConcurrentAsync(CustodesDb db, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new PreconditionFailedException($"assessment {id} changed while you were saving; reload it and try again");
        }
    }

    private static IReadOnlyDictionary<string, Finding> With(IReadOnlyDictionary<string, Finding> findings, string key, Finding finding)
    {
        var copy = new Dictionary<string, Finding>(findings, StringComparer.Ordinal);
        if (finding.Status == Status.Unassessed && finding.IsBare) copy.Remove(key);
        else copy[key] = finding;
        return copy;
    }

    private static object Summary(Assessment a) => new
    {
        subject = a.Organization,
        a.Framework,
        requirements = a.Requirements.ToDictionary(p => p.Key, p => p.Value.Status.ToWire()),
        objectives = a.Objectives.Count,
        poam = a.Poam.Count,
    };
}
