using Custodes.Application.Assessments;
using Custodes.Assessments;
using Custodes.Assessments.Poam;
using Custodes.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary><c>/api/v1/assessments/{id}/poam</c>: the plan of action and milestones, with the CMMC flags a reviewer would raise.</summary>
internal static class PoamApi
{
    public static RouteGroupBuilder MapPoamApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/assessments/{id:guid}/poam").RequireAuthorization().WithTags("POA&M");
        group.MapGet("/", List).WithName("ListPoam").WithSummary("The POA&M: one item per requirement not met (with the plan where one is written), CMMC flags (not allowed on a CMMC POA&M, no plan, past closeout) and the closeout date").ProducesProblem(404);
        group.MapPut("/{requirement}", Set).WithName("SetPoamItem").WithSummary("Write or replace the plan of one requirement (every field; absent fields are cleared); send If-Match with the assessment's ETag")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(412);
        group.MapDelete("/{requirement}", Remove).WithName("RemovePoamItem").WithSummary("Remove the written plan of one requirement (an unmet requirement stays on the POA&M without a plan); send If-Match with the assessment's ETag")
            .ProducesProblem(404).ProducesProblem(412);
        return group;
    }

    /// <summary>A POA&amp;M item on the wire.</summary>
    public sealed record PoamItemBody(string? Status, DateOnly? PlannedCompletion, DateOnly? CompletedOn, string? Milestones, string? Owner, string? Note);

    /// <summary>The POA&amp;M of an assessment with its flags: one item per requirement not met (<see cref="PoamPlan"/>), and the plans kept for requirements now met.</summary>
    public sealed record PoamView(IReadOnlyList<PoamItemView> Items, IReadOnlyList<PoamFlagView> Flags, DateOnly? CloseoutDue)
    {
        /// <summary>Written plans of requirements that are met: kept as a record, not on the POA&amp;M.</summary>
        public IReadOnlyList<PoamItemView> Records { get; init; } = [];
    }

    /// <param name="RequirementStatus"><c>not-met</c> or <c>unassessed</c> for an item; the requirement's status for a record.</param>
    /// <param name="PlanWritten">False for an unmet requirement nobody has written a plan for yet.</param>
    /// <param name="CmmcPoamEligible">Whether CMMC allows the requirement on a POA&amp;M; null outside CMMC frameworks (r3).</param>
    public sealed record PoamItemView(string Id, string Status, DateOnly? PlannedCompletion, DateOnly? CompletedOn, string? Milestones, string? Owner, string? Note)
    {
        public string? RequirementStatus { get; init; }
        public bool PlanWritten { get; init; }
        public bool? CmmcPoamEligible { get; init; }
    }

    public sealed record PoamFlagView(string RequirementId, string Kind, string Message);

    public static PoamView View(Assessment assessment)
    {
        var resolution = Resolution.Resolve(assessment);
        var plan = PoamPlan.Of(assessment, resolution);
        var flags = plan.Flags.Select(f => new PoamFlagView(f.RequirementId, System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(f.Kind.ToString()), f.Message)).ToArray();
        var items = plan.Items.Select(i => new PoamItemView(i.Id, AssessmentFile.PoamStatusName(i.Status), i.PlannedCompletion, i.CompletedOn, i.Milestones, i.Owner, i.Note)
        {
            RequirementStatus = i.RequirementStatus.ToWire(),
            PlanWritten = i.HasPlan,
            CmmcPoamEligible = i.CmmcEligible,
        }).ToArray();
        var records = plan.Records.Select(p => new PoamItemView(p.Id, AssessmentFile.PoamStatusName(p.Status), p.PlannedCompletion, p.CompletedOn, p.Milestones, p.Owner, p.Note)
        {
            RequirementStatus = resolution.StatusOf(p.Id).ToWire(),
            PlanWritten = true,
        }).ToArray();
        return new PoamView(items, flags, plan.CloseoutDue) { Records = records };
    }

    public static PoamStatus ParseStatus(string? status) => status switch
    {
        null or "" or "open" => PoamStatus.Open,
        "in-progress" => PoamStatus.InProgress,
        "closed" => PoamStatus.Closed,
        _ => throw new BadInputException($"invalid POA&M status '{status}'; expected open, in-progress or closed", path: "$.status"),
    };

    private static async Task<Ok<PoamView>> List(Guid id, HttpContext context, AssessmentStore store, CancellationToken cancellationToken)
    {
        var stored = (await store.ReadAsync(context.User.Tenant(), id, cancellationToken)).Stored;
        context.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(View(stored.Assessment));
    }

    private static async Task<NoContent> Set(Guid id, string requirement, PoamItemBody body, HttpContext context, AssessmentStore store, CancellationToken cancellationToken)
    {
        var item = new PoamItem
        {
            Id = requirement,
            Status = ParseStatus(body.Status),
            PlannedCompletion = body.PlannedCompletion,
            CompletedOn = body.CompletedOn,
            Milestones = string.IsNullOrWhiteSpace(body.Milestones) ? null : body.Milestones,
            Owner = string.IsNullOrWhiteSpace(body.Owner) ? null : body.Owner,
            Note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note,
        };
        var version = await store.SetPoamItemAsync(context.User.Tenant(), id, item, IfMatch.Version(context.Request, id), cancellationToken);
        context.Response.Headers.ETag = $"\"{id:N}-{version}\"";
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> Remove(Guid id, string requirement, HttpContext context, AssessmentStore store, CancellationToken cancellationToken)
    {
        var version = await store.RemovePoamItemAsync(context.User.Tenant(), id, requirement, IfMatch.Version(context.Request, id), cancellationToken);
        context.Response.Headers.ETag = $"\"{id:N}-{version}\"";
        return TypedResults.NoContent();
    }
}
