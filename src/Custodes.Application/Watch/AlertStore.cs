using System.Text.Json.Serialization;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Custodes.Watch.Detection;
using Custodes.Watch.Events;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Watch;

/// <summary>Alert statuses: open until someone acknowledges or resolves it.</summary>
public static class AlertStatuses
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";

    public static readonly IReadOnlyList<string> All = [Open, Acknowledged, Resolved];
}

/// <summary>A stored alert as a reader sees it (a customer sees only its own tenants).</summary>
public sealed record AlertView
{
    public required Guid Id { get; init; }
    public required string Rule { get; init; }
    public required string Severity { get; init; }
    public required string Msp { get; init; }
    public required Guid MspOrganizationId { get; init; }
    public string? Actor { get; init; }
    public string? Subject { get; init; }
    public required IReadOnlyList<string> Tenants { get; init; }
    [JsonConverter(typeof(UtcTimeJsonConverter))] public required DateTimeOffset FirstSeen { get; init; }
    [JsonConverter(typeof(UtcTimeJsonConverter))] public required DateTimeOffset LastSeen { get; init; }
    public required long EventCount { get; init; }
    public required string Summary { get; init; }
    /// <summary>The NIST SP 800-171 r2 requirements the alert is evidence against (<see cref="RuleRequirements"/>).</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];
    public required string Status { get; init; }
    public string? StatusNote { get; init; }
    public string? StatusBy { get; init; }
    public DateTime? StatusAt { get; init; }
    /// <summary>True while the detector may still add events (the burst has not ended).</summary>
    public required bool Growing { get; init; }
    public required DateTime DetectedAt { get; init; }
    public required int Version { get; init; }

    [JsonIgnore] public string ETag => $"\"{Id:N}-{Version}\"";
}

/// <summary>A stored event behind an alert: its number in the MSP's log and the event.</summary>
public sealed record AlertEvent(long Seq, WatchEvent Event);

/// <summary>An alert with the stored events behind it.</summary>
public sealed record AlertDetail(AlertView Alert, IReadOnlyList<AlertEvent> Events)
{
    /// <summary>Whether the reader may acknowledge or resolve it (a member of its MSP whose role edits): pages show the buttons from this.</summary>
    public bool CanChange { get; init; }
}

/// <summary>Filters of the alert list.</summary>
public sealed record AlertFilter(string? Status = null, string? Severity = null, string? Rule = null, DateTimeOffset? From = null, DateTimeOffset? To = null, Guid? Customer = null);

