using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Engagements;

/// <summary>Where an engagement is. Requested → accepted → preparation → fieldwork → qa → issued; or declined, or withdrawn by the requester.</summary>
public static class EngagementStages
{
    public const string Requested = "requested";
    public const string Accepted = "accepted";
    public const string Preparation = "preparation";
    public const string Fieldwork = "fieldwork";
    public const string Qa = "qa";
    public const string Issued = "issued";
    public const string Declined = "declined";
    public const string Withdrawn = "withdrawn";

    /// <summary>The stage that follows each working stage when the lead moves the engagement on.</summary>
    public static string? Next(string stage) => stage switch
    {
        Accepted => Preparation,
        Preparation => Fieldwork,
        Fieldwork => Qa,
        _ => null,
    };

    /// <summary>How a stage reads to a person.</summary>
    public static string Words(string stage) => stage switch
    {
        Requested => "Requested, waiting for the firm",
        Accepted => "Accepted",
        Preparation => "Preparation: the organization shares evidence",
        Fieldwork => "Fieldwork: the assessors assess",
        Qa => "Quality review",
        Issued => "Letter issued",
        Declined => "Declined by the firm",
        Withdrawn => "Withdrawn",
        _ => stage,
    };
}

/// <summary>Why a firm declines a request; "conflict of interest" is the one independence asks a firm to name.</summary>
public static class DeclineReasons
{
    public const string ConflictOfInterest = "conflict_of_interest";
    public const string NoCapacity = "no_capacity";
    public const string OutOfScope = "out_of_scope";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [ConflictOfInterest, NoCapacity, OutOfScope, Other];

    public static string Words(string reason) => reason switch
    {
        ConflictOfInterest => "Conflict of interest",
        NoCapacity => "No capacity by the target date",
        OutOfScope => "Outside the firm's practice",
        _ => "Other",
    };
}

/// <summary>An engagement as either side sees it.</summary>
public sealed record Engagement
{
    public required Guid Id { get; init; }
    public required Guid RequesterOrganizationId { get; init; }
    public required string Requester { get; init; }
    public required Guid FirmOrganizationId { get; init; }
    public required string Firm { get; init; }
    public required string Framework { get; init; }
    public required string Scope { get; init; }
    public required DateOnly TargetDate { get; init; }
    public required string Stage { get; init; }
    public required DateTime RequestedAt { get; init; }
    public string? DeclineReason { get; init; }
    public string? DeclineNote { get; init; }
    public Guid? LeadUserId { get; init; }
    public string? LeadName { get; init; }
    public IReadOnlyList<Guid> AssessorUserIds { get; init; } = [];
    public string? Independence { get; init; }
    public string? C3paoId { get; init; }
    public Guid? AssessmentId { get; init; }
    public string? QaReviewerName { get; init; }
    public DateTime? QaSignedOffAt { get; init; }
    public Guid? LetterId { get; init; }
    /// <summary>True when the tenant reading it is the firm (it works the engagement); false for the requester.</summary>
    public required bool AsFirm { get; init; }
}

