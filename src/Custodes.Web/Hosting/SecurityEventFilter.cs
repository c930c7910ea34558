using Custodes.Application.Audit;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Custodes.Web.Hosting;

/// <summary>Records a form post that failed antiforgery validation (a forged cross-site request) and answers with a clear page.</summary>
internal sealed class SecurityEventFilter : IAsyncAlwaysRunResultFilter
{
    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            var http = context.HttpContext;
            var user = http.User;
            Guid? org = Guid.TryParse(user.FindFirst(ApiKeyAuthentication.OrganizationClaim)?.Value, out var id) ? id : null;
            var actor = user.FindFirst(ApiKeyAuthentication.ActorClaim)?.Value ?? $"anonymous@{http.Connection.RemoteIpAddress}";
            await http.RequestServices.GetRequiredService<AuditLog>().RecordAsync(new AuditEvent(org, actor, "security.csrf_rejected", "request", http.Request.Path,
                After: new { method = http.Request.Method, path = http.Request.Path.Value, origin = http.Request.Headers.Origin.ToString(), referer = http.Request.Headers.Referer.ToString() }));
            context.Result = new ContentResult
            {
                StatusCode = StatusCodes.Status400BadRequest,
                ContentType = "text/html; charset=utf-8",
                Content = await ErrorPage.HtmlAsync(400, "This form could not be accepted", "The form was missing its security token or the token had expired (for example after signing in again in another tab). Go back, reload the page and submit again."),
            };
        }
        await next();
    }
}
