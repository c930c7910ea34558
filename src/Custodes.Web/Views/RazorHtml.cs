using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging.Abstractions;

namespace Custodes.Web.Views;

/// <summary>
/// Renders a Razor component to an HTML string: the views of answers that are not Razor Pages (minimal-API pages, the error page,
/// the score panel a background save sends back, a letter written to a file by the CLI). All HTML is Razor; nothing is concatenated.
/// </summary>
internal static class RazorHtml
{
    // The views take everything as parameters and inject nothing, so one empty service provider serves every render.
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    public static async Task<string> RenderAsync<TComponent>(IReadOnlyDictionary<string, object?> parameters) where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(Services, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters.ToDictionary()))).ToHtmlString());
    }

    /// <summary>For callers that cannot wait (the CLI's render): the views have no asynchronous work, so rendering completes at once.</summary>
    public static string Render<TComponent>(IReadOnlyDictionary<string, object?> parameters) where TComponent : IComponent =>
        RenderAsync<TComponent>(parameters).GetAwaiter().GetResult();

    /// <summary>An HTML answer with its status.</summary>
    public static async Task<IResult> PageAsync<TComponent>(IReadOnlyDictionary<string, object?> parameters, int status = StatusCodes.Status200OK) where TComponent : IComponent =>
        TypedResults.Content(await RenderAsync<TComponent>(parameters), "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
