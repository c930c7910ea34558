using Custodes.Application.Assessments;
using Custodes.Application.Deliverables;

namespace Custodes.Web.Api;

/// <summary>
/// <c>/api/v1/assessments/{id}/deliverables/…</c>: what a CMMC assessor hands over from an assessment — the results workbook and the
/// artifact hash list of the DoD CMMC Hashing Guide (docs/reports.md#cmmc-deliverables).
/// </summary>
internal static class DeliverablesApi
{
    public const string WorkbookPath = "cmmc-results.xlsx";
    public const string HashListPath = "artifacts.sha256";

    public static IEndpointRouteBuilder MapDeliverablesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/assessments/{id:guid}/deliverables").RequireAuthorization().WithTags("Reports");
        group.MapGet("/" + WorkbookPath, Workbook).WithName("CmmcResultsWorkbook")
            .WithSummary("The CMMC assessment results workbook (XLSX): the assessment, each requirement and each objective with status, methods, assessor notes and inheritance")
            .WithMetadata(SessionCookieReadable.Instance).Produces(StatusCodes.Status200OK, contentType: ReportsApi.XlsxType).ProducesProblem(404);
        group.MapGet("/" + HashListPath, HashList).WithName("ArtifactHashList")
            .WithSummary("The artifact hash list (sha256sum format: check with 'sha256sum -c'); its own SHA-256 is in the Custodes-List-Sha256 header and at artifacts.json")
            .WithMetadata(SessionCookieReadable.Instance).Produces(StatusCodes.Status200OK, contentType: "text/plain").ProducesProblem(404);
        group.MapGet("/artifacts.json", HashListJson).WithName("ArtifactHashListJson")
            .WithSummary("The artifact hash list as JSON: each artifact's name and SHA-256, and the list's SHA-256 (what a letter issued from the assessment carries as artifacts_sha256)")
            .WithMetadata(SessionCookieReadable.Instance).ProducesProblem(404);
        return app;
    }

    private static async Task<IResult> Workbook(Guid id, HttpContext context, AssessmentStore store, CmmcDeliverables deliverables, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        var stored = await store.GetAsync(tenant, id, cancellationToken);
        context.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.File(await deliverables.WorkbookAsync(tenant, id, cancellationToken), ReportsApi.XlsxType, $"{ReportsApi.FileStem(stored.Assessment)}-{WorkbookPath}");
    }

    private static async Task<IResult> HashList(Guid id, HttpContext context, CmmcDeliverables deliverables, CancellationToken cancellationToken)
    {
        var list = await deliverables.ArtifactHashesAsync(context.User.Tenant(), id, cancellationToken);
        context.Response.Headers.CacheControl = "private, no-cache";
        context.Response.Headers["Custodes-List-Sha256"] = list.Sha256;
        return TypedResults.File(list.Content, "text/plain; charset=utf-8", HashListPath);
    }

    private static async Task<IResult> HashListJson(Guid id, HttpContext context, CmmcDeliverables deliverables, CancellationToken cancellationToken)
    {
        var list = await deliverables.ArtifactHashesAsync(context.User.Tenant(), id, cancellationToken);
        context.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.Ok(new { sha256 = list.Sha256, artifacts = list.Artifacts.Select(a => new { name = a.Name, sha256 = a.Sha256 }) });
    }
}
