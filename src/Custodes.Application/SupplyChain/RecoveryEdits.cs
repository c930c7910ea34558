using Custodes.Application.Audit;
using Custodes.Common;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;
using Tenant = Custodes.Application.Tenant;

namespace Custodes.Application.SupplyChain;

/// <summary>
/// Edits of the recovery facts of the tenant's portfolio from the web app's forms: a provider's recovery capacity, a relationship's servers
/// and backup. Each edit is validated as a file is (<see cref="ValidatePortfolio"/>, errors naming the field) and stored as the portfolio's next
/// version, with its matrices and links kept and its own audit entry (before and after). An edit made against an older version is refused.
/// </summary>
public sealed class RecoveryEdits(PortfolioStore store, Installation installation)
{
    /// <summary>Sets (or, with null, clears) a provider's recovery capacity; returns the new version.</summary>
    /// <exception cref="PreconditionFailedException">The portfolio changed since <paramref name="version"/> was read.</exception>
    public async Task<long> SetRecoveryAsync(Tenant tenant, string provider, Recovery? recovery, long version, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        var stored = await CurrentAsync(tenant, version, cancellationToken);
        var index = IndexOf(stored.Portfolio.Organizations, o => o.Id == provider) ?? throw new NotFoundException($"'{provider}' is not an organization of your portfolio");
        var before = stored.Portfolio.Organizations[index];
        var organizations = stored.Portfolio.Organizations.ToArray();
        organizations[index] = before with { Recovery = recovery };
        return await ReplaceAsync(tenant, stored, stored.Portfolio with { Organizations = organizations }, $"recovery of {provider}",
            id => new AuditEvent(stored.Owner, tenant.Actor, "portfolio.recovery-changed", "portfolio", id.ToString(),
                new { provider, recovery = before.Recovery }, new { provider, recovery }), cancellationToken);
    }

    /// <summary>Sets the servers and the backup (null clears it) of the relationship in which <paramref name="provider"/> serves <paramref name="customer"/>.</summary>
    /// <exception cref="PreconditionFailedException">The portfolio changed since <paramref name="version"/> was read.</exception>
    public async Task<long> SetBackupAsync(Tenant tenant, string customer, string provider, int? servers, Backup? backup, long version, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        var stored = await CurrentAsync(tenant, version, cancellationToken);
        var index = IndexOf(stored.Portfolio.Relationships, r => r.Customer == customer && r.Provider == provider)
            ?? throw new NotFoundException($"{provider} does not serve {customer} in your portfolio");
        var before = stored.Portfolio.Relationships[index];
        var relationships = stored.Portfolio.Relationships.ToArray();
        relationships[index] = before with { Servers = servers, Backup = backup };
        return await ReplaceAsync(tenant, stored, stored.Portfolio with { Relationships = relationships }, $"backup of {customer} with {provider}",
            id => new AuditEvent(stored.Owner, tenant.Actor, "portfolio.backup-changed", "portfolio", id.ToString(),
                new { customer, provider, servers = before.Servers, backup = before.Backup }, new { customer, provider, servers, backup }), cancellationToken);
    }

    private async Task<StoredPortfolio> CurrentAsync(Tenant tenant, long version, CancellationToken cancellationToken)
    {
        var stored = await store.LoadAsync(tenant, cancellationToken) ?? throw new NotFoundException("your organization has no portfolio yet: import one first");
        if (stored.Version != version)
            throw new PreconditionFailedException($"the portfolio changed since you opened it (version {version}, now {stored.Version}); reload it and make your change again");
        return stored;
    }

    /// <summary>Stores the changed portfolio as the next version, keeping its links and every provider's matrix as stored.</summary>
    private async Task<long> ReplaceAsync(Tenant tenant, StoredPortfolio stored, Portfolio changed, string source, Func<Guid, AuditEvent> change, CancellationToken cancellationToken)
    {
        List<MatrixUpload> matrices;
        await using (var db = installation.OpenReadDb())
        {
            var contents = await db.ResponsibilityMatrices.AsNoTracking().Where(m => m.PortfolioId == stored.Id).ToDictionaryAsync(m => m.Provider, m => m.Content, cancellationToken);
            matrices = stored.Matrices.Select(m => new MatrixUpload(m.Value, contents[m.Key], $"stored matrix of {m.Key}")).ToList();
        }
        var portfolio = changed with
        {
            Organizations = changed.Organizations.Select(o => o with { CustodesOrganization = stored.Links.TryGetValue(o.Id, out var l) ? l.ToString() : null }).ToArray(),
        };
        return await store.ImportAsync(tenant, portfolio, matrices, source, cancellationToken, change);
    }

    private static int? IndexOf<T>(IReadOnlyList<T> items, Func<T, bool> match)
    {
        for (var i = 0; i < items.Count; i++)
            if (match(items[i])) return i;
        return null;
    }
}
