using Custodes.Application.Assessments;
using Custodes.Common;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages;

/// <summary>A refused form post: what refused it, the status the answer carries, the handler that was refused (e.g. "import"), and the message in the person's words.</summary>
internal sealed record Refusal(Exception Exception, int Status, string? Handler)
{
    public string Message => FormRefusals.Describe(Exception);
}

/// <summary>
/// A page whose forms show a refusal on the same form (bad input, a state that refuses the change, a stale version) with what is stored now.
/// The page's handlers do not catch: <see cref="FormRefusals"/> does, once for every page.
/// </summary>
internal interface IRefusablePage
{
    /// <summary>Re-reads what is stored now and answers with the page, its <c>Error</c> set to the refusal's message.</summary>
    Task<IActionResult> RefusedAsync(Refusal refusal);

    /// <summary>
    /// True for a page that shows "not found" and "forbidden" on its form too, instead of the error page: an invitation link, where the person
    /// needs to read why the invitation cannot be used (expired, for another email, locked out until…) beside the invitation itself.
    /// </summary>
    bool ShowsNotFoundAndForbidden => false;
}

/// <summary>
/// The one mapping of the exception family for form posts on pages: bad input (400), a file that cannot be used or a firm that is not independent (422), a state that refuses
/// the change (409) and a stale version show on the same form; not found and forbidden go on to the error page (<see cref="ProblemMapping"/>).
/// </summary>
/// <remarks>
/// A stale write answers 409 on pages, not the API's 412: existing assertions pin the page's 409 (WorkspaceTests'
/// <c>A_save_against_an_older_version_says_it_changed_and_overwrites_nothing</c>, QuestionnaireResponsesTests' review of a stale form),
/// and a browser shows the page the same whatever the status.
/// </remarks>
internal sealed class FormRefusals : IAsyncPageFilter
{
    public const int StaleStatus = StatusCodes.Status409Conflict;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not { } exception || executed.ExceptionHandled || executed.HandlerInstance is not IRefusablePage page) return;
        if (HttpMethods.IsGet(context.HttpContext.Request.Method)) return;
        var status = StatusOf(exception) ?? (page.ShowsNotFoundAndForbidden ? exception switch
        {
            NotFoundException => StatusCodes.Status404NotFound,
            ForbiddenException => StatusCodes.Status403Forbidden,
            _ => (int?)null,
        } : null);
        if (status is null) return;
        var refusal = new Refusal(exception, status.Value, context.HandlerMethod?.Name);
        executed.ModelState.AddModelError(string.Empty, refusal.Message);
        executed.Result = await page.RefusedAsync(refusal);
        executed.ExceptionHandled = true;
    }

    /// <summary>The status of a refusal shown on its form; null for what the error page shows instead (not found, forbidden, failures).</summary>
    public static int? StatusOf(Exception exception) => exception switch
    {
        BadInputException => StatusCodes.Status400BadRequest,
        UnprocessableException => StatusCodes.Status422UnprocessableEntity,
        // Not independent of what it would attest (contracts §10): the form says which conflict, as the API's 422 does.
        ConflictOfInterestException => StatusCodes.Status422UnprocessableEntity,
        PreconditionFailedException => StaleStatus,
        ConflictException => StatusCodes.Status409Conflict,
        _ => null,
    };

    /// <summary>A refusal in the person's words: where in an uploaded file it is, but not a field's internal name or JSON path (the form shows the field).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        BadInputException { File: not null } or BadInputException { Line: not null } => ((BadInputException)exception).Describe(),
        UnprocessableException unprocessable => unprocessable.Located.Describe(),
        _ => exception.Message,
    };
}

/// <summary>The usual answer to a refusal: the page again, with what is stored now, the message and the status.</summary>
internal static class RefusablePages
{
    public static async Task<IActionResult> ShowAsync(this PageModel page, Refusal refusal, Func<Task> reload)
    {
        page.Response.StatusCode = refusal.Status;
        await reload();
        return page.Page();
    }

    /// <summary>The <c>{id}</c> of the page's route, for pages that re-read their one resource after a refusal.</summary>
    public static Guid RouteId(this PageModel page) => Guid.Parse(Convert.ToString(page.RouteData.Values["id"], System.Globalization.CultureInfo.InvariantCulture)!);
}
