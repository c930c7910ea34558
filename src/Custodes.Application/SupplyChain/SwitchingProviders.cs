using Custodes.Application.Trust;
using Custodes.Common;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>A trust page published in this installation, as a candidate is chosen from the list.</summary>
public sealed record PublishedTrustPage(string Slug, string Name);

/// <summary>
/// Switching providers (issue #15 part 4): a customer compares candidate providers side by side from their trust pages — published here (by
/// slug or name) or pasted from another installation (<see cref="RemoteTrustPages"/>, every letter verified first) — against the provider it
/// would replace: attested score and CMMC status, whether the letter holds, the customer's effective score if the candidate replaced the current
/// provider (its own assessment, its other providers, the candidate's matrix while its letter holds: <see cref="CompareCandidates"/>), and how
/// many organizations would share the candidate.
/// </summary>
public sealed class SwitchingProviders(Installation installation, PortfolioGraphs portfolios, ProviderLetters letters, RemoteTrustPages remote, TimeProvider clock)
{
    /// <summary>How many candidates one comparison takes: side by side stops being readable well before, and each remote one costs fetches.</summary>
    public const int MaxCandidates = 8;

    /// <summary>The field naming the provider a candidate would replace.</summary>
    public const string ReplacingField = "replacing";

    /// <summary>Every trust page published here, by name: what a customer can pick from (they are public).</summary>
    public async Task<IReadOnlyList<PublishedTrustPage>> PublishedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var pages = await db.TrustPages.AsNoTracking().Join(db.Organizations, t => t.OrganizationId, o => o.Id, (t, o) => new { t.Slug, o.Name }).ToListAsync(cancellationToken);
        return [.. pages.Select(p => new PublishedTrustPage(p.Slug, p.Name)).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The tenant's organization compares <paramref name="candidates"/> against the provider it would replace (default: its only MSP).</summary>
    public async Task<CandidateComparison> CompareAsync(Tenant tenant, IReadOnlyList<string> candidates, string? replacing, CancellationToken cancellationToken = default)
    {
        var named = candidates.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (named.Length == 0)
            throw new BadInputException("name at least one candidate: a provider's trust page here, or the address of another installation's trust page", path: RemoteTrustPages.Field);
        if (named.Length > MaxCandidates)
            throw new BadInputException($"{named.Length} candidates: compare at most {MaxCandidates} at once", path: RemoteTrustPages.Field);
        var loaded = await portfolios.GetAsync(tenant, cancellationToken)
            ?? throw new NotFoundException("your organization has no portfolio yet: import one listing your current providers, so that a candidate can be compared with them");
        var entry = loaded.Stored.EntryOf(tenant.OrganizationId)
            ?? throw new BadInputException("your portfolio has no entry for your own organization: link your organization in it, so that its providers are known");
        var own = await CustomerInheritance.LatestOwnAssessmentAsync(installation, tenant.OrganizationId, cancellationToken)
            ?? throw new BadInputException("your organization has no assessment of its own yet: a candidate's coverage is measured against it");

        var now = clock.GetUtcNow();
        var published = await PublishedAsync(cancellationToken);
        var read = new List<CandidateProvider>(named.Length);
        foreach (var candidate in named)
            read.Add(RemoteTrustPages.IsAddress(candidate) ? await remote.ReadAsync(candidate, now, cancellationToken) : await LocalAsync(candidate, published, now, cancellationToken));

        var held = await letters.ForAsync(loaded.Stored, now, cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (provider, organization) in loaded.Stored.Links)
            if (provider != entry && await OrganizationsServedAsync(organization, cancellationToken) is { } n) counts[provider] = n;
        var comparison = CompareCandidates.For(loaded.Graph, entry, own.Assessment, loaded.Stored.Matrices, held.ToDictionary(l => l.Key, l => l.Value.State, StringComparer.Ordinal),
            replacing, read, DateOnly.FromDateTime(now.UtcDateTime));
        return comparison.Replacing is { } current && counts.TryGetValue(current.Provider, out var served)
            ? comparison with { Replacing = current with { Organizations = served } }
            : comparison;
    }

    /// <summary>A candidate published here, by slug or by name; its newest letter verified as for any provider here (<see cref="ProviderLetters"/>).</summary>
    private async Task<CandidateProvider> LocalAsync(string candidate, IReadOnlyList<PublishedTrustPage> published, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var page = published.FirstOrDefault(p => p.Slug == candidate.ToLowerInvariant()) ?? published.FirstOrDefault(p => string.Equals(p.Name, candidate, StringComparison.OrdinalIgnoreCase))
            ?? throw new BadInputException($"no trust page is published here as '{candidate}': choose one of the published providers, or paste another installation's trust page address", path: RemoteTrustPages.Field);
        Guid organization;
        ResponsibilityMatrix? matrix;
        await using (var db = installation.OpenDb())
        {
            organization = await db.TrustPages.AsNoTracking().Where(t => t.Slug == page.Slug).Select(t => t.OrganizationId).FirstAsync(cancellationToken);
            matrix = await TrustPageReader.OwnMatrixAsync(db, organization, cancellationToken);
        }
        var letter = await letters.CurrentAsync(page.Slug, organization, now, cancellationToken);
        var verified = letter is { State.SignatureValid: true };
        return new CandidateProvider
        {
            Id = page.Slug,
            Name = page.Name,
            Page = $"/trust/{page.Slug}",
            Letter = verified ? letter!.State : null,
            Unverified = letter is null || verified ? [] : [new UnverifiedLetter(letter.State.LetterId, "the letter's signature does not verify with its issuer's registered key")],
            Matrix = matrix,
            Organizations = await OrganizationsServedAsync(organization, cancellationToken),
        };
    }

    /// <summary>
    /// How many organizations a provider with a published trust page serves, from its own portfolio here (a count, never who): what a compromise of
    /// it would reach. Null when it publishes no page or keeps no portfolio of its customers.
    /// </summary>
    private async Task<int?> OrganizationsServedAsync(Guid organization, CancellationToken cancellationToken)
    {
        await using (var db = installation.OpenDb())
            if (!await db.TrustPages.AsNoTracking().AnyAsync(t => t.OrganizationId == organization, cancellationToken)) return null;
        var theirs = await portfolios.GetAsync(new Tenant(organization, Roles.Viewer, "system:compare-providers"), cancellationToken);
        if (theirs?.Stored.EntryOf(organization) is not { } self) return null;
        return ComputeBlastRadius.For(theirs.Graph, self).TotalCustomers;
    }
}
