using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Common;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Custodes.Web.Api;

/// <summary>The one place that turns exceptions into HTTP problems: bad input 400, forbidden 403, not found 404, refused by its state 409, stale version 412.</summary>
/// <remarks>API calls get RFC 9457 problem details; a browser on a page gets the same status as a short HTML page. Refusals are security events and go to the audit trail.</remarks>
internal sealed class ProblemMapping(IProblemDetailsService problems, AuditLog audit, ILogger<ProblemMapping> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadInputException => (StatusCodes.Status400BadRequest, "Bad input"),
            UnprocessableException => (StatusCodes.Status422UnprocessableEntity, "The file cannot be used"),
            ConflictOfInterestException => (StatusCodes.Status422UnprocessableEntity, "Not independent"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "Too large"),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => (StatusCodes.Status415UnsupportedMediaType, "Unsupported file type"),
            BadHttpRequestException => (StatusCodes.Status400BadRequest, "Bad request"),
            ForbiddenException => (StatusCodes.Status403Forbidden, "Forbidden"),
            NotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            PreconditionFailedException => (StatusCodes.Status412PreconditionFailed, "Changed since you read it"),
            ConflictException => (StatusCodes.Status409Conflict, "Not in a state to change"),
            EnvironmentFailureException => (StatusCodes.Status503ServiceUnavailable, "Unavailable"),
            _ => (StatusCodes.Status500InternalServerError, "Internal error"),
        };
        if (status == StatusCodes.Status500InternalServerError) log.LogError(exception, "unhandled error on {Path}", context.Request.Path);
        var detail = exception is BadInputException bad ? bad.Describe() : exception is UnprocessableException unprocessable ? unprocessable.Located.Describe() : status == 500 ? "an internal error occurred; it was logged" : exception.Message;
        await RecordRefusalAsync(context, status, detail, cancellationToken);
        context.Response.StatusCode = status;
        if (ErrorPage.WantsPage(context.Request))
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            // A browser gets the status's plain explanation, and the message only where it is written for people (bad input, a refusal), never a 500's internals.
            var page = status switch
            {
                StatusCodes.Status404NotFound => await ErrorPage.HtmlAsync(status, "Not found", "There is nothing here for your organization. It may have been removed, or it belongs to someone else."),
                >= 500 => await ErrorPage.HtmlAsync(status),
                _ => await ErrorPage.HtmlAsync(status, title, detail),
            };
            await context.Response.WriteAsync(page, cancellationToken);
            return true;
        }
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if ((exception as BadInputException ?? (exception as UnprocessableException)?.Located) is { } located)
        {
            if (located.File is not null) problem.Extensions["file"] = located.File;
            if (located.Path is not null) problem.Extensions["path"] = located.Path;
            if (located.Line is not null) problem.Extensions["line"] = located.Line;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    // 403 and 404 for a signed-in caller are how probing another tenant looks; 412 is a refused lost update.
    private async Task RecordRefusalAsync(HttpContext context, int status, string detail, CancellationToken cancellationToken)
    {
        var action = status switch
        {
            StatusCodes.Status403Forbidden => "security.forbidden",
            StatusCodes.Status404NotFound => "security.not_found",
            StatusCodes.Status412PreconditionFailed => "security.stale_write_refused",
            _ => null,
        };
        if (action is null || context.User.Identity?.IsAuthenticated != true) return;
        Guid? org = Guid.TryParse(context.User.FindFirst(ApiKeyAuthentication.OrganizationClaim)?.Value, out var id) ? id : null;
        var actor = context.User.FindFirst(ApiKeyAuthentication.ActorClaim)?.Value ?? "unknown";
        try
        {
            await audit.RecordAsync(new AuditEvent(org, actor, action, "request", context.Request.Path.Value ?? "",
                After: new { method = context.Request.Method, path = context.Request.Path.Value, status, detail }), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "could not record {Action} in the audit trail", action);
        }
    }
}
