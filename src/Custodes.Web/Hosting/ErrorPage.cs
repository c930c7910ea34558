using Microsoft.AspNetCore.Diagnostics;

namespace Custodes.Web.Hosting;

/// <summary>The HTML error page browsers get, in the app's style (the API, under <c>/api</c>, answers with problem details instead).</summary>
internal static class ErrorPage
{
    /// <summary>Whether a request is a person's browser on a page: it asks for HTML and is not an API call.</summary>
    public static bool WantsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>A page for an error status, with a plain explanation (<paramref name="detail"/> replaces the default one when given): the Razor view <see cref="Views.ErrorDocument"/>.</summary>
    public static Task<string> HtmlAsync(int status, string? title = null, string? detail = null)
    {
        var (defaultTitle, defaultDetail) = Describe(status);
        return Views.RazorHtml.RenderAsync<Views.ErrorDocument>(new Dictionary<string, object?>
        {
            [nameof(Views.ErrorDocument.Status)] = status,
            [nameof(Views.ErrorDocument.Title)] = title ?? defaultTitle,
            [nameof(Views.ErrorDocument.Detail)] = detail ?? defaultDetail,
        });
    }

    /// <summary>The error page as an answer with its status.</summary>
    public static async Task<IResult> ResultAsync(int status, string? title = null, string? detail = null) =>
        TypedResults.Content(await HtmlAsync(status, title, detail), "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);

    private static (string Title, string Detail) Describe(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ("That request could not be used", "Something in the address or the form was not what this page expects. Go back and try again."),
        StatusCodes.Status401Unauthorized => ("Please sign in", "This page is only for signed-in users."),
        StatusCodes.Status403Forbidden => ("You do not have access to this page", "Your account is not allowed to see or change this. Ask an owner of your organization if you need access."),
        StatusCodes.Status404NotFound => ("Page not found", "There is no page at this address. Check the address for typing mistakes. If someone sent you a letter of attestation, you can check the letter file on the verify page."),
        StatusCodes.Status405MethodNotAllowed => ("That action is not possible here", "This page cannot be used that way. Go back and use the buttons on the page."),
        StatusCodes.Status413PayloadTooLarge => ("That file is too large", "The file you sent is larger than this page accepts."),
        StatusCodes.Status429TooManyRequests => ("Too many attempts", "Wait a minute and try again."),
        >= 500 => ("Something went wrong on our side", "The error was logged. Try again in a moment; if it keeps happening, tell whoever runs this service."),
        _ => ("That did not work", "Go back and try again."),
    };

    /// <summary>Status code pages: an HTML page for a browser, problem details (RFC 9457) for everything else.</summary>
    public static async Task WriteStatusAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (WantsPage(http.Request))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(await HtmlAsync(http.Response.StatusCode), http.RequestAborted);
            return;
        }
        // Problem details whatever the Accept header says (the problem details service alone writes nothing for "Accept: text/html").
        await TypedResults.Problem(statusCode: http.Response.StatusCode).ExecuteAsync(http);
    }
}