/// <summary>Reads engagements for the tenant: those it asked for and those asked of it; anything else is "not found".</summary>
public sealed class EngagementQueries(Installation installation)
{
    public async Task<IReadOnlyList<Engagement>> ListAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        var org = tenant.OrganizationId;
        var rows = await db.Engagements.AsNoTracking().Where(e => e.RequesterOrganizationId == org || e.FirmOrganizationId == org)
            .OrderByDescending(e => e.RequestedAt).Take(500).ToListAsync(cancellationToken);
        return await ViewsAsync(db, tenant, rows, cancellationToken);
    }

    public async Task<Engagement> GetAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        var row = await FindAsync(db, tenant, id, cancellationToken);
        return (await ViewsAsync(db, tenant, [row], cancellationToken))[0];
    }

    /// <summary>The engagement when the tenant is a party to it (tracked, for a change); otherwise not found, as another tenant's data looks.</summary>
    internal static async Task<EngagementRow> FindAsync(CustodesDb db, Tenant tenant, Guid id, CancellationToken cancellationToken) =>
        await db.Engagements.FirstOrDefaultAsync(e => e.Id == id && (e.RequesterOrganizationId == tenant.OrganizationId || e.FirmOrganizationId == tenant.OrganizationId), cancellationToken)
        ?? throw new NotFoundException($"no engagement {id}");

    internal static IReadOnlyList<Guid> Assessors(EngagementRow row) =>
        row.AssessorUserIds is { Length: > 0 } ids ? [.. ids.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)] : [];

    private static async Task<IReadOnlyList<Engagement>> ViewsAsync(CustodesDb db, Tenant tenant, IReadOnlyList<EngagementRow> rows, CancellationToken cancellationToken)
    {
        var orgIds = rows.SelectMany(r => new[] { r.RequesterOrganizationId, r.FirmOrganizationId }).Distinct().ToList();
        var names = await db.Organizations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        return [.. rows.Select(r => new Engagement
        {
            Id = r.Id, RequesterOrganizationId = r.RequesterOrganizationId, Requester = names.GetValueOrDefault(r.RequesterOrganizationId, "?"),
            FirmOrganizationId = r.FirmOrganizationId, Firm = names.GetValueOrDefault(r.FirmOrganizationId, "?"), Framework = r.Framework, Scope = r.Scope,
            TargetDate = r.TargetDate, Stage = r.Stage, RequestedAt = r.RequestedAt, DeclineReason = r.DeclineReason, DeclineNote = r.DeclineNote,
            LeadUserId = r.LeadUserId, LeadName = r.LeadName, AssessorUserIds = Assessors(r), Independence = r.Independence, C3paoId = r.C3paoId,
            AssessmentId = r.AssessmentId, QaReviewerName = r.QaReviewerName, QaSignedOffAt = r.QaSignedOffAt, LetterId = r.LetterId,
            AsFirm = r.FirmOrganizationId == tenant.OrganizationId,
        })];
    }

    /// <summary>Refuses a change by anyone but the firm's side.</summary>
    internal static void RequireFirm(EngagementRow row, Tenant tenant, string what)
    {
        if (row.FirmOrganizationId != tenant.OrganizationId) throw new ForbiddenException($"only the assessor firm {what}");
        tenant.RequireEdit();
    }

    /// <summary>Refuses a change by anyone but the engagement's lead assessor.</summary>
    internal static void RequireLead(EngagementRow row, Tenant tenant, string what)
    {
        RequireFirm(row, tenant, what);
        if (row.LeadUserId is null || tenant.UserId != row.LeadUserId) throw new ForbiddenException($"only the engagement's lead assessor ({row.LeadName}) {what}");
    }

    /// <summary>The audit record's common shape for an engagement change.</summary>
    internal static Audit.AuditEvent Event(Tenant tenant, string action, EngagementRow row, object? before, object? after) =>
        new(tenant.OrganizationId, tenant.Actor, action, "engagement", row.Id.ToString(), before, after);

    /// <summary>How the team names a member: the display name, else the email.</summary>
    internal static async Task<string> MemberNameAsync(CustodesDb db, Guid firm, Guid userId, string path, CancellationToken cancellationToken)
    {
        var member = await (from m in db.Memberships.AsNoTracking()
                            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                            where m.OrganizationId == firm && m.UserId == userId
                            select new { u.DisplayName, u.Email, m.Role }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new BadInputException("that person is not a member of the firm; invite them first", path: path);
        if (!Roles.CanEdit(member.Role)) throw new BadInputException($"{member.Email} is a viewer of the firm; an assessor needs the owner or assessor role", path: path);
        return string.IsNullOrWhiteSpace(member.DisplayName) ? member.Email : $"{member.DisplayName} ({member.Email})";
    }
}
