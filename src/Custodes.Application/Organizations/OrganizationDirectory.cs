using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Organizations;

/// <summary>An organization as offered in a picker: enough to choose it, nothing more.</summary>
public sealed record OrganizationChoice(Guid Id, string Name, string Kind);

/// <summary>
/// Which organizations a picker may offer to a tenant, so that people choose by name instead of pasting ids — without listing
/// organizations the tenant has no business seeing. Offered: those the tenant's own portfolio links to, those it already shares with
/// or that share with it, the assessed organization, and (for watch) the customers its tenants are mapped to. Anything else is
/// found only by its exact name (or id), as the other organization would tell it.
/// </summary>
public sealed class OrganizationDirectory(Installation installation)
{
    /// <summary>Organizations to offer when sharing an assessment: known to the tenant through its portfolio, earlier shares, or the assessment itself.</summary>
    public async Task<IReadOnlyList<OrganizationChoice>> ShareCandidatesAsync(Tenant tenant, Guid assessmentId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        var org = tenant.OrganizationId;
        var linked = PortfolioLinks(db, org);
        var sharedWith = from s in db.Shares join a in db.Assessments on s.AssessmentId equals a.Id where a.OrganizationId == org select s.OrganizationId;
        var sharingWithUs = from s in db.Shares join a in db.Assessments on s.AssessmentId equals a.Id where s.OrganizationId == org select a.OrganizationId;
        var ids = await linked.Union(sharedWith).Union(sharingWithUs).Distinct().ToListAsync(cancellationToken);
        // The assessed organization, when it has an account here (matched when the assessment was stored).
        if (await db.Assessments.Where(a => a.Id == assessmentId && a.OrganizationId == org).Select(a => a.SubjectOrganizationId).FirstOrDefaultAsync(cancellationToken) is { } subject)
            ids.Add(subject);
        return await ChoicesAsync(db, ids.Where(id => id != org), null, cancellationToken);
    }

    /// <summary>Customers an MSP may map an RMM tenant to: the customers its portfolio links to and those its tenants already map to.</summary>
    public async Task<IReadOnlyList<OrganizationChoice>> CustomerCandidatesAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        var org = tenant.OrganizationId;
        var mapped = db.WatchTenants.Where(t => t.MspOrganizationId == org).Select(t => t.CustomerOrganizationId);
        var ids = await PortfolioLinks(db, org).Union(mapped).Distinct().ToListAsync(cancellationToken);
        return await ChoicesAsync(db, ids.Where(id => id != org), OrganizationKinds.Customer, cancellationToken);
    }

    /// <summary>
    /// The organization a person typed: an id, a name from <paramref name="candidates"/>, or else the exact name of one organization
    /// (of <paramref name="kind"/> when given). Ambiguity and absence are bad input at <paramref name="path"/>.
    /// </summary>
    public async Task<Guid> ResolveAsync(string? typed, IReadOnlyList<OrganizationChoice> candidates, string? kind, string path, CancellationToken cancellationToken = default)
    {
        var text = (typed ?? "").Trim();
        if (text.Length == 0) throw new BadInputException("choose an organization: type its name (or paste its id)", path: path);
        if (Guid.TryParse(text, out var id)) return id;
        var normalized = OrganizationNames.Normalize(text);
        var known = candidates.Where(c => OrganizationNames.Normalize(c.Name) == normalized && (kind is null || c.Kind == kind)).ToList();
        if (known.Count == 1) return known[0].Id;
        await using var db = installation.OpenReadDb();
        var matches = (await OrganizationStore.MatchNameAsync(db, text, cancellationToken)).Where(o => kind is null || o.Kind == kind).ToList();
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new BadInputException($"no {(kind is null ? "organization" : kind + " organization")} is named exactly '{text}' here; check the spelling, or ask them for the organization id shown on their Members page", path: path),
            _ => throw new BadInputException($"several organizations are named '{text}' ({string.Join(", ", matches.Select(m => KindWords(m.Kind)))}); paste the id of the one you mean (shown on its Members page)", path: path),
        };
    }

    private static IQueryable<Guid> PortfolioLinks(CustodesDb db, Guid org) =>
        from p in db.Portfolios
        join o in db.PortfolioOrganizations on p.Id equals o.PortfolioId
        where p.OwnerOrganizationId == org && o.LinkedOrganizationId != null
        select o.LinkedOrganizationId!.Value;

    private static async Task<IReadOnlyList<OrganizationChoice>> ChoicesAsync(CustodesDb db, IEnumerable<Guid> ids, string? kind, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await db.Organizations.AsNoTracking().Where(o => wanted.Contains(o.Id) && (kind == null || o.Kind == kind))
            .OrderBy(o => o.Name).Select(o => new OrganizationChoice(o.Id, o.Name, o.Kind)).ToListAsync(cancellationToken);
    }

    public static string KindWords(string kind) => kind switch
    {
        OrganizationKinds.Assessor => "an assessor firm",
        OrganizationKinds.Msp => "an IT provider (MSP)",
        _ => "a customer business",
    };
}
