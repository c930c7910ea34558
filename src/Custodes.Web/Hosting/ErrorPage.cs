using System.Net;

namespace Custodes.Web.Hosting;

/// <summary>A small self-contained HTML error page for browsers (the API answers with problem details instead).</summary>
public static class ErrorPage
{
    public static string Html(int status, string title, string detail) =>
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{status} {WebUtility.HtmlEncode(title)} · Custodes</title><link rel="stylesheet" href="/assets/site.css"></head>
        <body><header class="top"><div class="bar"><a class="brand" href="/">Custodes</a></div></header><main class="page narrow"><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(detail)}</p>
        <p><a href="/">Back to your assessments</a></p></main></body></html>
        """;
}
