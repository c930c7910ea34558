using Custodes.Application.Database;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Watch.Detection;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Watch;

/// <summary>A requirement an open alert is evidence against: its id, the catalog's text, and why.</summary>
public sealed record DriftRequirement(string Id, string Text, string Why);

/// <summary>One critical alert of an MSP left unresolved for more than a day: what it says against the MSP's attested posture.</summary>
/// <param name="OpenSince">When this installation raised the alert.</param>
/// <param name="DriftSince">When it became posture drift (a day later).</param>
/// <param name="Meaning">What it means, in plain words, for those who rely on the MSP.</param>
public sealed record PostureDriftAlert(
    Guid AlertId, Guid MspOrganizationId, string MspName, string Rule, string Status, IReadOnlyList<DriftRequirement> Requirements,
    DateTime OpenSince, DateTime DriftSince, string Meaning);

/// <summary>
/// Posture drift: an assessment and its letter are a point in time; the watch is continuous. A critical alert about an MSP that nobody has
/// resolved for more than a day (<see cref="After"/>) says the requirements it is evidence against (<see cref="RuleRequirements"/>) may no
/// longer hold as attested. Shown on the letters an assessor issued about that MSP and on the dashboards of the organizations relying on it.
/// Computed from the stored alerts at the one clock's now, so it appears and goes away without any job.
/// </summary>
/// <remarks>An acknowledged alert still drifts: acknowledging says someone looked, not that the posture is back; only resolving ends it.
/// Readers outside the MSP see the rule, the requirements and the dates, never the alert's tenants, actor or events.</remarks>
public sealed class PostureDrifts(Installation installation, PortfolioGraphs portfolios, TimeProvider clock)
{
    /// <summary>How long a critical alert stays unresolved before it is posture drift.</summary>
    public static readonly TimeSpan After = TimeSpan.FromDays(1);

    /// <summary>The drift of the MSPs the tenant relies on: the providers its own portfolio links to Custodes organizations, and the MSPs
    /// whose alerts it accepted (an MSP's own drift shows too, on its own dashboard).</summary>
    public async Task<IReadOnlyList<PostureDriftAlert>> ForDependantAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var msps = new HashSet<Guid> { tenant.OrganizationId };
        if (await portfolios.GetAsync(tenant, cancellationToken) is { } loaded && loaded.Stored.EntryOf(tenant.OrganizationId) is { } entry)
            foreach (var r in loaded.Stored.Portfolio.Relationships)
                if (r.Customer == entry && loaded.Stored.Links.TryGetValue(r.Provider, out var provider)) msps.Add(provider);
        await using (var db = installation.OpenDb())
            msps.UnionWith(await db.WatchConsents.AsNoTracking()
                .Where(c => c.CustomerOrganizationId == tenant.OrganizationId && c.State == ConsentStates.Accepted)
                .Select(c => c.MspOrganizationId).ToListAsync(cancellationToken));
        return [.. (await ForMspsAsync(msps, cancellationToken)).SelectMany(d => d.Value).OrderBy(d => d.OpenSince).ThenBy(d => d.MspName, StringComparer.Ordinal)];
    }

    /// <summary>For each letter in force the tenant's firm issued, the drift of the organization it is about (only letters with drift).</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<PostureDriftAlert>>> ForIssuedLettersAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = installation.OpenDb();
        var letters = await db.Letters.AsNoTracking()
            .Where(l => l.IssuerOrganizationId == tenant.OrganizationId && l.Status == LetterStatuses.Valid && l.SupersededBy == null)
            .Select(l => new { l.Id, l.Subject, l.AssessmentId, l.ValidUntil, l.ExpiredAt }).ToListAsync(cancellationToken);
        letters = [.. letters.Where(l => l.ValidUntil >= now && (l.ExpiredAt is null || l.ExpiredAt > now))];
        if (letters.Count == 0) return new Dictionary<Guid, IReadOnlyList<PostureDriftAlert>>();
        // A letter is about an organization by its name, or through the stored assessment it attests (as for notices).
        var names = letters.Select(l => l.Subject).Distinct().ToArray();
        var byName = (await db.Organizations.AsNoTracking().Where(o => names.Contains(o.Name)).Select(o => new { o.Id, o.Name }).ToListAsync(cancellationToken))
            .ToLookup(o => o.Name, o => o.Id, StringComparer.Ordinal);
        var assessmentIds = letters.Where(l => l.AssessmentId != null).Select(l => l.AssessmentId!.Value).Distinct().ToArray();
        var bySubject = await db.Assessments.AsNoTracking().Where(a => assessmentIds.Contains(a.Id) && a.SubjectOrganizationId != null)
            .Select(a => new { a.Id, Subject = a.SubjectOrganizationId!.Value }).ToDictionaryAsync(a => a.Id, a => a.Subject, cancellationToken);
        var subjects = letters.ToDictionary(l => l.Id, l =>
        {
            var ids = byName[l.Subject].ToHashSet();
            if (l.AssessmentId is { } a && bySubject.TryGetValue(a, out var s)) ids.Add(s);
            return ids;
        });
        var drift = await ForMspsAsync(subjects.Values.SelectMany(s => s).ToHashSet(), cancellationToken);
        var result = new Dictionary<Guid, IReadOnlyList<PostureDriftAlert>>();
        foreach (var (letter, organizations) in subjects)
        {
            var alerts = organizations.Where(drift.ContainsKey).SelectMany(o => drift[o]).OrderBy(d => d.OpenSince).ToArray();
            if (alerts.Length > 0) result[letter] = alerts;
        }
        return result;
    }

    /// <summary>The drift of each of the given MSP organizations (only those with drift).</summary>
    private async Task<Dictionary<Guid, IReadOnlyList<PostureDriftAlert>>> ForMspsAsync(IReadOnlyCollection<Guid> msps, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, IReadOnlyList<PostureDriftAlert>>();
        if (msps.Count == 0) return result;
        var cutoff = clock.GetUtcNow().UtcDateTime - After;
        var ids = msps.ToArray();
        await using var db = installation.OpenDb();
        var rows = await db.WatchAlerts.AsNoTracking()
            .Where(a => ids.Contains(a.MspOrganizationId) && a.Severity == (int)Severity.Critical && a.Status != AlertStatuses.Resolved && a.DetectedAt < cutoff)
            .OrderBy(a => a.DetectedAt).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.MspOrganizationId, a.Rule, a.Status, a.DetectedAt }).ToListAsync(cancellationToken);
        if (rows.Count == 0) return result;
        var orgs = rows.Select(r => r.MspOrganizationId).Distinct().ToArray();
        var names = await db.Organizations.AsNoTracking().Where(o => orgs.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        foreach (var group in rows.GroupBy(r => r.MspOrganizationId))
            result[group.Key] = [.. group.Select(r => new PostureDriftAlert(r.Id, r.MspOrganizationId, names.GetValueOrDefault(r.MspOrganizationId) ?? "your IT provider", r.Rule, r.Status,
                [.. RuleRequirements.Explain(r.Rule).Select(l => new DriftRequirement(l.Id, RuleRequirements.Requirement(l.Id)?.Text ?? "", l.Why))],
                DateTime.SpecifyKind(r.DetectedAt, DateTimeKind.Utc), DateTime.SpecifyKind(r.DetectedAt + After, DateTimeKind.Utc), RuleRequirements.Meaning(r.Rule)))];
        return result;
    }
}
