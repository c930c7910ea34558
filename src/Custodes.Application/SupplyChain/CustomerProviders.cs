using Custodes.Common;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>One provider of the organization, as its list and its form show it.</summary>
/// <param name="LinkedOrganization">The Custodes organization the entry is linked to (its letters are used), with its name and trust page.</param>
public sealed record ProviderSummary(
    string Id,
    ProviderDetails Details,
    Guid? LinkedOrganization,
    string? LinkedName,
    string? LinkedSlug,
    bool HasMatrix,
    IReadOnlyList<Tool> Tools);

/// <summary>The organization's own providers, the portfolio version they were read from (0: no portfolio yet), and whether the reader may change them.</summary>
public sealed record ProviderList(long Version, string? Entry, IReadOnlyList<ProviderSummary> Providers, bool CanEdit)
{
    public ProviderSummary? Find(string id) => Providers.FirstOrDefault(p => p.Id == id);
}

/// <summary>
/// The providers of the tenant's own organization in its portfolio: the relationships in which its own entry (the entry linked to it) is the
/// customer. What the provider forms show and edit; any member reads them.
/// </summary>
public sealed class CustomerProviders(Installation installation, PortfolioStore store)
{
    public async Task<ProviderList> ListAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var stored = await store.LoadAsync(tenant, cancellationToken);
        var canEdit = Roles.CanEdit(tenant.Role) && !tenant.ForInstallation;
        if (stored is null) return new ProviderList(0, null, [], canEdit);
        var entry = stored.EntryOf(tenant.OrganizationId);
        if (entry is null) return new ProviderList(stored.Version, null, [], canEdit);
        var portfolio = stored.Portfolio;
        var organizations = portfolio.Organizations.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var tools = portfolio.Tools.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var linked = stored.Links.Values.Distinct().ToArray();
        await using var db = installation.OpenReadDb();
        var names = await db.Organizations.AsNoTracking().Where(o => linked.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var slugs = await db.TrustPages.AsNoTracking().Where(t => linked.Contains(t.OrganizationId)).ToDictionaryAsync(t => t.OrganizationId, t => t.Slug, cancellationToken);
        var providers = portfolio.Relationships.Where(r => r.Customer == entry).Select(r =>
        {
            var provider = organizations[r.Provider];
            Guid? link = stored.Links.TryGetValue(r.Provider, out var l) ? l : null;
            var own = r.Tools.Select(t => tools[t]).ToArray();
            var details = new ProviderDetails
            {
                Name = provider.Name,
                Kind = provider.Kind,
                Services = r.Services,
                Access = r.Access,
                Tools = own.Where(t => t.Operator == r.Provider).Select(t => t.Product).Distinct().ToArray(),
                Endpoints = r.Endpoints,
                ContractStart = r.ContractStart,
                ContractEnd = r.ContractEnd,
                CustodesOrganization = link?.ToString(),
            };
            return new ProviderSummary(r.Provider, details, link, link is { } a ? names.GetValueOrDefault(a) : null, link is { } b ? slugs.GetValueOrDefault(b) : null,
                stored.Matrices.ContainsKey(r.Provider), own);
        }).ToArray();
        return new ProviderList(stored.Version, entry, providers, canEdit);
    }

    /// <summary>One provider of the tenant's organization.</summary>
    /// <exception cref="NotFoundException">It is not one of the organization's providers.</exception>
    public async Task<(ProviderList List, ProviderSummary Provider)> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken = default)
    {
        var list = await ListAsync(tenant, cancellationToken);
        return (list, list.Find(id) ?? throw new NotFoundException($"'{id}' is not one of your providers"));
    }
}
