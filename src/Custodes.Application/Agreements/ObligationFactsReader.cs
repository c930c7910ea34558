using Custodes.Agreements;
using Custodes.Application.Assessments;
using Custodes.Application.Database;
using Custodes.Application.SupplyChain;
using Custodes.Application.Watch;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Agreements;

/// <summary>
/// Reads what the obligation checker needs for many agreements at once: the providers' letters, assessments, watch logs, alerts and shares,
/// each in a fixed number of queries whatever the number of agreements, so re-checking after one revocation stays fast for thousands.
/// </summary>
internal sealed class ObligationFactsReader(Installation installation, ProviderLetters letters)
{
    public async Task<Dictionary<Guid, ObligationFacts>> ReadAsync(IReadOnlyList<AgreementRow> agreements, IReadOnlyDictionary<Guid, StoredPortfolio?> portfolios,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var providers = agreements.Where(a => a.ProviderOrganizationId is not null).Select(a => a.ProviderOrganizationId!.Value).Distinct().ToArray();
        var current = await letters.CurrentAsync([.. providers.Select(p => (p.ToString(), p))], now, cancellationToken);

        await using var db = installation.OpenReadDb();
        var assessments = await CompactAssessments.LatestOwnAsync(db, providers, cancellationToken);
        var watched = (await db.WatchMsps.AsNoTracking().Where(m => providers.Contains(m.OrganizationId)).Select(m => m.OrganizationId).ToListAsync(cancellationToken)).ToHashSet();
        var lastBatch = await db.WatchBatches.AsNoTracking().Where(b => providers.Contains(b.MspOrganizationId))
            .GroupBy(b => b.MspOrganizationId).Select(g => new { Msp = g.Key, Last = g.Max(b => b.CreatedAt) }).ToDictionaryAsync(g => g.Msp, g => g.Last, cancellationToken);
        var mfaAlerts = (await db.WatchAlerts.AsNoTracking()
            .Where(a => providers.Contains(a.MspOrganizationId) && a.Rule == CheckObligations.MfaDisabledRule && a.Status == AlertStatuses.Open)
            .Select(a => new { a.Id, a.MspOrganizationId, a.Rule, a.DetectedAt }).ToListAsync(cancellationToken))
            .ToLookup(a => a.MspOrganizationId, a => new AlertFact(a.Id.ToString(), a.Rule, Utc(a.DetectedAt)));

        var customers = agreements.Select(a => a.OrganizationId).Distinct().ToArray();
        var critical = (await (from a in db.WatchAlerts.AsNoTracking()
                               where providers.Contains(a.MspOrganizationId) && a.Severity == (int)global::Custodes.Watch.Detection.Severity.Critical
                               from m in WatchConsentStore.Effective(db)
                               where m.MspOrganizationId == a.MspOrganizationId && customers.Contains(m.CustomerOrganizationId)
                                   && db.WatchAlertTenants.Any(t => t.AlertId == a.Id && t.Tenant == m.Tenant)
                               select new
                               {
                                   a.Id, a.MspOrganizationId, m.CustomerOrganizationId, a.Rule, a.DetectedAt,
                                   Notice = db.WatchAlertNotices.Where(n => n.AlertId == a.Id && n.CustomerOrganizationId == m.CustomerOrganizationId).Min(n => (DateTime?)n.SentAt),
                               }).ToListAsync(cancellationToken))
            .DistinctBy(a => (a.Id, a.CustomerOrganizationId))
            .ToLookup(a => (a.MspOrganizationId, a.CustomerOrganizationId), a => new AlertFact(a.Id.ToString(), a.Rule, Utc(a.DetectedAt), a.Notice is { } n ? Utc(n) : null));
        var shares = (await (from s in db.Shares.AsNoTracking()
                             join a in db.Assessments.AsNoTracking() on s.AssessmentId equals a.Id
                             where providers.Contains(a.OrganizationId) && customers.Contains(s.OrganizationId)
                             select new { Provider = a.OrganizationId, Customer = s.OrganizationId, s.CreatedAt }).ToListAsync(cancellationToken))
            .GroupBy(s => (s.Provider, s.Customer)).ToDictionary(g => g.Key, g => g.Max(s => s.CreatedAt));

        var ids = agreements.Select(a => a.Id).ToArray();
        var manual = (await db.ObligationManualStatuses.AsNoTracking().Where(m => ids.Contains(m.AgreementId)).ToListAsync(cancellationToken)).ToLookup(m => m.AgreementId);
        var previous = (await db.ObligationStatuses.AsNoTracking().Where(s => ids.Contains(s.AgreementId)).ToListAsync(cancellationToken)).ToLookup(s => s.AgreementId);

        var facts = new Dictionary<Guid, ObligationFacts>();
        foreach (var a in agreements)
        {
            var portfolio = portfolios.GetValueOrDefault(a.OrganizationId);
            var p = a.ProviderOrganizationId;
            facts[a.Id] = new ObligationFacts
            {
                ProviderName = a.ProviderName,
                ProviderHasAccount = p is not null,
                Letter = p is { } o && current.TryGetValue(o.ToString(), out var letter) ? Letter(letter) : null,
                AssessmentMfaMet = p is { } q && assessments.TryGetValue(q, out var own) ? MfaMet(own) : null,
                Watched = p is { } w && watched.Contains(w),
                LastEventAt = p is { } l && lastBatch.TryGetValue(l, out var last) ? Utc(last) : null,
                OpenMfaAlerts = p is { } m ? [.. mfaAlerts[m]] : [],
                CriticalAlerts = p is { } c ? [.. critical[(c, a.OrganizationId)]] : [],
                Backup = portfolio is null ? null : BackupOf(portfolio, a),
                SharedAssessmentAt = p is { } s && shares.TryGetValue((s, a.OrganizationId), out var shared) ? Utc(shared) : null,
                Manual = manual[a.Id].ToDictionary(m => m.ObligationId, m => new ManualStatus(StoredAgreement.State(m.Status), m.Evidence, m.SetBy, Utc(m.SetAt)), StringComparer.Ordinal),
                Previous = previous[a.Id].ToDictionary(s => s.ObligationId,
                    s => new ObligationResult(s.ObligationId, StoredAgreement.Kind(s.Kind), StoredAgreement.State(s.Status), s.Reason, s.Since is { } since ? Utc(since) : null), StringComparer.Ordinal),
            };
        }
        return facts;
    }

