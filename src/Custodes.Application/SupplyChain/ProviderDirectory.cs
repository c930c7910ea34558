using System.Text;
using Custodes.Application.Trust;
using Custodes.Common;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>A provider that publishes a trust page in this installation, as a search finds it: what a customer links a provider entry to.</summary>
/// <param name="CurrentLetter">The newest letter in force on its page (issuer, valid until), or null.</param>
/// <param name="HasMatrix">Whether it recorded a responsibility matrix (what its customers inherit), which linking copies.</param>
public sealed record PublishedProvider(Guid Organization, string Name, string Slug, TrustLetter? CurrentLetter, bool HasMatrix);

/// <summary>
/// Finds providers by name among the organizations that published a trust page here. Only published pages are found: a page is the
/// organization speaking in public, so finding it tells nothing that is not already public; an unpublished organization is never listed.
/// </summary>
public sealed class ProviderDirectory(Installation installation, TrustPageReader pages)
{
    public const int MinQuery = 2;
    public const int MaxResults = 10;

    /// <summary>Providers whose name contains the words of <paramref name="query"/> (any case), best match first.</summary>
    public async Task<IReadOnlyList<PublishedProvider>> SearchAsync(Tenant tenant, string? query, CancellationToken cancellationToken = default)
    {
        query = query?.Trim();
        if (query is null || query.Length < MinQuery) throw new BadInputException($"type at least {MinQuery} letters of the provider's name", path: "q");
        if (query.Length > 200) throw new BadInputException("the name searched for has more than 200 characters", path: "q");
        var lowered = query.ToLowerInvariant();
        await using var db = installation.OpenReadDb();
        var found = await db.TrustPages.AsNoTracking()
            .Join(db.Organizations, t => t.OrganizationId, o => o.Id, (t, o) => new { o.Id, o.Name, t.Slug })
            .Where(x => x.Id != tenant.OrganizationId && x.Name.ToLower().Contains(lowered))
            .OrderBy(x => x.Name).Take(MaxResults * 4).ToListAsync(cancellationToken);
        var ranked = found.OrderBy(x => x.Name.StartsWith(query, StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(x => x.Name.Length).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(MaxResults).ToList();
        var result = new List<PublishedProvider>(ranked.Count);
        foreach (var x in ranked) result.Add(await DescribeAsync(x.Id, x.Name, x.Slug, cancellationToken));
        return result;
    }

    /// <summary>The published provider an organization is, or null when it has no published trust page here.</summary>
    public async Task<PublishedProvider?> FindAsync(Guid organization, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        var page = await db.TrustPages.AsNoTracking().Where(t => t.OrganizationId == organization)
            .Join(db.Organizations, t => t.OrganizationId, o => o.Id, (t, o) => new { o.Id, o.Name, t.Slug }).FirstOrDefaultAsync(cancellationToken);
        return page is null ? null : await DescribeAsync(page.Id, page.Name, page.Slug, cancellationToken);
    }

    /// <summary>
    /// The matrix a published provider recorded for itself (as its trust page shows it), re-addressed to its entry in a customer's portfolio;
    /// null when it recorded none.
    /// </summary>
    internal async Task<MatrixUpload?> MatrixForAsync(Guid organization, string entry, CancellationToken cancellationToken)
    {
        await using var db = installation.OpenReadDb();
        var content = await TrustPageReader.OwnMatrixContentAsync(db, organization, cancellationToken);
        if (content is null) return null;
        var matrix = ResponsibilityMatrixFile.Parse(Encoding.UTF8.GetBytes(content), "the provider's published responsibility matrix") with { Provider = entry };
        var yaml = ResponsibilityMatrixFile.ToYaml(matrix);
        return new MatrixUpload(matrix, Encoding.UTF8.GetString(yaml), "the provider's published responsibility matrix");
    }

    private async Task<PublishedProvider> DescribeAsync(Guid organization, string name, string slug, CancellationToken cancellationToken)
    {
        var page = await pages.ReadAsync(slug, cancellationToken);
        return new PublishedProvider(organization, name, slug, page?.Current, page?.Matrix is not null);
    }
}
