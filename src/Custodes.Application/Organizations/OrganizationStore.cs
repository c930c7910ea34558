using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Organizations;

/// <summary>An organization (a tenant) as hosts show it.</summary>
public sealed record OrganizationSummary(Guid Id, string Name, string Kind, DateTime CreatedAt)
{
    internal static OrganizationSummary From(OrganizationRow row) => new(row.Id, row.Name, row.Kind, row.CreatedAt);
}

/// <summary>Creates and finds organizations (tenants).</summary>
public sealed class OrganizationStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Creates an organization; a name another organization of the same kind has (ignoring case and spacing) is refused.</summary>
    public async Task<Guid> CreateAsync(string name, string kind, string actor, CancellationToken cancellationToken = default)
    {
        var cleaned = OrganizationNames.Clean(name);
        kind = OrganizationKinds.Parse(kind);
        await using var db = installation.OpenDb();
        var row = new OrganizationRow
        {
            Id = Guid.CreateVersion7(), Name = cleaned, Kind = kind, CreatedAt = clock.GetUtcNow().UtcDateTime,
            NormalizedName = await OrganizationNames.RequireAvailableAsync(db, cleaned, kind, "organization", cancellationToken),
        };
        db.Organizations.Add(row);
        audit.Record(db, new AuditEvent(row.Id, actor, "organization.created", "organization", row.Id.ToString(), After: new { row.Name, row.Kind }));
        await SaveNewAsync(db, row, cancellationToken);
        return row.Id;
    }

    /// <summary>Saves a unit of work that adds <paramref name="row"/>; when another writer took the name meanwhile, says so as bad input.</summary>
    internal static async Task SaveNewAsync(CustodesDb db, OrganizationRow row, CancellationToken cancellationToken)
    {
        try
        {
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Organizations.AsNoTracking().AnyAsync(o => o.Kind == row.Kind && o.NormalizedName == row.NormalizedName && o.Id != row.Id, cancellationToken))
                throw new BadInputException($"an organization of kind {row.Kind} named '{row.Name}' already exists; choose another name", path: "organization");
            throw;
        }
    }

    public async Task<OrganizationSummary?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken) is { } row ? OrganizationSummary.From(row) : null;
    }

    /// <summary>Resolves an organization given by id or by name (ignoring case and spacing), for the command line.</summary>
    public async Task<OrganizationSummary> ResolveAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        if (Guid.TryParse(idOrName, out var id))
            return await db.Organizations.AsNoTracking().Where(o => o.Id == id).Select(o => new OrganizationSummary(o.Id, o.Name, o.Kind, o.CreatedAt)).FirstOrDefaultAsync(cancellationToken)
                ?? throw new BadInputException($"no organization with id {id}; run 'custodes admin list-orgs'");
        var matches = await MatchNameAsync(db, idOrName, cancellationToken);
        return matches.Count switch
        {
            1 => OrganizationSummary.From(matches[0]),
            0 => throw new BadInputException($"no organization named '{idOrName}'; run 'custodes admin list-orgs'"),
            _ => throw Ambiguous(idOrName, matches, "give the id instead"),
        };
    }

    /// <summary>Organizations whose name is <paramref name="name"/> ignoring case and spacing, any kind; several only for kinds that differ or older duplicates.</summary>
    internal static async Task<List<OrganizationRow>> MatchNameAsync(CustodesDb db, string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name)) return [];
        var normalized = OrganizationNames.Normalize(name);
        return await db.Organizations.AsNoTracking()
            .Where(o => o.NormalizedName == normalized || (o.NormalizedName == null && o.Name.Trim().ToLower() == normalized))
            .OrderBy(o => o.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>The error for a name that several organizations share: it lists them so that the caller can give an id.</summary>
    internal static BadInputException Ambiguous(string name, IReadOnlyList<OrganizationRow> matches, string what) =>
        new($"{matches.Count} organizations are named '{name.Trim()}' ({string.Join(", ", matches.Select(m => $"{m.Id} ({m.Kind}, created {m.CreatedAt:yyyy-MM-dd})"))}); {what}");

    public async Task<IReadOnlyList<OrganizationSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.Organizations.AsNoTracking().OrderBy(o => o.Name).Select(o => new OrganizationSummary(o.Id, o.Name, o.Kind, o.CreatedAt)).ToListAsync(cancellationToken);
    }
}
