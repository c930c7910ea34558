using Custodes.Application.Database;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Application.Watch;
using Custodes.Assessments;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Home;

/// <summary>Where a provider stands for the customer today, from the letter this installation holds about it.</summary>
public enum ProviderStanding
{
    /// <summary>An independent assessor's letter is in force.</summary>
    Assessed,
    /// <summary>The assessor withdrew its letter.</summary>
    Revoked,
    /// <summary>The letter's period ended (or it ended early at an unmet closeout).</summary>
    Expired,
    /// <summary>A letter exists but its signature does not check out here.</summary>
    Unverified,
    /// <summary>The provider has an account here but no letter.</summary>
    NoLetter,
    /// <summary>The portfolio does not link the provider to an organization here, so nothing can be checked.</summary>
    NotLinked,
}

/// <summary>One provider of the customer, with what its letter says (when one is held here).</summary>
public sealed record ProviderVerdict
{
    /// <summary>The provider's id in the customer's portfolio.</summary>
    public required string Key { get; init; }
    public required string Name { get; init; }
    public required OrganizationKind Kind { get; init; }
    /// <summary>What the provider does for the customer (union over its relationships with it).</summary>
    public required Services Services { get; init; }
    public required AccessLevels Access { get; init; }
    /// <summary>Computers the provider manages for the customer (sum over relationships; null when never stated).</summary>
    public int? Endpoints { get; init; }
    public required ProviderStanding Standing { get; init; }
    public Guid? LetterId { get; init; }
    public string? Issuer { get; init; }
    public DateOnly? AssessedOn { get; init; }
    public DateOnly? ValidUntil { get; init; }
    public DateTime? RevokedAt { get; init; }
    public string? RevocationReason { get; init; }
    /// <summary>Requirements in the attested framework (110 for NIST SP 800-171 r2).</summary>
    public int? Requirements { get; init; }
    /// <summary>Requirements the attested assessment found not met.</summary>
    public int? NotMet { get; init; }
    /// <summary>Open plan-of-action items in the attested assessment (fixes under way).</summary>
    public int? OpenFixes { get; init; }
    /// <summary>The latest planned completion among the open fixes.</summary>
    public DateOnly? FixesDue { get; init; }
    /// <summary>When a conditional CMMC status must be closed out, or the letter ends early.</summary>
    public DateOnly? CloseoutDue { get; init; }
    /// <summary>The CMMC Level 2 status the letter states (final, conditional, no-status).</summary>
    public string? CmmcLevel2 { get; init; }
    /// <summary>Requirements of the customer's assessment the provider carries in full or in part (its responsibility matrix in the portfolio).</summary>
    public int Covers { get; init; }
    /// <summary>The provider's public trust page here, when published.</summary>
    public string? TrustPageSlug { get; init; }
}

/// <summary>An alert on the customer's own machines, with who to call about it.</summary>
/// <param name="ContactName">The provider whose tools raised it, as the customer knows it (its portfolio's name, else its account's).</param>
/// <param name="ContactEmail">An owner of the provider's account here: the provider's contact the customer can reach.</param>
public sealed record CustomerAlert(AlertView Alert, string ContactName, string? ContactEmail);

/// <summary>The customer's own standing: its latest assessment's score alone and with what its providers cover.</summary>
public sealed record CustomerPosture(Guid AssessmentId, int? OwnScore, int? EffectiveScore, string CmmcLevel2, int Inherited);

/// <summary>What a customer's home page shows.</summary>
public sealed record CustomerHomeView(
    string Organization,
    bool HasPortfolio,
    IReadOnlyList<ProviderVerdict> Providers,
    IReadOnlyList<CustomerAlert> Alerts,
    IReadOnlyList<SupplyChainNotice> Notices,
    CustomerPosture? Posture,
    DateOnly Today,
    DataClasses? Data);

