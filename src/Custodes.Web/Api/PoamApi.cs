using Custodes.Assessment;
using Custodes.Assessment.Poam;
using Custodes.Common;
using Custodes.Storage.Assessments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary><c>/api/v1/assessments/{id}/poam</c>: the plan of action and milestones, with the CMMC flags a reviewer would raise.</summary>
public static class PoamApi
{
    public static RouteGroupBuilder MapPoamApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/assessments/{id:guid}/poam").RequireAuthorization().WithTags("POA&M");
        group.MapGet("/", List).WithName("ListPoam").WithSummary("POA&M items with CMMC flags (not allowed on a CMMC POA&M, missing item, past closeout) and the closeout date").ProducesProblem(404);
        group.MapPut("/{requirement}", Set).WithName("SetPoamItem").WithSummary("Add or change the item of one requirement; send If-Match with the assessment's ETag")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(412);
        group.MapDelete("/{requirement}", Remove).WithName("RemovePoamItem").WithSummary("Remove the item of one requirement; send If-Match with the assessment's ETag")
            .ProducesProblem(404).ProducesProblem(412);
        return group;
    }

    /// <summary>A POA&amp;M item on the wire.</summary>
    public sealed record PoamItemBody(string? Status, DateOnly? PlannedCompletion, DateOnly? CompletedOn, string? Milestones, string? Owner, string? Note);

    /// <summary>The POA&amp;M of an assessment with its flags.</summary>
    public sealed record PoamView(IReadOnlyList<PoamItemView> Items, IReadOnlyList<PoamFlagView> Flags, DateOnly? CloseoutDue);

    public sealed record PoamItemView(string Id, string Status, DateOnly? PlannedCompletion, DateOnly? CompletedOn, string? Milestones, string? Owner, string? Note);

    public sealed record PoamFlagView(string RequirementId, string Kind, string Message);

    public static PoamView View(Assessment.Assessment assessment)
    {
        var resolution = Resolution.Resolve(assessment);
        var flags = PoamRules.Review(assessment, resolution).Select(f => new PoamFlagView(f.RequirementId, System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(f.Kind.ToString()), f.Message)).ToArray();
        var items = assessment.Poam.Select(p => new PoamItemView(p.Id, AssessmentFile.PoamStatusName(p.Status), p.PlannedCompletion, p.CompletedOn, p.Milestones, p.Owner, p.Note)).ToArray();
        return new PoamView(items, flags, assessment.AssessedOn is { } on ? PoamRules.CloseoutDue(on) : null);
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
