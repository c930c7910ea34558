using Custodes.Application.Sharing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary>Read-only sharing of an assessment with another organization, and what others shared with yours.</summary>
internal static class SharesApi
{
    public static IEndpointRouteBuilder MapSharesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/assessments/{id:guid}/shares").RequireAuthorization().WithTags("Sharing");
        group.MapGet("/", List).WithName("ListShares").WithSummary("Organizations the assessment is shared with (read-only)").ProducesProblem(404);
        group.MapPost("/", Share).WithName("ShareAssessment").WithSummary("Share the assessment read-only with another organization, by its id").ProducesProblem(400).ProducesProblem(404);
        group.MapDelete("/{organizationId:guid}", Revoke).WithName("RevokeShare").WithSummary("Stop sharing the assessment with an organization").ProducesProblem(404);
        app.MapGet("/api/v1/shared-assessments", SharedWithUs).RequireAuthorization().WithTags("Sharing").WithName("ListSharedAssessments")
            .WithSummary("Assessments other organizations shared with yours (read them with GET /api/v1/assessments/{id} and /score)");
        return app;
    }

    /// <summary>Body of a share.</summary>
    public sealed record ShareRequest(Guid OrganizationId);

    private static async Task<Ok<IReadOnlyList<ShareRecipient>>> List(Guid id, HttpContext context, ShareStore shares, CancellationToken cancellationToken) =>
        TypedResults.Ok(await shares.RecipientsAsync(context.User.Tenant(), id, cancellationToken));

    private static async Task<Created<ShareRecipient>> Share(Guid id, ShareRequest body, HttpContext context, ShareStore shares, CancellationToken cancellationToken)
    {
        var recipient = await shares.ShareAsync(context.User.Tenant(), id, body.OrganizationId, cancellationToken);
        return TypedResults.Created($"/api/v1/assessments/{id}/shares/{recipient.OrganizationId}", recipient);
    }

    private static async Task<NoContent> Revoke(Guid id, Guid organizationId, HttpContext context, ShareStore shares, CancellationToken cancellationToken)
    {
        await shares.RevokeAsync(context.User.Tenant(), id, organizationId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<SharedAssessment>>> SharedWithUs(HttpContext context, ShareStore shares, CancellationToken cancellationToken) =>
        TypedResults.Ok(await shares.SharedWithAsync(context.User.Tenant(), cancellationToken));
}
