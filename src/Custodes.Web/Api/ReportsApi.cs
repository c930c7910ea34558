using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.Reports;
using Custodes.Reports.Oscal;
using Custodes.Reports.Pdf;
using Custodes.Reports.Spreadsheets;
using Custodes.Reports.Sprs;
using Custodes.Reports.Ssp;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary>Marks a read-only API endpoint that a signed-in browser may call with its session cookie (a download link on a page);
/// every other API call needs <c>Authorization: Bearer</c>. GET only: a cookie never authorizes a change through the API.</summary>
internal sealed class SessionCookieReadable
{
    public static readonly SessionCookieReadable Instance = new();
}

/// <summary><c>/api/v1/assessments/{id}/exports/…</c> (OSCAL, PDF, SSP, workbook, CSV, SPRS summary, contracts §9) and
/// <c>/api/v1/assessments/{id}/imports</c> (an edited workbook or CSV, an OSCAL SSP or assessment results, back into the assessment).</summary>
internal static class ReportsApi
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>One download: its path under <c>exports/</c>, media type, what it is, and how it is made from the assessment.</summary>
    public sealed record Export(string Path, string ContentType, string Title, Func<ReportData, byte[]> Write);

    /// <summary>Every download, in the order the workspace page lists them.</summary>
    public static readonly IReadOnlyList<Export> Exports =
    [
        new("oscal-ssp.json", "application/json", "OSCAL system security plan (JSON)", data => OscalSspExport.Write(data)),
        new("oscal-ar.json", "application/json", "OSCAL assessment results (JSON)", OscalAssessmentResultsExport.Write),
        new("oscal-poam.json", "application/json", "OSCAL plan of action and milestones (JSON)", OscalPoamExport.Write),
        new("report.pdf", "application/pdf", "Assessment report (PDF)", AssessmentReportPdf.Write),
        new("ssp.pdf", "application/pdf", "System security plan (PDF)", data => SspPdf.Write(new SspContent(data))),
        new("ssp.html", "text/html; charset=utf-8", "System security plan (HTML)", data => SspHtml.Write(new SspContent(data))),
        new("workbook.xlsx", XlsxType, "Workbook for offline edits (XLSX)", AssessmentWorkbook.Write),
        new("requirements.csv", "text/csv; charset=utf-8", "Requirements (CSV)", AssessmentCsv.Requirements),
        new("objectives.csv", "text/csv; charset=utf-8", "Objectives (CSV)", AssessmentCsv.Objectives),
        new("sprs.json", "application/json", "SPRS summary (JSON)", data => JsonSerializer.SerializeToUtf8Bytes(SprsSummary.From(data), Json.Indented)),
        new("sprs.txt", "text/plain; charset=utf-8", "SPRS summary (text)", data => System.Text.Encoding.UTF8.GetBytes(SprsSummary.From(data).ToText())),
    ];

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("/api/v1/assessments/{id:guid}/exports").RequireAuthorization().WithTags("Reports");
        foreach (var export in Exports)
            exports.MapGet("/" + export.Path, (Guid id, HttpContext context, AssessmentStore store, CancellationToken cancellationToken) => DownloadAsync(export, id, context, store, cancellationToken))
                .WithName("Export_" + export.Path.Replace('.', '_').Replace('-', '_'))
                .WithSummary($"{export.Title}; answers 304 to If-None-Match with the ETag of the same assessment version")
                .WithMetadata(SessionCookieReadable.Instance)
                .Produces(StatusCodes.Status200OK, contentType: export.ContentType.Split(';')[0])
                .ProducesProblem(404).ProducesProblem(422);
        app.MapPost("/api/v1/assessments/{id:guid}/imports", Import).RequireAuthorization().WithTags("Reports").WithName("ImportIntoAssessment")
            .WithSummary("Import an edited workbook (.xlsx), a requirements or objectives CSV, or an OSCAL system-security-plan or assessment-results into the assessment, " +
                "as one new version or not at all. Send the file as the body (Content-Type names the kind) or as multipart/form-data field 'file'; send If-Match with the ETag you read")
            .Accepts<IFormFile>("multipart/form-data", XlsxType, "text/csv", "application/json")
            .DisableAntiforgery()
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(412).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422);
        return app;
    }

    /// <summary>The file name of an assessment's downloads: organization and date (<c>granite-peak-managed-it-llc-2026-10-01</c>).</summary>
    public static string FileStem(Assessment a)
    {
        var chars = a.Organization.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return $"{(slug.Length == 0 ? "assessment" : slug)}-{a.AssessedOn?.ToString("yyyy-MM-dd") ?? "undated"}";
    }

    private static async Task<IResult> DownloadAsync(Export export, Guid id, HttpContext context, AssessmentStore store, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        // The version decides the content: a matching If-None-Match is answered without reading or rendering the assessment.
        var version = await store.VersionAsync(tenant, id, cancellationToken) ?? throw new NotFoundException($"no assessment {id}");
        context.Response.Headers.CacheControl = "private, no-cache";
        if (context.Request.Headers.IfNoneMatch.ToString() == Tag(id, version, export))
        {
            context.Response.Headers.ETag = Tag(id, version, export);
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var stored = (await store.ReadAsync(tenant, id, cancellationToken)).Stored;
        byte[] content;
        try
        {
            content = export.Write(ReportData.From(stored.Assessment));
        }
        // The request was fine; the stored assessment cannot be written in this format: 422 with where, not the caller's bad input (400).
        catch (BadInputException e)
        {
            throw new UnprocessableException(new BadInputException($"cannot export {export.Title}: {e.Message}", e.File ?? $"assessment {id}", e.Path, e.Line, e));
        }
        context.Response.Headers.ETag = Tag(id, stored.Version, export);
        return TypedResults.File(content, export.ContentType, $"{FileStem(stored.Assessment)}-{export.Path}");
    }

    private static string Tag(Guid id, int version, Export export) => $"\"{id:N}-{version}-{export.Path}\"";

    private static async Task<Ok<ImportResult>> Import(Guid id, HttpRequest request, AssessmentImports imports, CancellationToken cancellationToken)
    {
        var expected = IfMatch.Version(request, id);
        var upload = await ImportUpload.ReadAsync(request, cancellationToken);
        var result = await imports.ApplyAsync(request.HttpContext.User.Tenant(), id, upload.Kind, upload.Content, upload.FileName, expected, cancellationToken);
        request.HttpContext.Response.Headers.ETag = $"\"{id:N}-{result.Version}\"";
        return TypedResults.Ok(result);
    }
}
