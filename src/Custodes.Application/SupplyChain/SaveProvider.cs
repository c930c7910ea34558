using Custodes.Common;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>
/// Adds a provider to the tenant's organization, or changes one, from a form: the provider's entry, what it runs, its tools and access. The
/// change is made to the stored portfolio and stored the way an import is (<see cref="PortfolioStore"/>: one validation, one version, audited);
/// a refusal names the form's field (<see cref="ProviderEdits.Fields"/>). Linking a provider to an organization with a published trust page
/// here makes its letters count, and copies the responsibility matrix it published, so what it covers is inherited.
/// </summary>
public sealed class SaveProvider(Installation installation, PortfolioStore store, ProviderDirectory directory)
{
    /// <summary>Adds a provider; returns its id in the portfolio and the new version.</summary>
    /// <param name="expectedVersion">The portfolio version the form was read from (0: none yet); a newer one refuses the change.</param>
    public async Task<(string Provider, long Version)> AddAsync(Tenant tenant, ProviderDetails details, long expectedVersion, CancellationToken cancellationToken = default)
    {
        RequireEdit(tenant);
        ProviderEdits.Check(details);
        var stored = await store.LoadAsync(tenant, cancellationToken);
        var (portfolio, entry) = await WithOwnEntryAsync(tenant, stored, cancellationToken);
        var link = await CheckLinkAsync(tenant, details.CustodesOrganization, previous: null, cancellationToken);
        var (changed, provider) = ProviderEdits.Add(portfolio, entry, details with { CustodesOrganization = link?.ToString() });
        var matrices = stored is null ? [] : await store.StoredMatricesAsync(stored, cancellationToken);
        if (link is { } l && await directory.MatrixForAsync(l, provider, cancellationToken) is { } published) matrices.Add(published);
        var version = await store.StoreAsync(tenant, changed, matrices, Write(changed, entry, provider, expectedVersion, "portfolio.provider-added", null, details), cancellationToken);
        return (provider, version);
    }

    /// <summary>Changes one of the tenant's providers; returns the new version.</summary>
    /// <exception cref="NotFoundException">It is not one of the organization's providers.</exception>
    public async Task<long> UpdateAsync(Tenant tenant, string provider, ProviderDetails details, long expectedVersion, CancellationToken cancellationToken = default)
    {
        RequireEdit(tenant);
        var stored = await store.LoadAsync(tenant, cancellationToken) ?? throw new NotFoundException($"'{provider}' is not one of your providers");
        var entry = stored.EntryOf(tenant.OrganizationId) ?? throw new NotFoundException($"'{provider}' is not one of your providers");
        ProviderEdits.RelationshipIndex(stored.Portfolio, entry, provider);
        ProviderEdits.Check(details);
        var before = stored.Portfolio.Organizations.First(o => o.Id == provider);
        Guid? previous = stored.Links.TryGetValue(provider, out var p) ? p : null;
        var link = await CheckLinkAsync(tenant, details.CustodesOrganization, previous, cancellationToken);
        var changed = ProviderEdits.Update(stored.Portfolio, entry, provider, details with { CustodesOrganization = link?.ToString() });
        var matrices = await store.StoredMatricesAsync(stored, cancellationToken);
        if (link is { } l && l != previous && await directory.MatrixForAsync(l, provider, cancellationToken) is { } published)
        {
            matrices.RemoveAll(m => m.Matrix.Provider == provider);
            matrices.Add(published);
        }
        var beforeDetails = new { name = before.Name, linked = previous };
        return await store.StoreAsync(tenant, changed, matrices, Write(changed, entry, provider, expectedVersion, "portfolio.provider-changed", beforeDetails, details), cancellationToken);
    }

    /// <summary>The tenant's portfolio with an entry for its own organization (added, linked to it, when there is none yet) and that entry's id.</summary>
    internal async Task<(Portfolio Portfolio, string Entry)> WithOwnEntryAsync(Tenant tenant, StoredPortfolio? stored, CancellationToken cancellationToken)
    {
        var portfolio = stored?.Portfolio ?? new Portfolio();
        var entry = stored?.EntryOf(tenant.OrganizationId);
        if (entry is not null) return (portfolio, entry);
        await using var db = installation.OpenReadDb();
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == tenant.OrganizationId).Select(o => new { o.Name, o.Kind }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"no organization {tenant.OrganizationId}");
        var kind = organization.Kind switch
        {
            OrganizationKinds.Msp => OrganizationKind.Msp,
            OrganizationKinds.Assessor => OrganizationKind.Assessor,
            _ => OrganizationKind.Customer,
        };
        return ProviderEdits.WithCustomer(portfolio, null, organization.Name, kind, tenant.OrganizationId.ToString());
    }

    /// <summary>
    /// The organization a provider is linked to: one with a published trust page here (not the tenant's own), or the link it already had
    /// (an import may link any organization by name). Null when none.
    /// </summary>
    private async Task<Guid?> CheckLinkAsync(Tenant tenant, string? link, Guid? previous, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(link)) return null;
        if (!Guid.TryParse(link, out var organization))
            throw new BadInputException("the linked provider is not one found by the search; search for it by name and choose it", path: ProviderEdits.Fields.Link);
        if (organization == previous) return organization;
        if (organization == tenant.OrganizationId)
            throw new BadInputException("your own organization cannot be one of your providers", path: ProviderEdits.Fields.Link);
        if (await directory.FindAsync(organization, cancellationToken) is null)
            throw new BadInputException("that organization has no published trust page here (any more); search again, or leave the provider unlinked", path: ProviderEdits.Fields.Link);
        return organization;
    }

    private static PortfolioStore.PortfolioWrite Write(Portfolio changed, string entry, string provider, long expectedVersion, string action, object? before, ProviderDetails details) => new()
    {
        Source = "the provider form",
        // A rule of the whole portfolio broken by this change is shown beside the field it is about; another is shown as it is.
        Error = (path, message) => new BadInputException(message, path: ProviderEdits.FieldOf(changed, entry, provider, path) is { Length: > 0 } field ? field : null),
        ExpectedVersion = expectedVersion,
        Action = action,
        Before = previous => before is null ? (previous == 0 ? null : new { version = previous }) : new { version = previous, provider, before },
        After = (version, links) => new
        {
            version,
            provider,
            name = details.Name.Trim(),
            kind = PortfolioNames.Kinds.Name(details.Kind),
            services = PortfolioNames.Services.Names(details.Services),
            access = PortfolioNames.Access.Names(details.Access),
            tools = details.Tools.Select(PortfolioNames.Products.Name).ToArray(),
            endpoints = details.Endpoints,
            linked = details.CustodesOrganization,
        },
    };

    private static void RequireEdit(Tenant tenant)
    {
        tenant.RequireEdit();
        if (tenant.ForInstallation) throw new ForbiddenException("the installation's own portfolio has no organization of its own to add providers to; import a portfolio file instead");
    }
}
