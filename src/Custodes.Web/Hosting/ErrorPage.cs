using System.Net;
using Microsoft.AspNetCore.Diagnostics;

namespace Custodes.Web.Hosting;

/// <summary>The HTML error page browsers get, in the app's style (the API, under <c>/api</c>, answers with problem details instead).</summary>
public static class ErrorPage
{
    /// <summary>Whether a request is a person's browser on a page: it asks for HTML and is not an API call.</summary>
    public static bool WantsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>A page for an error status, with a plain explanation (<paramref name="detail"/> replaces the default one when given).</summary>
    public static string Html(int status, string? title = null, string? detail = null)
    {
        var (defaultTitle, defaultDetail) = Describe(status);
        title ??= defaultTitle;
        detail ??= defaultDetail;
        return $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{status} {WebUtility.HtmlEncode(title)} · Custodes</title><link rel="stylesheet" href="/assets/site.css"><link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"></head>
        <body><header class="top"><div class="bar"><a class="brand" href="/">Custodes</a></div></header>
        <main class="page narrow" id="error-page"><p class="muted">Error {status}</p><h1>{WebUtility.HtmlEncode(title)}</h1><p id="error-detail">{WebUtility.HtmlEncode(detail)}</p>
        <ul><li><a href="/">Go to the start page</a></li><li><a href="/verify">Check a letter of attestation</a></li></ul></main></body></html>
        """;
    }

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
            await http.Response.WriteAsync(Html(http.Response.StatusCode), http.RequestAborted);
            return;
        }
        // Problem details whatever the Accept header says (the problem details service alone writes nothing for "Accept: text/html").
        await TypedResults.Problem(statusCode: http.Response.StatusCode).ExecuteAsync(http);
    }
}
