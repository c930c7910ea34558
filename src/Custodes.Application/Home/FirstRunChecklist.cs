using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Engagements;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Home;

/// <summary>One first-run step, ticked from what is stored (never from a click on the checklist itself).</summary>
public sealed record ChecklistItem(string Id, bool Done);

/// <summary>The first-run checklist of an organization: its kind's steps, each done or not, and whether someone put it away.</summary>
public sealed record Checklist(string Kind, IReadOnlyList<ChecklistItem> Items, bool Dismissed, DateTime? DismissedAt, string? DismissedBy)
{
    public int Done => Items.Count(i => i.Done);

    /// <summary>Shown on the home page until every step is done or someone dismissed it.</summary>
    public bool Show => !Dismissed && Done < Items.Count;
}

/// <summary>
/// The first steps after sign-up, per organization kind (a practice: add its providers, see a provider's trust page, answer its insurer;
/// an MSP: ask for an assessment, publish a trust page, send its RMM logs; a firm: set up its signing key, answer a request). Each step
/// ticks itself from stored facts. Dismissing is an audited change of the organization (<c>home.checklist_dismissed</c>), so it holds for
/// every member and on every device.
/// </summary>
public sealed class FirstRunChecklist(Installation installation, AuditTrail audit)
{
    public const string DismissedAction = "home.checklist_dismissed";

    /// <summary>Step ids per kind, in the order they are shown.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Steps = new Dictionary<string, IReadOnlyList<string>>
    {
        [OrganizationKinds.Customer] = ["add-providers", "provider-trust-page", "answer-insurer"],
        [OrganizationKinds.Msp] = ["request-assessment", "publish-trust-page", "connect-rmm"],
        [OrganizationKinds.Assessor] = ["signing-key", "answer-requests"],
    };

    public async Task<Checklist> LoadAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == tenant.OrganizationId, cancellationToken)
            ?? throw new Common.NotFoundException("your organization no longer exists");
        var id = org.Id;
        IReadOnlyList<ChecklistItem> items = org.Kind switch
        {
            OrganizationKinds.Customer =>
            [
                new("add-providers", await db.Portfolios.AnyAsync(p => p.OwnerOrganizationId == id && db.PortfolioRelationships.Any(r => r.PortfolioId == p.Id), cancellationToken)),
                new("provider-trust-page", await (from p in db.Portfolios
                                                  where p.OwnerOrganizationId == id
                                                  from o in db.PortfolioOrganizations
                                                  where o.PortfolioId == p.Id && o.LinkedOrganizationId != null && o.LinkedOrganizationId != id
                                                      && db.TrustPages.Any(t => t.OrganizationId == o.LinkedOrganizationId)
                                                  select o).AnyAsync(cancellationToken)),
                new("answer-insurer", await db.QuestionnaireResponses.AnyAsync(q => q.OrganizationId == id, cancellationToken)),
            ],
            OrganizationKinds.Msp =>
            [
                new("request-assessment", await db.Engagements.AnyAsync(e => e.RequesterOrganizationId == id, cancellationToken)),
                new("publish-trust-page", await db.TrustPages.AnyAsync(t => t.OrganizationId == id, cancellationToken)),
                new("connect-rmm", await db.WatchBatches.AnyAsync(b => b.MspOrganizationId == id, cancellationToken)),
            ],
            OrganizationKinds.Assessor =>
            [
                new("signing-key", await db.FirmKeys.AnyAsync(k => k.OrganizationId == id, cancellationToken)
                    || await db.SigningKeys.AnyAsync(k => k.OrganizationId == id, cancellationToken)),
                new("answer-requests", await db.Engagements.AnyAsync(e => e.FirmOrganizationId == id && e.Stage != EngagementStages.Requested, cancellationToken)),
            ],
            _ => [],
        };
        var dismissed = await db.Audit.AsNoTracking().Where(a => a.OrganizationId == id && a.Action == DismissedAction)
            .OrderByDescending(a => a.Sequence).Select(a => new { a.At, a.Actor }).FirstOrDefaultAsync(cancellationToken);
        return new Checklist(org.Kind, items, dismissed is not null, dismissed?.At, dismissed?.Actor);
    }

    /// <summary>Puts the checklist away for the whole organization (a member who may change data); a second dismissal changes nothing.</summary>
    public async Task DismissAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        var current = await LoadAsync(tenant, cancellationToken);
        if (current.Dismissed) return;
        await using var db = installation.OpenDb();
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, DismissedAction, "organization", tenant.OrganizationId.ToString(),
            After: new { done = current.Done, of = current.Items.Count }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }
}