/// <summary>Stored alerts: written by the detection pipeline, read by the MSP (all of its alerts) and by its customers
/// (alerts concerning their mapped tenants, with only those tenants and their events), acknowledged and resolved by the MSP.</summary>
public sealed class AlertStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Stores a new alert or updates one still growing; returns its view.</summary>
    public async Task<(AlertView Saved, IReadOnlyList<string>? TenantsBefore)> SaveAsync(Guid msp, Guid? existing, Alert alert, IReadOnlyList<long> eventSeqs, bool growing,
        CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = installation.OpenDb();
        WatchAlertRow? row = existing is { } id ? await db.WatchAlerts.FirstOrDefaultAsync(a => a.Id == id && a.MspOrganizationId == msp, cancellationToken) : null;
        IReadOnlyList<string>? tenantsBefore = row is null ? null : row.Tenants.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (row is null)
        {
            row = new WatchAlertRow
            {
                Id = Guid.CreateVersion7(), MspOrganizationId = msp, Rule = alert.Rule, Msp = alert.Msp, Tenants = "", Summary = "", Status = AlertStatuses.Open,
                DetectedAt = now, Version = 1,
            };
            db.WatchAlerts.Add(row);
        }
        else
        {
            row.Version++;
            await db.WatchAlertTenants.Where(t => t.AlertId == row.Id).ExecuteDeleteAsync(cancellationToken);
            await db.WatchAlertEvents.Where(t => t.AlertId == row.Id).ExecuteDeleteAsync(cancellationToken);
        }
        row.Severity = (int)alert.Severity;
        row.Actor = alert.Actor;
        row.Subject = alert.Subject;
        row.Tenants = string.Join('\n', alert.Tenants);
        row.FirstSeen = alert.FirstSeen.UtcDateTime;
        row.LastSeen = alert.LastSeen.UtcDateTime;
        row.EventCount = alert.EventCount;
        row.Summary = alert.Summary;
        row.Growing = growing;
        row.UpdatedAt = now;
        foreach (var t in alert.Tenants) db.WatchAlertTenants.Add(new WatchAlertTenantRow { AlertId = row.Id, Tenant = t });
        foreach (var seq in eventSeqs.Distinct()) db.WatchAlertEvents.Add(new WatchAlertEventRow { AlertId = row.Id, Seq = seq });
        await db.SaveChangesAsync(cancellationToken);
        return (View(row, null), tenantsBefore);
    }

    /// <summary>The alerts the caller may see, newest first.</summary>
    public async Task<IReadOnlyList<AlertView>> ListAsync(Tenant tenant, AlertFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var query = Visible(db, tenant.OrganizationId);
        if (filter.Customer is { } customer)
            query = query.Where(a => db.WatchAlertTenants.Any(t => t.AlertId == a.Id &&
                WatchConsentStore.Effective(db).Any(m => m.MspOrganizationId == a.MspOrganizationId && m.Tenant == t.Tenant && m.CustomerOrganizationId == customer)));
        if (filter.Status is { } status)
        {
            if (!AlertStatuses.All.Contains(status)) throw new BadInputException($"unknown status '{status}'; expected one of {string.Join(", ", AlertStatuses.All)}", path: "status");
            query = query.Where(a => a.Status == status);
        }
        if (filter.Severity is { } severity) query = query.Where(a => a.Severity >= (int)ParseSeverity(severity));
        if (filter.Rule is { } rule) query = query.Where(a => a.Rule == rule);
        if (filter.From is { } from) query = query.Where(a => a.LastSeen >= from.UtcDateTime);
        if (filter.To is { } to) query = query.Where(a => a.FirstSeen < to.UtcDateTime);
        var rows = await query.OrderByDescending(a => a.FirstSeen).ThenByDescending(a => a.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        var own = await OwnTenantsAsync(db, tenant.OrganizationId, rows.Select(r => r.MspOrganizationId).Distinct().ToArray(), cancellationToken);
        return [.. rows.Select(r => View(r, own))];
    }

    /// <summary>One alert and its stored events; another organization's alert (or one not concerning a customer's tenants) is not found.</summary>
    public async Task<AlertDetail> GetAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await Visible(db, tenant.OrganizationId).FirstOrDefaultAsync(a => a.Id == id, cancellationToken)
            ?? throw new NotFoundException($"no alert {id} for your organization");
        var own = await OwnTenantsAsync(db, tenant.OrganizationId, [row.MspOrganizationId], cancellationToken);
        var events = await (from l in db.WatchAlertEvents.AsNoTracking()
                            join e in db.WatchEvents.AsNoTracking() on new { Msp = row.MspOrganizationId, l.Seq } equals new { Msp = e.MspOrganizationId, e.Seq }
                            where l.AlertId == id
                            orderby e.Seq
                            select e).ToListAsync(cancellationToken);
        if (own is not null) events = [.. events.Where(e => e.Tenant is not null && own.Contains((e.MspOrganizationId, e.Tenant)))];
        return new AlertDetail(View(row, own), [.. events.Select(e => new AlertEvent(e.Seq, StoredEvents.ToEvent(e)))])
        {
            CanChange = row.MspOrganizationId == tenant.OrganizationId && Roles.CanEdit(tenant.Role),
        };
    }

    /// <summary>Acknowledges or resolves an alert of the caller's MSP, with a note; recorded in the audit trail.</summary>
    public async Task<AlertView> SetStatusAsync(Tenant tenant, Guid id, string status, string? note, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        if (status is not (AlertStatuses.Acknowledged or AlertStatuses.Resolved))
            throw new BadInputException($"an alert can be set to {AlertStatuses.Acknowledged} or {AlertStatuses.Resolved}, not '{status}'");
        await using var db = installation.OpenDb();
        var row = await Visible(db, tenant.OrganizationId).AsTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken)
            ?? throw new NotFoundException($"no alert {id} for your organization");
        if (row.MspOrganizationId != tenant.OrganizationId) throw new ForbiddenException("only the MSP the alert belongs to can acknowledge or resolve it");
        tenant.RequireEdit();
        if (expectedVersion is { } v && v != row.Version)
            throw new PreconditionFailedException($"the alert changed since you read it (version {row.Version}, not {v}); read it again");
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > 4000 }) throw new BadInputException("a note is at most 4000 characters", path: "$.note");
        var before = new { row.Status, note = row.StatusNote };
        row.Status = status;
        row.StatusNote = note;
        row.StatusBy = tenant.Actor;
        row.StatusAt = clock.GetUtcNow().UtcDateTime;
        row.Version++;
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, $"watch.alert_{status}", "watch_alert", id.ToString(), before, new { status, note }));
        try
        {
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new PreconditionFailedException("the alert changed meanwhile; read it again");
        }
        return View(row, null);
    }

    public static Severity ParseSeverity(string text) =>
        Enum.TryParse<Severity>(text, ignoreCase: true, out var s) && Enum.IsDefined(s) && !char.IsDigit(text[0])
            ? s
            : throw new BadInputException($"unknown severity '{text}'; expected low, medium, high or critical", path: "severity");

    // An MSP sees its own alerts; a customer those concerning a tenant mapped to it.
    private static IQueryable<WatchAlertRow> Visible(CustodesDb db, Guid org) =>
        db.WatchAlerts.AsNoTracking().Where(a => a.MspOrganizationId == org || db.WatchAlertTenants.Any(t => t.AlertId == a.Id &&
            WatchConsentStore.Effective(db).Any(m => m.MspOrganizationId == a.MspOrganizationId && m.Tenant == t.Tenant && m.CustomerOrganizationId == org)));

    // Null for the MSP itself (it sees every tenant); for a customer, the (MSP, tenant) pairs mapped to it.
    private static async Task<HashSet<(Guid, string)>?> OwnTenantsAsync(CustodesDb db, Guid org, Guid[] msps, CancellationToken cancellationToken)
    {
        if (msps.Length == 0 || msps.All(m => m == org)) return null;
        var pairs = await WatchConsentStore.Effective(db).Where(m => m.CustomerOrganizationId == org && msps.Contains(m.MspOrganizationId))
            .Select(m => new { m.MspOrganizationId, m.Tenant }).ToListAsync(cancellationToken);
        return [.. pairs.Select(p => (p.MspOrganizationId, p.Tenant))];
    }

    private static AlertView View(WatchAlertRow r, HashSet<(Guid, string)>? own)
    {
        var tenants = r.Tenants.Length == 0 ? [] : r.Tenants.Split('\n');
        if (own is not null && r.MspOrganizationId != Guid.Empty) tenants = [.. tenants.Where(t => own.Contains((r.MspOrganizationId, t)))];
        return new AlertView
        {
            Id = r.Id, Rule = r.Rule, Severity = ((Severity)r.Severity).ToString().ToLowerInvariant(), Msp = r.Msp, MspOrganizationId = r.MspOrganizationId,
            Actor = r.Actor, Subject = r.Subject, Tenants = tenants, FirstSeen = new DateTimeOffset(r.FirstSeen, TimeSpan.Zero),
            LastSeen = new DateTimeOffset(r.LastSeen, TimeSpan.Zero), EventCount = r.EventCount, Summary = r.Summary, Requirements = RuleRequirements.For(r.Rule), Status = r.Status,
            StatusNote = r.StatusNote, StatusBy = r.StatusBy, StatusAt = r.StatusAt, Growing = r.Growing, DetectedAt = r.DetectedAt, Version = r.Version,
        };
    }
}
