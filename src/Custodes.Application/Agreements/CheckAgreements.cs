using System.Globalization;
using System.Linq.Expressions;
using Custodes.Agreements;
using Custodes.Application.Database;
using Custodes.Application.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Agreements;

/// <summary>What a re-check did: agreements checked, obligations newly breached, renewal notices raised.</summary>
public sealed record AgreementRecheck(int Agreements, int NewlyBreached, int RenewalNotices);

/// <summary>
/// Re-checks stored agreements against the facts and stores each obligation's status. It is called whenever a fact can have changed:
/// a letter revoked or expired (<see cref="AfterProviderChangeAsync"/> for its organizations), an alert raised or notified, a portfolio
/// imported (<see cref="AfterPortfolioImportAsync"/>), an agreement saved, and by the periodic check (<see cref="RecheckAllAsync"/>,
/// which also raises renewal notices). An obligation that turns breached raises one notice for the customer, which its provider sees too.
/// </summary>
public sealed class CheckAgreements(Installation installation, ProviderLetters letters, TimeProvider clock)
{
    public const string BreachedNotice = "obligation-breached";
    public const string RenewalNotice = "renewal";

    /// <summary>Days before the notice deadline at which a renewal notice is raised.</summary>
    public static readonly IReadOnlyList<int> RenewalMilestones = [90, 60, 30];

    // Agreements per round: bounds memory and query parameters when a revocation touches tens of thousands.
    private const int Batch = 2_000;

    private readonly ObligationFactsReader _facts = new(installation, letters);