/// <summary>
/// A customer's home: one verdict per provider from the letters held here (who assessed it, when, until when, what is still being
/// fixed and by when), the alerts its providers' tools raised about its own machines (newest first, with the provider to call), the
/// supply-chain notices and its own score. Only a customer organization gets it.
/// </summary>
public sealed class CustomerHome(Installation installation, PortfolioGraphs portfolios, ProviderLetters providerLetters, CustomerInheritance inheritance, AlertStore alerts, LetterChanges notices,
    TimeProvider clock)
{
    /// <summary>How many alerts the home lists; the alerts page has the rest.</summary>
    public const int AlertCount = 10;

    public async Task<CustomerHomeView> LoadAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        OrganizationRow org;
        await using (var db = installation.OpenDb())
            org = await HomeKinds.RequireAsync(db, tenant, OrganizationKinds.Customer, cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

        var loaded = await portfolios.GetAsync(tenant, cancellationToken);
        var entry = loaded?.Stored.EntryOf(tenant.OrganizationId);
        var data = entry is null ? null : loaded!.Stored.Portfolio.Organizations.FirstOrDefault(o => o.Id == entry)?.Data;

        var view = await inheritance.ForAsync(tenant, cancellationToken);
        CustomerPosture? posture = null;
        // What each provider carries, counted as the customer's score counts it (requirements, with objective-level matrices resolved).
        IReadOnlyDictionary<string, int>? covers = null;
        if (view is not null)
        {
            posture = new CustomerPosture(view.Own.Id, view.OwnScore.Score, view.Result.Score.Score, view.Result.Score.Cmmc.Level2.Status, view.Result.Report.Holding);
            covers = view.Result.Report.Requirements.SelectMany(r => r.Providers.Where(c => c.Responsibility != Responsibility.Customer).Select(c => c.Provider))
                .GroupBy(p => p, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
        else if (await CustomerInheritance.LatestOwnAssessmentAsync(installation, tenant.OrganizationId, cancellationToken) is { } own)
        {
            var score = Custodes.Assessments.Scoring.ScoreAssessment.Score(own.Assessment);
            posture = new CustomerPosture(own.Id, score.Score, score.Score, score.Cmmc.Level2.Status, 0);
        }
        var providers = loaded is null ? [] : await VerdictsAsync(tenant, loaded, covers, cancellationToken);

        return new CustomerHomeView(org.Name, loaded is not null, providers, await AlertsAsync(tenant, loaded, cancellationToken),
            await notices.ListAsync(tenant, 3, cancellationToken), posture, today, data);
    }

    private async Task<IReadOnlyList<ProviderVerdict>> VerdictsAsync(Tenant tenant, LoadedPortfolio loaded, IReadOnlyDictionary<string, int>? covers, CancellationToken cancellationToken)
    {
        var portfolio = loaded.Stored.Portfolio;
        var entry = loaded.Stored.EntryOf(tenant.OrganizationId);
        // The customer's own providers; a portfolio without an entry for itself (an MSP's map) shows every provider it names.
        var relationships = portfolio.Relationships.Where(r => entry is null || r.Customer == entry).ToArray();
        var held = await providerLetters.ForAsync(loaded.Stored, clock.GetUtcNow(), cancellationToken);
        var letterIds = held.Values.Select(l => l.Letter.Id).Distinct().ToArray();
        var linked = loaded.Stored.Links.Values.Distinct().ToArray();
        Dictionary<Guid, LetterRow> letters;
        Dictionary<Guid, string> trust;
        await using (var db = installation.OpenDb())
        {
            letters = await db.Letters.AsNoTracking().Where(l => letterIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
            trust = await db.TrustPages.AsNoTracking().Where(t => linked.Contains(t.OrganizationId)).ToDictionaryAsync(t => t.OrganizationId, t => t.Slug, cancellationToken);
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var result = new List<ProviderVerdict>();
        foreach (var group in relationships.GroupBy(r => r.Provider, StringComparer.Ordinal))
        {
            var provider = portfolio.Organizations.FirstOrDefault(o => o.Id == group.Key);
            if (provider is null) continue;
            var verdict = new ProviderVerdict
            {
                Key = provider.Id, Name = provider.Name, Kind = provider.Kind,
                Services = group.Aggregate(Services.None, (s, r) => s | r.Services),
                Access = group.Aggregate(AccessLevels.None, (s, r) => s | r.Access),
                Endpoints = group.Any(r => r.Endpoints is not null) ? group.Sum(r => r.Endpoints ?? 0) : null,
                Standing = loaded.Stored.Links.ContainsKey(provider.Id) ? ProviderStanding.NoLetter : ProviderStanding.NotLinked,
                Covers = covers is not null ? covers.GetValueOrDefault(provider.Id)
                    : loaded.Stored.Matrices.TryGetValue(provider.Id, out var matrix) ? matrix.Requirements.Count(e => e.Value.Responsibility != Responsibility.Customer) : 0,
                TrustPageSlug = loaded.Stored.Links.TryGetValue(provider.Id, out var org) ? trust.GetValueOrDefault(org) : null,
            };
            if (held.TryGetValue(provider.Id, out var letter))
                verdict = WithLetter(verdict, letter, letters.GetValueOrDefault(letter.Letter.Id), today);
            result.Add(verdict);
        }
        // Trouble first (a withdrawn or lapsed letter), then those without a letter, then the assessed; by name within each.
        return [.. result.OrderBy(v => v.Standing switch { ProviderStanding.Revoked or ProviderStanding.Expired or ProviderStanding.Unverified => 0, ProviderStanding.Assessed => 2, _ => 1 })
            .ThenBy(v => v.Name, StringComparer.OrdinalIgnoreCase)];
    }

    private static ProviderVerdict WithLetter(ProviderVerdict verdict, ProviderLetter letter, LetterRow? row, DateOnly today)
    {
        var state = letter.State;
        var standing = state.Check(today) switch
        {
            InheritanceCause.Holds => ProviderStanding.Assessed,
            InheritanceCause.LetterRevoked => ProviderStanding.Revoked,
            InheritanceCause.LetterExpired => ProviderStanding.Expired,
            _ => ProviderStanding.Unverified,
        };
        // What is still being fixed comes from the letter's own signed copy of the assessment, never from the provider's stored one.
        ParsedAssessment? attested = null;
        if (row is not null && state.SignatureValid) attested = AttestedAssessment.Read(row);
        int? notMet = null, openFixes = null, requirements = null;
        DateOnly? due = null;
        if (attested is not null)
        {
            var statuses = attested.Resolution.Statuses;
            requirements = statuses.Length;
            var count = 0;
            foreach (var s in statuses) if (s == Status.NotMet) count++;
            notMet = count;
            var open = attested.Assessment.Poam.Where(p => p.Status != PoamStatus.Closed).ToArray();
            openFixes = open.Length;
            due = open.Max(p => p.PlannedCompletion);
        }
        return verdict with
        {
            Standing = standing, LetterId = letter.Letter.Id, Issuer = letter.Letter.Issuer, AssessedOn = state.AssessedOn, ValidUntil = state.ValidUntil,
            RevokedAt = letter.Letter.RevokedAt, RevocationReason = letter.Letter.RevocationReason, Requirements = requirements, NotMet = notMet,
            OpenFixes = openFixes, FixesDue = due, CloseoutDue = letter.Letter.CloseoutDue, CmmcLevel2 = state.CmmcLevel2,
        };
    }

    private async Task<IReadOnlyList<CustomerAlert>> AlertsAsync(Tenant tenant, LoadedPortfolio? loaded, CancellationToken cancellationToken)
    {
        var visible = await alerts.ListAsync(tenant, new AlertFilter(), 0, AlertCount, cancellationToken);
        if (visible.Count == 0) return [];
        var msps = visible.Select(a => a.MspOrganizationId).Distinct().ToArray();
        Dictionary<Guid, string> names;
        Dictionary<Guid, string> contacts;
        await using (var db = installation.OpenDb())
        {
            names = await db.Organizations.AsNoTracking().Where(o => msps.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
            // The provider's contact: an owner of its account, oldest first (the one who set it up). Only providers whose alerts this
            // customer accepted reach this list, so no address is shown to an organization the provider has no dealings with.
            var owners = await (from m in db.Memberships.AsNoTracking()
                                join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                                where msps.Contains(m.OrganizationId) && m.Role == Roles.Owner
                                orderby u.CreatedAt
                                select new { m.OrganizationId, u.Email }).ToListAsync(cancellationToken);
            contacts = owners.GroupBy(o => o.OrganizationId).ToDictionary(g => g.Key, g => g.First().Email);
        }
        // The customer's own name for the provider, when its portfolio links one to the MSP's account.
        var known = loaded?.Stored.Links.Where(l => msps.Contains(l.Value))
            .Select(l => (l.Value, Name: loaded.Stored.Portfolio.Organizations.FirstOrDefault(o => o.Id == l.Key)?.Name))
            .Where(l => l.Name is not null).GroupBy(l => l.Value).ToDictionary(g => g.Key, g => g.First().Name!) ?? [];
        return [.. visible.Select(a => new CustomerAlert(a,
            known.GetValueOrDefault(a.MspOrganizationId) ?? names.GetValueOrDefault(a.MspOrganizationId) ?? a.Msp,
            contacts.GetValueOrDefault(a.MspOrganizationId)))];
    }
}
