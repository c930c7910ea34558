using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Letters;
using Custodes.Application.Trust;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>A supply-chain notice: what a provider's letter change did to a customer's score and CMMC status, and why.</summary>
public sealed record SupplyChainNotice(
    Guid Id,
    string Customer,
    string CustomerName,
    string Provider,
    string ProviderName,
    Guid LetterId,
    string Change,
    DateTime ChangedAt,
    string? Reason,
    int? ScoreBefore,
    int? ScoreAfter,
    string CmmcLevel1Before,
    string CmmcLevel1After,
    string CmmcLevel2Before,
    string CmmcLevel2After,
    IReadOnlyList<string> RequirementsLost,
    DateTime CreatedAt);

/// <summary>What revoking a letter would do to the customers that inherit from it, before anyone confirms it.</summary>
/// <param name="Customers">Each customer organization whose result would change, once (its largest score drop).</param>
public sealed record RevocationImpact(IReadOnlyList<RevocationImpact.Customer> Customers)
{
    /// <summary>How many customers' scores would drop.</summary>
    public int ScoreDrops => Customers.Count(c => c.ScoreDrops);

    /// <summary>One dependent customer: its score before and after (null: no score can be given), and its CMMC Level 2 status.</summary>
    public sealed record Customer(Guid OrganizationId, string Name, string Provider, int? ScoreBefore, int? ScoreAfter, string CmmcLevel2Before, string CmmcLevel2After,
        IReadOnlyList<string> RequirementsLost)
    {
        public bool ScoreDrops => ScoreBefore is { } before && (ScoreAfter is not { } after || after < before);
    }
}

/// <summary>What processing letter changes did.</summary>
public sealed record LetterChangeOutcome(int Letters, int Portfolios, int Notices);

