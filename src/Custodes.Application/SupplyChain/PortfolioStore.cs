using System.Text;
using System.Text.Json;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>A stored portfolio: its owner, version, content, the Custodes organizations its entries are, and its providers' matrices.</summary>
/// <param name="Links">Portfolio organization id → the Custodes organization it is.</param>
/// <param name="Matrices">Provider id → its responsibility matrix.</param>
public sealed record StoredPortfolio(
    Guid Id,
    Guid? Owner,
    long Version,
    DateTime ImportedAt,
    string ImportedBy,
    Portfolio Portfolio,
    IReadOnlyDictionary<string, Guid> Links,
    IReadOnlyDictionary<string, ResponsibilityMatrix> Matrices)
{
    /// <summary>The portfolio organization that is this Custodes organization, if any.</summary>
    public string? EntryOf(Guid organization) => Links.FirstOrDefault(l => l.Value == organization).Key;
}

/// <summary>A responsibility matrix file to store with a portfolio: the parsed matrix and its text.</summary>
public sealed record MatrixUpload(ResponsibilityMatrix Matrix, string Content, string Source)
{
    public static MatrixUpload Parse(byte[] bytes, string source) => new(ResponsibilityMatrixFile.Parse(bytes, source), Encoding.UTF8.GetString(bytes), source);
}

/// <summary>
/// Portfolios, one per owning organization (or one for the installation, <see cref="Tenant.InstallationOperator"/>, when no organization is
/// given at the command line), in normalized tables. Each use case takes the <see cref="Tenant"/>: it reads and changes that tenant's own
/// portfolio only, and only a role that edits changes it.
/// An import is validated whole (<see cref="ValidatePortfolio"/>, links to Custodes organizations, matrices' providers) and replaces
/// the owner's portfolio in one transaction, as a new version: nothing is stored when anything is wrong. The version's query graph is
/// stored with it as one snapshot, which <see cref="PortfolioGraphs"/> reads instead of every row.
/// </summary>
public sealed class PortfolioStore(Installation installation, AuditTrail audit, TimeProvider clock, Agreements.CheckAgreements? agreements = null)
{
    public const string InstallationOwner = "installation";

    /// <summary>Stores a validated portfolio (and its providers' matrices) as the tenant's next version; returns the version.</summary>
    /// <exception cref="ForbiddenException">The tenant's role does not change data.</exception>
    /// <param name="change">An edit's own audit entry (what changed, before and after), recorded with the import's in its transaction; given the portfolio's id.</param>
    public Task<long> ImportAsync(Tenant tenant, Portfolio portfolio, IReadOnlyList<MatrixUpload> matrices, string source = "portfolio", CancellationToken cancellationToken = default,
        Func<Guid, AuditEvent>? change = null) =>
        StoreAsync(tenant, portfolio, matrices, new PortfolioWrite
        {
            Source = source,
            Error = (path, message) => new BadInputException(message, source, path),
            Action = "portfolio.imported",
            Before = previous => previous == 0 ? null : new { version = previous },
            After = (version, links) => new { version, organizations = portfolio.Organizations.Count, tools = portfolio.Tools.Count, relationships = portfolio.Relationships.Count,
                matrices = matrices.Select(m => m.Matrix.Provider).ToArray(), linked = links },
            Change = change,
        }, cancellationToken);

    /// <summary>How one stored change is described: where its errors point, the version its writer read, and what the audit trail records.</summary>
    internal sealed record PortfolioWrite
    {
        public required string Source { get; init; }
        /// <summary>Builds the refusal for a path of the portfolio and a message (a file's location, or a form's field).</summary>
        public required Func<string, string, BadInputException> Error { get; init; }
        /// <summary>The version the writer read; a newer one stored meanwhile refuses the change (a stale form).</summary>
        public long? ExpectedVersion { get; init; }
        public required string Action { get; init; }
        /// <summary>What the audit entry says before the change, given the version stored before (0: none).</summary>
        public required Func<long, object?> Before { get; init; }
        /// <summary>What the audit entry says after the change, given the new version and the number of linked entries.</summary>
        public required Func<long, int, object> After { get; init; }
        /// <summary>A second audit entry saying what an edit changed (a form's before and after), recorded in the same transaction.</summary>
        public Func<Guid, AuditEvent>? Change { get; init; }
    }

