using Custodes.Common;
using Custodes.Storage.Audit;
using Custodes.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Storage.Organizations;

/// <summary>Creates and finds organizations (tenants).</summary>
public sealed class OrganizationStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    public async Task<Guid> CreateAsync(string name, string kind, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new BadInputException("an organization needs a name");
        var row = new OrganizationRow { Id = Guid.CreateVersion7(), Name = name.Trim(), Kind = OrganizationKinds.Parse(kind), CreatedAt = clock.GetUtcNow().UtcDateTime };
        await using var db = installation.OpenDb();
        db.Organizations.Add(row);
        audit.Record(db, new AuditEvent(row.Id, actor, "organization.created", "organization", row.Id.ToString(), After: new { row.Name, row.Kind }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return row.Id;
    }

    public async Task<OrganizationRow?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
    }

    /// <summary>Resolves an organization given by id or by exact name, for the command line.</summary>
    public async Task<OrganizationRow> ResolveAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        if (Guid.TryParse(idOrName, out var id))
            return await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken)
                ?? throw new BadInputException($"no organization with id {id}; run 'custodes admin list-orgs'");
        var matches = await db.Organizations.AsNoTracking().Where(o => o.Name == idOrName).ToListAsync(cancellationToken);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new BadInputException($"no organization named '{idOrName}'; run 'custodes admin list-orgs'"),
            _ => throw new BadInputException($"{matches.Count} organizations are named '{idOrName}'; give the id instead"),
        };
    }

    public async Task<IReadOnlyList<OrganizationRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.Organizations.AsNoTracking().OrderBy(o => o.Name).ToListAsync(cancellationToken);
    }
}