/// <summary>
/// When a letter is revoked or expires, every dependent customer's score and CMMC status is recomputed (<see cref="RecomputeAfterLetterChange"/>)
/// in every portfolio where the letter's organization is a provider, and each customer organization whose result changed gets a notice.
/// Each change of each letter is processed once (<c>letter_changes</c>); the revocation calls it at once, a periodic check and
/// <c>custodes supply-chain recompute</c> catch expiries and anything missed.
/// </summary>
public sealed class LetterChanges(Installation installation, PortfolioStore portfolios, ProviderLetters letters, AuditTrail audit, TimeProvider clock,
    Agreements.CheckAgreements? agreements = null)
{
    public const string Revoked = "revoked";
    public const string Expired = "expired";

    /// <summary>Processes one letter's change now (nothing when it is still valid or was processed).</summary>
    public async Task<LetterChangeOutcome> ProcessAsync(Guid letterId, CancellationToken cancellationToken = default)
    {
        LetterRow? row;
        await using (var db = installation.OpenDb())
            row = await db.Letters.AsNoTracking().FirstOrDefaultAsync(l => l.Id == letterId, cancellationToken);
        if (row is null) throw new NotFoundException($"no letter {letterId}");
        var now = clock.GetUtcNow();
        var change = row.Status == LetterStatuses.Revoked ? Revoked : LetterStore.IsExpiredAt(row, now.UtcDateTime) ? Expired : null;
        if (change is null) return new LetterChangeOutcome(0, 0, 0);
        await using (var db = installation.OpenDb())
            if (await db.LetterChanges.AnyAsync(c => c.LetterId == letterId && c.Change == change, cancellationToken)) return new LetterChangeOutcome(0, 0, 0);

        var subjects = await SubjectsAsync(row, cancellationToken);
        var notices = new List<SupplyChainNoticeRow>();
        var touched = 0;
        foreach (var portfolio in await portfolios.ContainingAsync(subjects, cancellationToken))
        {
            var before = notices.Count;
            await RecomputeAsync(portfolio, row, change, subjects, now, notices, preview: false, cancellationToken);
            if (notices.Count > before) touched++;
        }

        await using (var db = installation.OpenDb())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.LetterChanges.Add(new LetterChangeRow { LetterId = letterId, Change = change, ProcessedAt = now.UtcDateTime, Notices = notices.Count });
            // A revocation's trust-page notices went out with the revocation itself; an expiry is noticed only here, once (the key above).
            if (change == Expired) await TrustNotices.EnqueueAsync(db, row, TrustNotices.Expired, row.ExpiredAt ?? row.ValidUntil, clock, cancellationToken);
            try
            {
                // First: a node processing the same change at the same moment waits for this transaction, then is refused by the key.
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another node processed the same change at the same moment: its notices stand.
                await transaction.RollbackAsync(cancellationToken);
                if (await AlreadyProcessedAsync(letterId, change, cancellationToken)) return new LetterChangeOutcome(0, 0, 0);
                throw;
            }
            // Tens of thousands of notices after a big provider's revocation: written in bulk, each with its audit event, in this one transaction.
            await BulkInsert.InsertAsync(db, notices, NoticeColumns, n => [n.Id, n.OrganizationId, n.PortfolioId, n.Customer, n.CustomerName, n.Provider, n.ProviderName,
                n.LetterId, n.Change, n.ChangedAt, n.Reason, n.ScoreBefore, n.ScoreAfter, n.CmmcLevel1Before, n.CmmcLevel1After, n.CmmcLevel2Before, n.CmmcLevel2After,
                n.Requirements, n.CreatedAt], cancellationToken);
            await audit.AppendAsync(db, notices.Select(n => new AuditEvent(n.OrganizationId, "system", "supply-chain.notice", "supply-chain-notice", n.Id.ToString(),
                Before: new { score = n.ScoreBefore, cmmc_level2 = n.CmmcLevel2Before },
                After: new { score = n.ScoreAfter, cmmc_level2 = n.CmmcLevel2After, provider = n.Provider, letter_id = n.LetterId, change = n.Change, requirements = n.Requirements })).ToArray(),
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // The agreements with the letter's organizations as provider: a valid-attestation, score or CMMC promise may now be breached.
        if (agreements is not null) await agreements.AfterProviderChangeAsync(subjects, cancellationToken);
        return new LetterChangeOutcome(1, touched, notices.Count);
    }

    /// <summary>
    /// What revoking a letter that is in force would do: the same recompute as after the revocation (the same portfolios, providers and
    /// customers), with the letter taken as revoked, and nothing stored. The revocation page shows it before the issuer confirms.
    /// </summary>
    /// <remarks>Only those who may revoke the letter see it (<see cref="LetterStore.ToRevokeAsync"/>): it names the customers that inherit from it.</remarks>
    public async Task<RevocationImpact> PreviewRevocationAsync(Tenant tenant, Guid letterId, CancellationToken cancellationToken = default)
    {
        LetterRow? row;
        await using (var db = installation.OpenDb())
            row = await db.Letters.AsNoTracking().FirstOrDefaultAsync(l => l.Id == letterId, cancellationToken);
        LetterStore.CheckRevoker(tenant, letterId, row?.IssuerOrganizationId);
        if (row!.Status == LetterStatuses.Revoked) return new RevocationImpact([]);
        var now = clock.GetUtcNow();
        var subjects = await SubjectsAsync(row, cancellationToken);
        var notices = new List<SupplyChainNoticeRow>();
        foreach (var portfolio in await portfolios.ContainingAsync(subjects, cancellationToken))
            await RecomputeAsync(portfolio, row, Revoked, subjects, now, notices, preview: true, cancellationToken);
        // A customer reached through several portfolios or providers counts once, with its largest drop.
        return new RevocationImpact(notices.GroupBy(n => n.OrganizationId)
            .Select(g => g.OrderBy(n => n.ScoreAfter ?? int.MinValue).First())
            .OrderBy(n => n.CustomerName, StringComparer.OrdinalIgnoreCase)
            .Select(n => new RevocationImpact.Customer(n.OrganizationId, n.CustomerName, n.ProviderName, n.ScoreBefore, n.ScoreAfter, n.CmmcLevel2Before, n.CmmcLevel2After,
                n.Requirements.Length == 0 ? [] : n.Requirements.Split(',')))
            .ToArray());
    }

    /// <summary>Every revoked or expired letter whose change was not processed yet (the periodic check and <c>supply-chain recompute</c>).</summary>
    public async Task<LetterChangeOutcome> ProcessPendingAsync(CancellationToken cancellationToken = default)
    {
        await ExpireUnmetCloseoutsAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        List<Guid> pending;
        await using (var db = installation.OpenDb())
        {
            pending = await db.Letters.AsNoTracking()
                .Where(l => (l.Status == LetterStatuses.Revoked && !db.LetterChanges.Any(c => c.LetterId == l.Id && c.Change == Revoked))
                         || (l.Status != LetterStatuses.Revoked && (l.ValidUntil < now || l.ExpiredAt <= now) && !db.LetterChanges.Any(c => c.LetterId == l.Id && c.Change == Expired)))
                .OrderBy(l => l.LogIndex).Select(l => l.Id).ToListAsync(cancellationToken);
        }
        var total = new LetterChangeOutcome(0, 0, 0);
        foreach (var id in pending)
        {
            var one = await ProcessAsync(id, cancellationToken);
            total = new LetterChangeOutcome(total.Letters + one.Letters, total.Portfolios + one.Portfolios, total.Notices + one.Notices);
        }
        return total;
    }

    /// <summary>
    /// Ends every conditional CMMC letter whose POA&amp;M closeout date has passed without a letter superseding it (32 CFR 170.21(b): a conditional
    /// status that is not closed out within 180 days expires): marks it expired with the reason, audited. Its customers are then notified as for
    /// any expiry. Returns the letters ended.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ExpireUnmetCloseoutsAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // The closeout is due by the end of its day (UTC): the letter ends the day after.
        var today = DateOnly.FromDateTime(now);
        await using var db = installation.OpenDb();
        var overdue = await db.Letters.Where(l => l.CloseoutDue != null && l.CloseoutDue < today && l.SupersededBy == null && l.Status == LetterStatuses.Valid && l.ExpiredAt == null)
            .ToListAsync(cancellationToken);
        foreach (var row in overdue)
        {
            var ended = row.CloseoutDue!.Value.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            if (ended > row.ValidUntil) continue; // the letter ran out first: an ordinary expiry
            row.Status = LetterStatuses.Expired;
            row.ExpiredAt = ended;
            row.ExpiryReason = $"the conditional CMMC status was not closed out by {row.CloseoutDue:yyyy-MM-dd} (POA&M closeout within 180 days, 32 CFR 170.21(b)); no closeout letter superseded this one";
            audit.Record(db, new AuditEvent(row.IssuerOrganizationId, "system", "letter.expired", "letter", row.Id.ToString(),
                Before: new { status = LetterStatuses.Valid }, After: new { status = LetterStatuses.Expired, expired_at = ended, reason = row.ExpiryReason, closeout_due = row.CloseoutDue }));
        }
        if (overdue.Count > 0) await AuditTrail.SaveAsync(db, cancellationToken);
        return overdue.Where(r => r.Status == LetterStatuses.Expired).Select(r => r.Id).ToArray();
    }

    private static readonly string[] NoticeColumns =
    [
        nameof(SupplyChainNoticeRow.Id), nameof(SupplyChainNoticeRow.OrganizationId), nameof(SupplyChainNoticeRow.PortfolioId), nameof(SupplyChainNoticeRow.Customer),
        nameof(SupplyChainNoticeRow.CustomerName), nameof(SupplyChainNoticeRow.Provider), nameof(SupplyChainNoticeRow.ProviderName), nameof(SupplyChainNoticeRow.LetterId),
        nameof(SupplyChainNoticeRow.Change), nameof(SupplyChainNoticeRow.ChangedAt), nameof(SupplyChainNoticeRow.Reason), nameof(SupplyChainNoticeRow.ScoreBefore),
        nameof(SupplyChainNoticeRow.ScoreAfter), nameof(SupplyChainNoticeRow.CmmcLevel1Before), nameof(SupplyChainNoticeRow.CmmcLevel1After),
        nameof(SupplyChainNoticeRow.CmmcLevel2Before), nameof(SupplyChainNoticeRow.CmmcLevel2After), nameof(SupplyChainNoticeRow.Requirements), nameof(SupplyChainNoticeRow.CreatedAt),
    ];

    /// <summary>The tenant's notices, newest first.</summary>
    public async Task<IReadOnlyList<SupplyChainNotice>> ListAsync(Tenant tenant, int take = 100, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var rows = await db.SupplyChainNotices.AsNoTracking().Where(n => n.OrganizationId == tenant.OrganizationId)
            .OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Customer).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
        return rows.Select(n => new SupplyChainNotice(n.Id, n.Customer, n.CustomerName, n.Provider, n.ProviderName, n.LetterId, n.Change, n.ChangedAt, n.Reason,
            n.ScoreBefore, n.ScoreAfter, n.CmmcLevel1Before, n.CmmcLevel1After, n.CmmcLevel2Before, n.CmmcLevel2After,
            n.Requirements.Length == 0 ? [] : n.Requirements.Split(','), n.CreatedAt)).ToArray();
    }

    /// <summary>Recomputes the customers of each provider entry that is one of the letter's subjects and holds this letter as its current one.</summary>
    /// <param name="preview">The letter is still in force: compute as if it were revoked (<see cref="PreviewRevocationAsync"/>).</param>
    /// <remarks>
    /// Reads everything first, in a fixed number of queries whatever the number of customers: the providers' letters together, and the
    /// customers' latest assessments a thousand at a time as compact assessments (what <see cref="RecomputeAfterLetterChange"/> reads).
    /// </remarks>
    private async Task RecomputeAsync(StoredPortfolio portfolio, LetterRow row, string change, IReadOnlyCollection<Guid> subjects, DateTimeOffset now,
        List<SupplyChainNoticeRow> notices, bool preview, CancellationToken cancellationToken)
    {
        var current = await letters.ForAsync(portfolio, now, cancellationToken);
        // Only the provider's current letter counts: a change to a letter it has since replaced changes nothing.
        var providers = portfolio.Links.Where(l => subjects.Contains(l.Value) && portfolio.Matrices.ContainsKey(l.Key)
            && current.TryGetValue(l.Key, out var held) && held.Letter.Id == row.Id).Select(l => l.Key).ToArray();
        if (providers.Length == 0) return;
        var graph = PortfolioGraph.Build(portfolio.Portfolio);
        var asOf = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var provider in providers)
        {
            var after = preview ? current[provider].State with { Revoked = true } : current[provider].State;
            var holding = after with { Revoked = false, Expired = false, ValidUntil = null };
            var states = current.ToDictionary(l => l.Key, l => l.Key == provider ? holding : l.Value.State, StringComparer.Ordinal);

            var customers = new Dictionary<string, Guid>(StringComparer.Ordinal);
            foreach (var r in graph.RelationshipsOfProvider(graph.IndexOf(provider)))
            {
                var customer = graph.Portfolio.Relationships[r].Customer;
                if (portfolio.Links.TryGetValue(customer, out var organization)) customers.TryAdd(customer, organization);
            }
            Dictionary<Guid, CompactAssessment> latest;
            await using (var db = installation.OpenDb())
                latest = await CompactAssessments.LatestOwnAsync(db, customers.Values, cancellationToken);
            var assessments = new Dictionary<string, CompactAssessment>(StringComparer.Ordinal);
            foreach (var (customer, organization) in customers)
                if (latest.TryGetValue(organization, out var own)) assessments[customer] = own;
            if (assessments.Count == 0) continue;

            var snapshot = new InheritanceSnapshot(graph, assessments, portfolio.Matrices, states);
            var providerName = graph.Organization(provider)?.Name ?? provider;
            foreach (var c in RecomputeAfterLetterChange.Run(snapshot, after, asOf))
            {
                var lost = c.Requirements.Where(id => assessments[c.Customer].StatusOf(id) != Status.NotApplicable).ToArray();
                notices.Add(new SupplyChainNoticeRow
                {
                    Id = Guid.CreateVersion7(),
                    OrganizationId = portfolio.Links[c.Customer],
                    PortfolioId = portfolio.Id,
                    Customer = c.Customer,
                    CustomerName = graph.Organization(c.Customer)?.Name ?? c.Customer,
                    Provider = provider,
                    ProviderName = providerName,
                    LetterId = row.Id,
                    Change = change,
                    ChangedAt = change == Revoked ? row.RevokedAt ?? now.UtcDateTime : row.ExpiredAt ?? row.ValidUntil,
                    Reason = change == Revoked ? row.RevocationReason : row.ExpiryReason,
                    ScoreBefore = c.ScoreBefore,
                    ScoreAfter = c.ScoreAfter,
                    CmmcLevel1Before = c.CmmcLevel1Before,
                    CmmcLevel1After = c.CmmcLevel1After,
                    CmmcLevel2Before = c.CmmcLevel2Before,
                    CmmcLevel2After = c.CmmcLevel2After,
                    Requirements = string.Join(',', lost),
                    CreatedAt = now.UtcDateTime,
                });
            }
        }
    }

    /// <summary>The Custodes organizations a letter is about: by name, and through the assessment it attests.</summary>
    private async Task<IReadOnlyCollection<Guid>> SubjectsAsync(LetterRow row, CancellationToken cancellationToken)
    {
        await using var db = installation.OpenDb();
        var ids = await db.Organizations.AsNoTracking().Where(o => o.Name == row.Subject).Select(o => o.Id).ToListAsync(cancellationToken);
        if (row.AssessmentId is { } a && await db.Assessments.AsNoTracking().Where(x => x.Id == a).Select(x => x.SubjectOrganizationId).FirstOrDefaultAsync(cancellationToken) is { } subject)
            ids.Add(subject);
        return ids.Distinct().ToArray();
    }

    private async Task<bool> AlreadyProcessedAsync(Guid letterId, string change, CancellationToken cancellationToken)
    {
        await using var db = installation.OpenDb();
        return await db.LetterChanges.AnyAsync(c => c.LetterId == letterId && c.Change == change, cancellationToken);
    }
}
