using Custodes.Common;
using Custodes.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Custodes.Web.Api;

/// <summary>The one place that turns exceptions into HTTP problems: bad input 400, forbidden 403, not found 404, stale version 412.</summary>
public sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadInputException => (StatusCodes.Status400BadRequest, "Bad input"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "Too large"),
            BadHttpRequestException => (StatusCodes.Status400BadRequest, "Bad request"),
            ForbiddenException => (StatusCodes.Status403Forbidden, "Forbidden"),
            NotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            ConcurrencyConflictException => (StatusCodes.Status412PreconditionFailed, "Changed since you read it"),
            EnvironmentFailureException => (StatusCodes.Status503ServiceUnavailable, "Unavailable"),
            _ => (StatusCodes.Status500InternalServerError, "Internal error"),
        };
        if (status == StatusCodes.Status500InternalServerError) log.LogError(exception, "unhandled error on {Path}", context.Request.Path);
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = exception is BadInputException bad ? bad.Describe() : status == 500 ? "an internal error occurred; it was logged" : exception.Message,
        };
        if (exception is BadInputException located)
        {
            if (located.File is not null) problem.Extensions["file"] = located.File;
            if (located.Path is not null) problem.Extensions["path"] = located.Path;
            if (located.Line is not null) problem.Extensions["line"] = located.Line;
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}
