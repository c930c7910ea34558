using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Letters;
using Custodes.Application.Organizations;
using Custodes.Catalogs;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Engagements;

/// <summary>An organization's request for an assessment: which firm, which framework, what is in scope, and by when.</summary>
public sealed record EngagementRequest
{
    /// <summary>The assessor firm: its organization id, or its exact name.</summary>
    public required string Firm { get; init; }
    public required string Framework { get; init; }
    public required string Scope { get; init; }
    public required DateOnly? TargetDate { get; init; }
}

/// <summary>An organization (an MSP, usually) asks a named assessor firm for an assessment; the firm sees the request and accepts or declines it.</summary>
public sealed class RequestEngagement(Installation installation, AuditTrail audit, TimeProvider clock)
{
    public async Task<Guid> HandleAsync(Tenant tenant, EngagementRequest request, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        var framework = (request.Framework ?? "").Trim();
        if (!Frameworks.All.Contains(framework)) throw new BadInputException($"choose the framework to be assessed: one of {string.Join(", ", Frameworks.All)}", path: "framework");
        var scope = (request.Scope ?? "").Trim();
        if (scope.Length == 0) throw new BadInputException("describe the scope: which systems, sites and people the assessment covers", path: "scope");
        if (scope.Length > 2000) throw new BadInputException("the scope has at most 2000 characters", path: "scope");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (request.TargetDate is not { } target) throw new BadInputException("give the date by which you need the assessment", path: "target_date");
        if (target <= today) throw new BadInputException($"the target date must be after today ({today:yyyy-MM-dd})", path: "target_date");

        await using var db = installation.OpenDb();
        var firm = await FirmAsync(db, request.Firm, cancellationToken);
        Independence.RequireAssessor(firm, "firm");
        if (firm.Id == tenant.OrganizationId) throw new ConflictOfInterestException("an organization cannot ask itself for an independent assessment; choose another assessor firm");
        var row = new EngagementRow
        {
            Id = Guid.CreateVersion7(), RequesterOrganizationId = tenant.OrganizationId, FirmOrganizationId = firm.Id, Framework = framework, Scope = scope,
            TargetDate = target, Stage = EngagementStages.Requested, RequestedAt = clock.GetUtcNow().UtcDateTime, RequestedBy = tenant.Actor,
            UpdatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Engagements.Add(row);
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.requested", row, null, new { firm = firm.Name, framework, scope, target_date = target }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return row.Id;
    }

    private static async Task<OrganizationRow> FirmAsync(CustodesDb db, string? typed, CancellationToken cancellationToken)
    {
        var text = (typed ?? "").Trim();
        if (text.Length == 0) throw new BadInputException("name the assessor firm you ask", path: "firm");
        if (Guid.TryParse(text, out var id))
            return await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken)
                ?? throw new BadInputException($"no organization with id {id}; ask the firm for the id shown on its Members page", path: "firm");
        var matches = await OrganizationStore.MatchNameAsync(db, text, cancellationToken);
        if (matches.Count > 1 && matches.Count(m => m.Kind == OrganizationKinds.Assessor) == 1) matches = [.. matches.Where(m => m.Kind == OrganizationKinds.Assessor)];
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new BadInputException($"no organization is named exactly '{text}' here; check the spelling, or ask the firm for its organization id", path: "firm"),
            _ => throw new BadInputException($"several organizations are named '{text}'; paste the id of the firm (shown on its Members page)", path: "firm"),
        };
    }
}
