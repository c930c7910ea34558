using Custodes.Application.Database;
using Custodes.Application.Organizations;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Letters;

/// <summary>An organization as the independence rule sees it: who it is and what it is called.</summary>
public sealed record IndependenceParty(Guid? Id, string Name);

/// <summary>
/// The independence rule of contracts §10, in one place for the command line, the web app and engagements: a letter's issuer is an
/// existing organization of kind <c>assessor</c>, and it is never the assessed organization, nor an organization the assessed
/// organization manages (the subject is its IT provider in a stored portfolio), nor the subject's own provider in a stored portfolio.
/// </summary>
/// <remarks>
/// An MSP attesting itself is the failure this exists for: the letter would look independent to every customer that inherits from it.
/// What the installation knows is checked — organizations by id, or by name when the portfolio entry or the assessment file has no
/// account link — and a conflict the installation cannot see is what the lead's independence statement covers.
/// </remarks>
public static class Independence
{
    /// <summary>The C3PAO rules a CMMC engagement adds to the statement.</summary>
    public const string CmmcStatement =
        "As a C3PAO, the firm follows the CMMC Assessment Process and the Cyber AB code of professional conduct, and has not provided consulting " +
        "services for the assessed scope within the period those rules exclude.";

    /// <summary>Refuses an issuer that is not an assessor firm (bad input naming its kind).</summary>
    internal static void RequireAssessor(OrganizationRow issuer, string path = "issuer")
    {
        if (issuer.Kind != OrganizationKinds.Assessor)
            throw new BadInputException($"'{issuer.Name}' is {OrganizationDirectory.KindWords(issuer.Kind)}, not an assessor firm: only an independent assessor firm attests an organization; " +
                "create the firm as an organization of kind assessor and issue as it", path: path);
    }

    /// <summary>Throws <see cref="ConflictOfInterestException"/> naming the conflict when <paramref name="firm"/> may not attest <paramref name="subject"/>.</summary>
    internal static async Task RequireIndependentAsync(CustodesDb db, IndependenceParty firm, IndependenceParty subject, CancellationToken cancellationToken)
    {
        if (await FindConflictAsync(db, firm, subject, cancellationToken) is { } conflict) throw new ConflictOfInterestException(conflict);
    }

    /// <summary>The conflict between <paramref name="firm"/> and <paramref name="subject"/> the installation shows, in words; null when none.</summary>
    internal static async Task<string?> FindConflictAsync(CustodesDb db, IndependenceParty firm, IndependenceParty subject, CancellationToken cancellationToken)
    {
        var firmName = OrganizationNames.Normalize(firm.Name);
        var subjectName = OrganizationNames.Normalize(subject.Name);
        if ((firm.Id is { } f && f == subject.Id) || firmName == subjectName)
            return $"'{firm.Name}' is the assessed organization itself: an organization cannot attest its own security; ask an independent assessor firm";

        // Each portfolio entry is one of the two parties when linked to its account, or (unlinked) when it carries its name.
        var entries = await (from o in db.PortfolioOrganizations.AsNoTracking()
                             join p in db.Portfolios.AsNoTracking() on o.PortfolioId equals p.Id
                             select new { o.PortfolioId, o.Key, o.Name, o.LinkedOrganizationId, p.OwnerOrganizationId }).ToListAsync(cancellationToken);
        bool Is(IndependenceParty party, string normalized, Guid? linked, string name) =>
            linked is { } id ? id == party.Id || (party.Id is null && OrganizationNames.Normalize(name) == normalized) : OrganizationNames.Normalize(name) == normalized;
        var firmKeys = entries.Where(e => Is(firm, firmName, e.LinkedOrganizationId, e.Name)).Select(e => (e.PortfolioId, e.Key)).ToHashSet();
        var subjectKeys = entries.Where(e => Is(subject, subjectName, e.LinkedOrganizationId, e.Name)).Select(e => (e.PortfolioId, e.Key)).ToHashSet();
        if (firmKeys.Count == 0 || subjectKeys.Count == 0) return null;
        var portfolios = firmKeys.Select(k => k.PortfolioId).Intersect(subjectKeys.Select(k => k.PortfolioId)).ToList();
        if (portfolios.Count == 0) return null;
        var relationships = await db.PortfolioRelationships.AsNoTracking().Where(r => portfolios.Contains(r.PortfolioId))
            .Select(r => new { r.PortfolioId, r.Customer, r.Provider }).ToListAsync(cancellationToken);
        var owners = entries.GroupBy(e => e.PortfolioId).ToDictionary(g => g.Key, g => g.First().OwnerOrganizationId);
        var ownerNames = await db.Organizations.AsNoTracking().Where(o => owners.Values.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        string Whose(Guid portfolio) => owners[portfolio] is { } owner && ownerNames.TryGetValue(owner, out var name) ? $"{name}'s portfolio" : "the installation's portfolio";
        foreach (var r in relationships)
        {
            if (firmKeys.Contains((r.PortfolioId, r.Provider)) && subjectKeys.Contains((r.PortfolioId, r.Customer)))
                return $"'{firm.Name}' is a provider of '{subject.Name}' ({Whose(r.PortfolioId)}): a firm that runs an organization's IT cannot attest it independently";
            if (subjectKeys.Contains((r.PortfolioId, r.Provider)) && firmKeys.Contains((r.PortfolioId, r.Customer)))
                return $"'{firm.Name}' is managed by '{subject.Name}' (its provider in {Whose(r.PortfolioId)}): a firm whose own IT the assessed organization runs cannot attest it independently";
        }
        return null;
    }
}
