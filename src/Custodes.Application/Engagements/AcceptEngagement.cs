using Custodes.Application.Audit;
using Custodes.Application.Letters;
using Custodes.Attestation;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Engagements;

/// <summary>The lead's acceptance: the team and each part of the independence statement confirmed (for CMMC, the C3PAO rules too).</summary>
public sealed record EngagementAcceptance
{
    /// <summary>The assessors besides the lead (at least one member of the firm).</summary>
    public required IReadOnlyList<Guid> Assessors { get; init; }
    public bool NoOwnershipInterest { get; init; }
    public bool DidNotDesignImplementOrOperate { get; init; }
    public bool FeeNotContingent { get; init; }
    public bool C3paoRules { get; init; }
    public string? C3paoId { get; init; }
}

/// <summary>
/// The firm accepts a request; the person accepting becomes the lead assessor and confirms the independence statement. The app refuses
/// (422) where the installation itself shows a conflict — the firm is the requester, is managed by it or is its provider in a stored
/// portfolio — the same rule a letter's issuer is held to (<see cref="Independence"/>).
/// </summary>
public sealed class AcceptEngagement(Installation installation, AuditTrail audit, TimeProvider clock)
{
    public async Task HandleAsync(Tenant tenant, Guid id, EngagementAcceptance acceptance, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
        EngagementQueries.RequireFirm(row, tenant, "accepts a request");
        if (tenant.UserId is not { } lead) throw new ForbiddenException("a person of the firm accepts, signed in: the lead assessor confirms the independence statement");
        if (row.Stage != EngagementStages.Requested) throw new ConflictException($"the engagement is {EngagementStages.Words(row.Stage).ToLowerInvariant()}; only a request still waiting is accepted");
        var cmmc = row.Framework.StartsWith("cmmc", StringComparison.Ordinal);
        if (!acceptance.NoOwnershipInterest || !acceptance.DidNotDesignImplementOrOperate || !acceptance.FeeNotContingent || (cmmc && !acceptance.C3paoRules))
            throw new BadInputException("confirm every part of the independence statement before accepting" + (cmmc ? ", the C3PAO rules included" : "") +
                "; if one is not true, decline the request with the reason 'conflict of interest'", path: "independence");
        var c3pao = string.IsNullOrWhiteSpace(acceptance.C3paoId) ? null : acceptance.C3paoId.Trim();
        if (c3pao is { Length: > 100 }) throw new BadInputException("the C3PAO id has at most 100 characters", path: "c3pao_id");
        var assessors = acceptance.Assessors.Distinct().Where(a => a != lead).ToList();
        if (assessors.Count == 0) throw new BadInputException("add at least one assessor of the firm besides the lead to the team", path: "assessors");

        var firm = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == row.FirmOrganizationId, cancellationToken);
        var requester = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == row.RequesterOrganizationId, cancellationToken);
        await Independence.RequireIndependentAsync(db, new IndependenceParty(firm.Id, firm.Name), new IndependenceParty(requester.Id, requester.Name), cancellationToken);
        var leadName = await EngagementQueries.MemberNameAsync(db, firm.Id, lead, "lead", cancellationToken);
        var names = new List<string>();
        foreach (var assessor in assessors) names.Add(await EngagementQueries.MemberNameAsync(db, firm.Id, assessor, "assessors", cancellationToken));

        row.Stage = EngagementStages.Accepted;
        row.LeadUserId = lead;
        row.LeadName = leadName;
        row.AssessorUserIds = string.Join('\n', assessors);
        row.Independence = LetterText.DefaultIndependence + (cmmc ? " " + Independence.CmmcStatement : "");
        row.C3paoId = c3pao;
        row.AcceptedAt = row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, EngagementQueries.Event(tenant, "engagement.accepted", row, new { stage = EngagementStages.Requested },
            new { stage = row.Stage, lead = leadName, assessors = names, independence = row.Independence, c3pao_id = c3pao }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }
}