    /// <summary>Re-checks the tenant's own agreements and returns them with their statuses.</summary>
    public async Task<IReadOnlyList<StoredAgreement>> CheckAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var owner = tenant.OrganizationId;
        await RecheckAsync(a => a.OrganizationId == owner, renewals: false, cancellationToken);
        return await ListAgreements.LoadAsync(installation, a => a.OrganizationId == owner, cancellationToken);
    }

    /// <summary>Re-checks the agreements whose provider is one of these organizations (a letter, an assessment, an alert or a log of theirs changed).</summary>
    public Task<AgreementRecheck> AfterProviderChangeAsync(IReadOnlyCollection<Guid> providers, CancellationToken cancellationToken = default)
    {
        var ids = providers.Distinct().ToArray();
        return ids.Length == 0 ? Task.FromResult(new AgreementRecheck(0, 0, 0))
            : RecheckAsync(a => a.ProviderOrganizationId != null && ids.Contains(a.ProviderOrganizationId.Value), renewals: false, cancellationToken);
    }

    /// <summary>Re-checks the agreements of a portfolio's owner after it imported a new version (providers may have gained or lost their account link).</summary>
    public Task<AgreementRecheck> AfterPortfolioImportAsync(Guid owner, CancellationToken cancellationToken = default) =>
        RecheckAsync(a => a.OrganizationId == owner, renewals: false, cancellationToken);

    /// <summary>Re-checks one agreement (after it was saved or a status was set by hand).</summary>
    internal Task<AgreementRecheck> AgreementAsync(Guid id, CancellationToken cancellationToken = default) =>
        RecheckAsync(a => a.Id == id, renewals: false, cancellationToken);

    /// <summary>Re-checks every agreement (the date changed) and raises the renewal notices that are due.</summary>
    public Task<AgreementRecheck> RecheckAllAsync(CancellationToken cancellationToken = default) => RecheckAsync(_ => true, renewals: true, cancellationToken);

    private async Task<AgreementRecheck> RecheckAsync(Expression<Func<AgreementRow, bool>> which, bool renewals, CancellationToken cancellationToken)
    {
        var (checkedCount, breached, renewed) = (0, 0, 0);
        List<Guid> all;
        await using (var db = installation.OpenDb())
            all = await db.Agreements.AsNoTracking().Where(which).Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var chunk in all.Chunk(Batch))
        {
            List<AgreementRow> rows;
            await using (var db = installation.OpenDb())
                rows = await db.Agreements.AsNoTracking().Where(a => chunk.Contains(a.Id)).ToListAsync(cancellationToken);
            var (b, r) = await CheckBatchAsync(rows, renewals, cancellationToken);
            (checkedCount, breached, renewed) = (checkedCount + rows.Count, breached + b, renewed + r);
        }
        return new AgreementRecheck(checkedCount, breached, renewed);
    }

    private async Task<(int Breached, int Renewals)> CheckBatchAsync(List<AgreementRow> rows, bool renewals, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        var stored = new Dictionary<Guid, StoredPortfolio?>();
        foreach (var owner in rows.Select(r => r.OrganizationId).Distinct())
            stored[owner] = await PortfolioStore.LoadOwnedAsync(installation, owner, cancellationToken);

        // The provider's account link and name follow the portfolio, so a portfolio import that links the provider makes its facts readable.
        var relinked = new List<AgreementRow>();
        foreach (var row in rows)
        {
            if (stored[row.OrganizationId] is not { } portfolio) continue;
            Guid? link = portfolio.Links.TryGetValue(row.Provider, out var l) ? l : null;
            var name = portfolio.Portfolio.Organizations.FirstOrDefault(o => o.Id == row.Provider)?.Name ?? row.ProviderName;
            if (link != row.ProviderOrganizationId || name != row.ProviderName)
            {
                (row.ProviderOrganizationId, row.ProviderName) = (link, name);
                relinked.Add(row);
            }
        }
        var facts = await _facts.ReadAsync(rows, stored, now, cancellationToken);

        var statuses = new List<ObligationStatusRow>(rows.Count * 4);
        var notices = new List<AgreementNoticeRow>();
        foreach (var row in rows)
        {
            var agreement = AgreementFile.Parse(System.Text.Encoding.UTF8.GetBytes(row.Content), $"stored agreement {row.Id}");
            var f = facts[row.Id];
            foreach (var result in CheckObligations.Run(agreement, f, now))
            {
                statuses.Add(new ObligationStatusRow
                {
                    AgreementId = row.Id, ObligationId = result.Id, Kind = AgreementNames.Kinds.Name(result.Kind), Status = AgreementNames.States.Name(result.State),
                    Reason = result.Reason, Since = result.Since?.UtcDateTime, CheckedAt = nowUtc,
                });
                var wasBreached = f.Previous.TryGetValue(result.Id, out var before) && before.State == ObligationState.Breached;
                if (result.State == ObligationState.Breached && !wasBreached)
                    notices.Add(new AgreementNoticeRow
                    {
                        Id = Guid.CreateVersion7(), AgreementId = row.Id, OrganizationId = row.OrganizationId, ProviderOrganizationId = row.ProviderOrganizationId,
                        Kind = BreachedNotice, Key = $"{result.Id}@{result.Since!.Value.UtcTicks}", ObligationId = result.Id,
                        Summary = $"{row.ProviderName}: {AgreementNames.Describe(agreement.Obligations.First(o => o.Id == result.Id))} — breached: {result.Reason}",
                        Since = result.Since?.UtcDateTime, CreatedAt = nowUtc,
                    });
            }
            if (renewals && RenewalDue(agreement, DateOnly.FromDateTime(nowUtc)) is { } milestone)
                notices.Add(await RenewalAsync(row, agreement, milestone, nowUtc, cancellationToken));
        }

        await using var write = installation.OpenDb();
        write.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await write.Database.BeginTransactionAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToArray();
        await write.ObligationStatuses.Where(s => ids.Contains(s.AgreementId)).ExecuteDeleteAsync(cancellationToken);
        await write.Agreements.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(u => u.SetProperty(a => a.CheckedAt, nowUtc), cancellationToken);
        foreach (var row in relinked)
        {
            var (id, link, name) = (row.Id, row.ProviderOrganizationId, row.ProviderName);
            await write.Agreements.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.ProviderOrganizationId, link).SetProperty(a => a.ProviderName, name), cancellationToken);
        }
        write.ObligationStatuses.AddRange(statuses);
        // A notice already raised (the same breach seen by a concurrent check, a renewal milestone already announced) is not raised twice.
        var keys = notices.Select(n => n.Key).ToArray();
        var existing = (await write.AgreementNotices.AsNoTracking().Where(n => ids.Contains(n.AgreementId) && keys.Contains(n.Key))
            .Select(n => new { n.AgreementId, n.Kind, n.Key }).ToListAsync(cancellationToken)).Select(n => (n.AgreementId, n.Kind, n.Key)).ToHashSet();
        var fresh = notices.Where(n => !existing.Contains((n.AgreementId, n.Kind, n.Key))).ToList();
        write.AgreementNotices.AddRange(fresh);
        write.ChangeTracker.DetectChanges();
        await write.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (fresh.Count(n => n.Kind == BreachedNotice), fresh.Count(n => n.Kind == RenewalNotice));
    }

    /// <summary>The renewal milestone (90, 60 or 30 days before the notice deadline) reached today, if any: the smallest one reached.</summary>
    internal static int? RenewalDue(Agreement agreement, DateOnly today)
    {
        if (agreement.NoticeDeadline is not { } deadline || today > deadline) return null;
        var left = deadline.DayNumber - today.DayNumber;
        int? due = null;
        foreach (var m in RenewalMilestones)
            if (left <= m) due = m;
        return due;
    }

    private async Task<AgreementNoticeRow> RenewalAsync(AgreementRow row, Agreement agreement, int milestone, DateTime now, CancellationToken cancellationToken)
    {
        // Obligations breached during the term: those breached now and those a breach notice was raised for since the agreement was signed.
        var termStart = agreement.SignedOn is { } s ? s.ToDateTime(TimeOnly.MinValue) : DateTime.MinValue;
        List<string> breachedIds;
        await using (var db = installation.OpenReadDb())
            breachedIds = await db.AgreementNotices.AsNoTracking().Where(n => n.AgreementId == row.Id && n.Kind == BreachedNotice && n.CreatedAt >= termStart && n.ObligationId != null)
                .Select(n => n.ObligationId!).Distinct().ToListAsync(cancellationToken);
        var names = agreement.Obligations.Where(o => breachedIds.Contains(o.Id)).Select(o => $"{AgreementNames.Describe(o)} ({o.Id})").ToArray();
        var deadline = agreement.NoticeDeadline!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var renews = agreement.RenewsOn!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var summary = $"{row.ProviderName}: the agreement renews on {renews}; notice must be given by {deadline} ({milestone} days or less left). "
            + (names.Length == 0 ? "No obligation was breached during the term." : $"Breached during the term: {string.Join("; ", names)}.")
            + " Compare providers before deciding to renew or switch.";
        return new AgreementNoticeRow
        {
            Id = Guid.CreateVersion7(), AgreementId = row.Id, OrganizationId = row.OrganizationId, ProviderOrganizationId = row.ProviderOrganizationId,
            Kind = RenewalNotice, Key = $"{renews}/{milestone}", Summary = summary, CreatedAt = now,
        };
    }
}