    /// <summary>
    /// The one way a portfolio is stored, whether a file was imported or a form changed one provider: validated whole
    /// (<see cref="ValidatePortfolio"/>, links, matrices), then written as the owner's next version with its graph snapshot, audited.
    /// </summary>
    internal async Task<long> StoreAsync(Tenant tenant, Portfolio portfolio, IReadOnlyList<MatrixUpload> matrices, PortfolioWrite write, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        var (owner, actor) = (Owner(tenant), tenant.Actor);
        var source = write.Source;
        ValidatePortfolio.Check(portfolio, write.Error);
        var kinds = portfolio.Organizations.ToDictionary(o => o.Id, o => o.Kind, StringComparer.Ordinal);
        var seenProviders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in matrices)
        {
            if (!kinds.TryGetValue(m.Matrix.Provider, out var kind))
                throw new BadInputException($"the matrix's provider '{m.Matrix.Provider}' is not an organization of the portfolio", m.Source, "$.provider");
            if (!kind.IsProvider())
                throw new BadInputException($"'{m.Matrix.Provider}' is a {PortfolioNames.Kinds.Name(kind)}, not a provider; only providers publish a responsibility matrix", m.Source, "$.provider");
            if (!seenProviders.Add(m.Matrix.Provider))
                throw new BadInputException($"a second responsibility matrix for {m.Matrix.Provider}; give one per provider", m.Source, "$.provider");
        }

        await using var db = installation.OpenDb();
        var links = await ResolveLinksAsync(db, portfolio, write.Error, cancellationToken);
        if (owner is { } o && !await db.Organizations.AnyAsync(x => x.Id == o, cancellationToken))
            throw new NotFoundException($"no organization {o}");

        // The graph of the portfolio as LoadAsync reads it back (links as organization ids), so that its snapshot answers as the rows do.
        var snapshot = PortfolioGraph.Build(portfolio with
        {
            Organizations = portfolio.Organizations.Select(o => o with { CustodesOrganization = links.TryGetValue(o.Id, out var l) ? l.ToString() : null }).ToArray(),
        }).ToSnapshot();