    /// <summary>
    /// The backup facts behind the agreement: the customer's backup that this provider runs — described on the relationship with it, or on
    /// another of the customer's relationships whose <c>backup.provider</c> names it (contracts §13). Several: the best one (immutable and
    /// offsite, then the newest restore test). None: the backup obligations are unknown, and say that the portfolio describes no backup.
    /// </summary>
    internal static BackupFacts? BackupOf(StoredPortfolio portfolio, AgreementRow agreement) =>
        portfolio.Portfolio.Relationships
            .Where(r => r.Customer == agreement.Customer && r.Backup is not null && (r.Backup.Provider ?? r.Provider) == agreement.Provider)
            .Select(r => r.Backup!)
            .OrderByDescending(b => b.Immutable && b.Offsite).ThenByDescending(b => b.LastRestoreTest ?? DateOnly.MinValue)
            .Select(b => new BackupFacts(b.Immutable, b.Offsite, b.LastRestoreTest))
            .FirstOrDefault();

    private static LetterFacts Letter(ProviderLetter letter)
    {
        var (state, summary) = (letter.State, letter.Letter);
        return new LetterFacts
        {
            LetterId = summary.Id.ToString(),
            Framework = state.Framework,
            SignatureValid = state.SignatureValid,
            IssuedAt = Utc(summary.IssuedAt),
            Revoked = state.Revoked,
            RevokedAt = summary.RevokedAt is { } r ? Utc(r) : null,
            RevocationReason = summary.RevocationReason,
            Expired = state.Expired,
            ValidUntil = state.ValidUntil,
            Score = state.Score,
            CmmcLevel2 = state.CmmcLevel2,
            MfaMet = state.SignatureValid && state.Framework == Frameworks.NistR2 ? state.MetRequirements.Contains(CheckObligations.MfaRequirement) : null,
        };
    }

    private static bool? MfaMet(CompactAssessment assessment)
    {
        if (assessment.Catalog.Framework != Frameworks.NistR2) return null;
        return assessment.StatusOf(CheckObligations.MfaRequirement) switch
        {
            Status.Met => true,
            Status.NotMet => false,
            _ => null,
        };
    }

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
