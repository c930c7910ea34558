using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Evidence;
using Custodes.Common;
using Custodes.Web.Api;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Antiforgery;

namespace Custodes.Web.Pages.Assessments;

/// <summary>Evidence upload and download for the browser (session cookie): the size limit is checked before the body is read, then the form's antiforgery token.</summary>
/// <remarks>
/// The page's script (<c>X-Requested-With: fetch</c>) gets the new evidence and version as JSON, and a refusal as problem details like the API
/// (<see cref="ProblemMapping"/>); a form posted without the script goes back to the workspace with a notice.
/// </remarks>
internal static class EvidenceEndpoints
{
    public static IEndpointRouteBuilder MapEvidencePages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/assessments/{id:guid}/evidence", Upload).RequireAuthorization().RequireRole(RequiredRole.Editor).DisableAntiforgery().ExcludeFromDescription();
        app.MapGet("/assessments/{id:guid}/evidence/{evidenceId:guid}", Download).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> Upload(Guid id, HttpContext context, IAntiforgery antiforgery, EvidenceStore evidence, Application.Assessments.AssessmentStore store, AuditLog audit, WebOptions web)
    {
        var json = context.Request.WantsJson();
        try
        {
            // Checked before antiforgery reads the form, so an oversized body is refused without being stored.
            var limit = web.EvidenceMaxBytes + 64 * 1024;
            if (context.Request.ContentLength > limit) throw EvidenceUpload.TooLarge(web.EvidenceMaxBytes);
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
            try
            {
                await antiforgery.ValidateRequestAsync(context);
            }
            // A forged or expired form is a security event: recorded, then answered like any refused form (the minimal API has no page filter for it).
            catch (AntiforgeryValidationException)
            {
                await audit.RecordAsync(new AuditEvent(User(context).OrganizationId, User(context).Actor, "security.csrf_rejected", "request", context.Request.Path.Value ?? "", After: new { path = context.Request.Path.Value }));
                return json ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad input", detail: "the form's security token is missing or expired; reload the page")
                    : await ErrorPage.ResultAsync(400, "This form could not be accepted", "The form was missing its security token or it had expired. Reload the page and try again.");
            }
            var upload = await EvidenceUpload.ReadAsync(context.Request, web.EvidenceMaxBytes, context.RequestAborted);
            await using var content = upload.File.OpenReadStream();
            var item = await evidence.AddAsync(User(context), content, upload.File.FileName, upload.File.ContentType, upload.Name, id, upload.Targets, context.RequestAborted);
            // The upload changed the assessment's version: the page's other forms need the new one.
            var version = await store.VersionAsync(User(context), id, context.RequestAborted);
            return json
                ? Results.Json(new { message = $"Uploaded {item.FileName}.", evidence = new { href = $"/assessments/{id}/evidence/{item.Id}", label = $"{item.Name} v{item.Version}" }, version }, Common.Json.Options)
                : Results.Redirect($"/assessments/{id}?notice=uploaded");
        }
        // Without the page's script, a refused upload is the workspace again with its notice (the script's request gets problem details).
        catch (Exception e) when (!json && e is BadInputException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return Results.Redirect($"/assessments/{id}?notice={(e is BadInputException ? "upload-failed" : "too-large")}");
        }
    }

    private static async Task<IResult> Download(Guid id, Guid evidenceId, HttpContext context, EvidenceStore evidence)
    {
        var (item, content) = await evidence.OpenAsync(User(context), evidenceId, context.RequestAborted);
        return Results.Stream(content, item.ContentType, item.FileName);
    }

    private static Tenant User(HttpContext context) => context.User.Tenant();
}