        var now = clock.GetUtcNow().UtcDateTime;
        var key = OwnerKey(owner);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.Portfolios.FirstOrDefaultAsync(p => p.OwnerKey == key, cancellationToken);
        var previous = row?.Version ?? 0;
        if (write.ExpectedVersion is { } expected && expected != previous)
            throw new PreconditionFailedException($"your providers were changed by someone else meanwhile (version {expected} was read, {previous} is stored): reload the page and make your change again");
        if (row is null)
        {
            row = new PortfolioRow { Id = Guid.CreateVersion7(), OwnerOrganizationId = owner, OwnerKey = key, Version = 1, ImportedAt = now, ImportedBy = actor };
            db.Portfolios.Add(row);
        }
        else
        {
            await db.PortfolioRelationships.Where(r => r.PortfolioId == row.Id).ExecuteDeleteAsync(cancellationToken);
            await db.PortfolioTools.Where(r => r.PortfolioId == row.Id).ExecuteDeleteAsync(cancellationToken);
            await db.PortfolioOrganizations.Where(r => r.PortfolioId == row.Id).ExecuteDeleteAsync(cancellationToken);
            await db.ResponsibilityMatrices.Where(r => r.PortfolioId == row.Id).ExecuteDeleteAsync(cancellationToken);
            await db.PortfolioGraphSnapshots.Where(r => r.PortfolioId == row.Id).ExecuteDeleteAsync(cancellationToken);
            row.Version++;
            row.ImportedAt = now;
            row.ImportedBy = actor;
            db.Entry(row).State = EntityState.Modified;
        }
        var id = row.Id;
        db.PortfolioOrganizations.AddRange(portfolio.Organizations.Select((org, i) => new PortfolioOrganizationRow
        {
            PortfolioId = id,
            Key = org.Id,
            Position = i,
            Name = org.Name,
            Kind = PortfolioNames.Kinds.Name(org.Kind),
            Data = org.Data is { } d ? (int)d : null,
            Tenants = org.Tenants.Count == 0 ? null : JsonSerializer.Serialize(org.Tenants.Select(t => new StoredTenant(t.Id, t.Tool, t.Name)), Json.Options),
            LinkedOrganizationId = links.TryGetValue(org.Id, out var link) ? link : null,
            Recovery = org.Recovery is null ? null : JsonSerializer.Serialize(org.Recovery, Json.Options),
        }));
        db.PortfolioTools.AddRange(portfolio.Tools.Select((tool, i) => new PortfolioToolRow
        {
            PortfolioId = id, Key = tool.Id, Position = i, Product = PortfolioNames.Products.Name(tool.Product), Operator = tool.Operator, Instance = tool.Instance, Name = tool.Name,
        }));
        db.PortfolioRelationships.AddRange(portfolio.Relationships.Select((r, i) => new PortfolioRelationshipRow
        {
            PortfolioId = id,
            Position = i,
            Key = r.Id,
            Customer = r.Customer,
            Provider = r.Provider,
            Services = (int)r.Services,
            Tools = r.Tools.Count == 0 ? null : string.Join('\n', r.Tools),
            Access = (int)r.Access,
            Endpoints = r.Endpoints,
            Data = r.Data is { } d ? (int)d : null,
            ContractStart = r.ContractStart,
            ContractEnd = r.ContractEnd,
            Servers = r.Servers,
            Backup = r.Backup is null ? null : JsonSerializer.Serialize(r.Backup, Json.Options),
        }));
        db.ResponsibilityMatrices.AddRange(matrices.Select(m => new ResponsibilityMatrixRow
        {
            PortfolioId = id, Provider = m.Matrix.Provider, Framework = m.Matrix.Framework, Title = m.Matrix.Title, PublishedOn = m.Matrix.PublishedOn, Content = m.Content,
        }));
        db.PortfolioGraphSnapshots.Add(new PortfolioGraphSnapshotRow { PortfolioId = id, Version = row.Version, Content = snapshot });
        audit.Record(db, new AuditEvent(owner, actor, write.Action, "portfolio", id.ToString(),
            Before: write.Before(previous), After: write.After(row.Version, links.Count)));
        if (write.Change is not null) audit.Record(db, write.Change(id));
        db.ChangeTracker.DetectChanges();
        try
        {
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException) when (write.ExpectedVersion is not null)
        {
            // Another writer stored a version between our read and our write (the version is a concurrency token).
            throw new PreconditionFailedException("your providers were changed by someone else meanwhile: reload the page and make your change again");
        }
        await transaction.CommitAsync(cancellationToken);
        // The providers' account links may have changed: the owner's agreements are checked against the new version.
        if (agreements is not null && owner is { } agreementOwner) await agreements.AfterPortfolioImportAsync(agreementOwner, cancellationToken);
        return row.Version;
    }

    /// <summary>Adds or replaces one provider's responsibility matrix in the tenant's portfolio (a new version).</summary>
    /// <exception cref="ForbiddenException">The tenant's role does not change data.</exception>
    public async Task<long> SetMatrixAsync(Tenant tenant, MatrixUpload matrix, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        var stored = await LoadAsync(tenant, cancellationToken) ?? throw new BadInputException("there is no portfolio yet: import one before its providers' responsibility matrices");
        var matrices = (await StoredMatricesAsync(stored, cancellationToken)).Where(m => m.Matrix.Provider != matrix.Matrix.Provider).ToList();
        matrices.Add(matrix);
        var portfolio = stored.Portfolio with
        {
            Organizations = stored.Portfolio.Organizations.Select(o => o with { CustodesOrganization = stored.Links.TryGetValue(o.Id, out var l) ? l.ToString() : null }).ToArray(),
        };
        return await ImportAsync(tenant, portfolio, matrices, matrix.Source, cancellationToken);
    }

    /// <summary>A stored portfolio's matrices as uploads with their stored text, to be stored again with a changed portfolio.</summary>
    internal async Task<List<MatrixUpload>> StoredMatricesAsync(StoredPortfolio stored, CancellationToken cancellationToken)
    {
        await using var db = installation.OpenReadDb();
        var contents = await db.ResponsibilityMatrices.AsNoTracking().Where(m => m.PortfolioId == stored.Id).ToDictionaryAsync(m => m.Provider, m => m.Content, cancellationToken);
        return stored.Matrices.Select(m => new MatrixUpload(m.Value, contents[m.Key], $"stored matrix of {m.Key}")).ToList();
    }

    /// <summary>The tenant's portfolio and version, or null when none was imported.</summary>
    public async Task<(Guid Id, long Version)?> VersionAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var key = OwnerKey(Owner(tenant));
        await using var db = installation.OpenReadDb();
        var row = await db.Portfolios.AsNoTracking().Where(p => p.OwnerKey == key).Select(p => new { p.Id, p.Version }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.Id, row.Version);
    }

    /// <summary>The tenant's portfolio, or null when none was imported.</summary>
    public async Task<StoredPortfolio?> LoadAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var key = OwnerKey(Owner(tenant));
        await using var db = installation.OpenDb();
        var row = await db.Portfolios.AsNoTracking().FirstOrDefaultAsync(p => p.OwnerKey == key, cancellationToken);
        return row is null ? null : await LoadAsync(db, row, cancellationToken);
    }

    /// <summary>An organization's own portfolio, read for a use case that already decided the reader may see it (agreement checks).</summary>
    internal static async Task<StoredPortfolio?> LoadOwnedAsync(Installation installation, Guid owner, CancellationToken cancellationToken)
    {
        var key = OwnerKey(owner);
        await using var db = installation.OpenDb();
        var row = await db.Portfolios.AsNoTracking().FirstOrDefaultAsync(p => p.OwnerKey == key, cancellationToken);
        return row is null ? null : await LoadAsync(db, row, cancellationToken);
    }

    /// <summary>The graph snapshot stored for one version of a portfolio (<see cref="PortfolioGraph.ToSnapshot"/>), or null when there is none of that version.</summary>
    internal async Task<byte[]?> SnapshotAsync(Guid portfolio, long version, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        return await db.PortfolioGraphSnapshots.AsNoTracking().Where(s => s.PortfolioId == portfolio && s.Version == version).Select(s => s.Content).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Stores the snapshot of a graph rebuilt from a version's rows, replacing an older or unreadable one; a newer version's stays.</summary>
    /// <remarks>
    /// No transaction: the delete spares a newer version's snapshot, and the insert then fails on the key. It fails the same way when another
    /// node stored this version's first or the portfolio was replaced meanwhile; the snapshot is a copy of the rows, so there is nothing to keep.
    /// </remarks>
    internal async Task StoreSnapshotAsync(Guid portfolio, long version, PortfolioGraph graph, CancellationToken cancellationToken = default)
    {
        var content = graph.ToSnapshot();
        await using var db = installation.OpenDb();
        await db.PortfolioGraphSnapshots.Where(s => s.PortfolioId == portfolio && s.Version <= version).ExecuteDeleteAsync(cancellationToken);
        db.PortfolioGraphSnapshots.Add(new PortfolioGraphSnapshotRow { PortfolioId = portfolio, Version = version, Content = content });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
        }
    }

    /// <summary>Every portfolio in which one of the given Custodes organizations is an entry (for recomputing after a letter changes).</summary>
    internal async Task<IReadOnlyList<StoredPortfolio>> ContainingAsync(IReadOnlyCollection<Guid> organizations, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var ids = await db.PortfolioOrganizations.AsNoTracking().Where(o => o.LinkedOrganizationId != null && organizations.Contains(o.LinkedOrganizationId.Value))
            .Select(o => o.PortfolioId).Distinct().ToListAsync(cancellationToken);
        var result = new List<StoredPortfolio>();
        foreach (var row in await db.Portfolios.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken))
            result.Add(await LoadAsync(db, row, cancellationToken));
        return result;
    }

    private static async Task<StoredPortfolio> LoadAsync(CustodesDb db, PortfolioRow row, CancellationToken cancellationToken)
    {
        var source = $"stored portfolio {row.OwnerKey} v{row.Version}";
        var organizations = await db.PortfolioOrganizations.AsNoTracking().Where(o => o.PortfolioId == row.Id).OrderBy(o => o.Position).ToListAsync(cancellationToken);
        var tools = await db.PortfolioTools.AsNoTracking().Where(o => o.PortfolioId == row.Id).OrderBy(o => o.Position).ToListAsync(cancellationToken);
        var relationships = await db.PortfolioRelationships.AsNoTracking().Where(o => o.PortfolioId == row.Id).OrderBy(o => o.Position).ToListAsync(cancellationToken);
        var matrices = await db.ResponsibilityMatrices.AsNoTracking().Where(o => o.PortfolioId == row.Id).ToListAsync(cancellationToken);
        var portfolio = new Portfolio
        {
            Organizations = organizations.Select(o => new Organization
            {
                Id = o.Key,
                Name = o.Name,
                Kind = Parse(PortfolioNames.Kinds, o.Kind, source),
                Data = o.Data is { } d ? (DataClasses)d : null,
                Tenants = o.Tenants is null ? [] : JsonSerializer.Deserialize<StoredTenant[]>(o.Tenants, Json.Options)!.Select(t => new Custodes.SupplyChain.Tenant { Id = t.Id, Tool = t.Tool, Name = t.Name }).ToArray(),
                CustodesOrganization = o.LinkedOrganizationId?.ToString(),
                Recovery = o.Recovery is null ? null : JsonSerializer.Deserialize<Recovery>(o.Recovery, Json.Options),
            }).ToArray(),
            Tools = tools.Select(t => new Tool { Id = t.Key, Product = Parse(PortfolioNames.Products, t.Product, source), Operator = t.Operator, Instance = t.Instance, Name = t.Name }).ToArray(),
            Relationships = relationships.Select(r => new Relationship
            {
                Id = r.Key,
                Customer = r.Customer,
                Provider = r.Provider,
                Services = (Services)r.Services,
                Tools = r.Tools is null ? [] : r.Tools.Split('\n'),
                Access = (AccessLevels)r.Access,
                Endpoints = r.Endpoints,
                Data = r.Data is { } d ? (DataClasses)d : null,
                ContractStart = r.ContractStart,
                ContractEnd = r.ContractEnd,
                Servers = r.Servers,
                Backup = r.Backup is null ? null : JsonSerializer.Deserialize<Backup>(r.Backup, Json.Options),
            }).ToArray(),
        };
        var links = organizations.Where(o => o.LinkedOrganizationId is not null).ToDictionary(o => o.Key, o => o.LinkedOrganizationId!.Value, StringComparer.Ordinal);
        var parsed = matrices.ToDictionary(m => m.Provider, m => ResponsibilityMatrixFile.Parse(Encoding.UTF8.GetBytes(m.Content), $"{source}, matrix of {m.Provider}"), StringComparer.Ordinal);
        return new StoredPortfolio(row.Id, row.OwnerOrganizationId, row.Version, row.ImportedAt, row.ImportedBy, portfolio, links, parsed);
    }

    /// <summary>Resolves each entry's <c>custodes_organization</c> (an organization id or exact name of this installation).</summary>
    private static async Task<Dictionary<string, Guid>> ResolveLinksAsync(CustodesDb db, Portfolio portfolio, Func<string, string, BadInputException> error, CancellationToken cancellationToken)
    {
        var links = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var wanted = portfolio.Organizations.Where(o => o.CustodesOrganization is not null).ToList();
        if (wanted.Count == 0) return links;
        var all = await db.Organizations.AsNoTracking().Select(o => new { o.Id, o.Name }).ToListAsync(cancellationToken);
        var taken = new Dictionary<Guid, string>();
        for (var i = 0; i < portfolio.Organizations.Count; i++)
        {
            var org = portfolio.Organizations[i];
            if (org.CustodesOrganization is not { } reference) continue;
            var path = $"$.organizations[{i}].custodes_organization";
            var matches = Guid.TryParse(reference, out var id) ? all.Where(o => o.Id == id).ToList() : all.Where(o => o.Name == reference).ToList();
            if (matches.Count == 0) throw error(path, $"'{reference}' is not an organization of this installation (give its id or exact name)");
            if (matches.Count > 1) throw error(path, $"{matches.Count} organizations are named '{reference}'; give the id of one");
            if (taken.TryGetValue(matches[0].Id, out var other))
                throw error(path, $"'{org.Id}' and '{other}' are both linked to {matches[0].Name}; an organization is one entry of a portfolio");
            taken[matches[0].Id] = org.Id;
            links[org.Id] = matches[0].Id;
        }
        return links;
    }

    private static T Parse<T>(WireNames<T> names, string value, string source) where T : struct, Enum =>
        names.TryParse(value, out var parsed) ? parsed : throw new EnvironmentFailureException($"{source}: unknown stored value '{value}' ({names.Expected})");

    private static string OwnerKey(Guid? owner) => owner?.ToString() ?? InstallationOwner;

    private static Guid? Owner(Tenant tenant) => tenant.ForInstallation ? null : tenant.OrganizationId;

    private sealed record StoredTenant(string Id, string? Tool, string? Name);
}
