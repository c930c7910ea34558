using Custodes.Application.Hosting;
using Custodes.Application.Trust;
using Custodes.Common;
using Custodes.Web.Api;
using Custodes.Web.Hosting;

namespace Custodes.Web.Trust;

/// <summary>
/// The trust page's machine side: <c>/trust/&lt;slug&gt;.json</c> and the badge (public, no sign-in), and the owner's
/// <c>PUT|GET|DELETE /api/v1/trust</c> to publish, read and unpublish the organization's page.
/// </summary>
public static class TrustApi
{
    public static IEndpointRouteBuilder MapTrustApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/trust/{slug}.json", Json).WithName("TrustPageJson").WithTags("Trust").AllowAnonymous()
            .WithSummary("A published trust page for machines (custodes.trust/v1): every letter issued to the organization here, with its status, and watch coverage")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(404);
        app.MapGet("/trust/{slug}/badge.svg", Badge).WithName("TrustBadge").WithTags("Trust").AllowAnonymous()
            .WithSummary("The page's badge: the live status of the newest letter, linking to the trust page")
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml").ProducesProblem(404);

        app.MapPost("/trust/{slug}/subscriptions", Subscribe).WithName("SubscribeTrustPage").WithTags("Trust").AllowAnonymous()
            .RequireRateLimiting(Extensions.SubscribeRateLimit)
            .WithSummary("Subscribe a webhook to a published trust page, without an account: body {\"url\": \"https://…\"}. The answer carries the signing " +
                "secret and the unsubscribe URL, only this once; notices (custodes.trust-notice/v1) are signed like alert webhooks. Email subscriptions are made on the page")
            .Produces<WebhookSubscribed>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        var owner = app.MapGroup("/api/v1/trust").WithTags("Trust").RequireAuthorization();
        owner.MapGet("/", Settings).WithName("TrustSettings").WithSummary("Whether your organization's trust page is published, and at which address");
        owner.MapPut("/", Publish).WithName("PublishTrustPage")
            .WithSummary("Publish (or move) your organization's public trust page: body {\"slug\": \"acme-it\"} → /trust/acme-it. Owners only")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(409);
        owner.MapDelete("/", Unpublish).WithName("UnpublishTrustPage")
            .WithSummary("Take the trust page down: its address, JSON and badge answer 404 from then on. Owners only").ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    /// <summary>Body of a webhook subscription.</summary>
    public sealed record SubscribeRequest(string? Url);

    /// <summary>A webhook subscription made: its secret and unsubscribe URL are shown only in this answer.</summary>
    public sealed record WebhookSubscribed(Guid Id, string Organization, string Slug, string Url, string Secret, string UnsubscribeUrl, string Schema);

    private static async Task<IResult> Subscribe(string slug, SubscribeRequest? body, HttpContext context, TrustSubscriptions subscriptions, PublicAddress address,
        CancellationToken cancellationToken)
    {
        var made = await subscriptions.SubscribeWebhookAsync(slug, body?.Url, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new WebhookSubscribed(made.Id, made.OrganizationName, made.Slug, made.Url, made.Secret,
            TrustNotices.UnsubscribeUrl(address.Base, made.UnsubscribeToken), TrustNotices.Schema), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Body of a publication: the page's address under /trust/.</summary>
    public sealed record PublishRequest(string? Slug);

    /// <summary>The trust page's state, with its public addresses when published.</summary>
    public sealed record TrustPageState(bool Published, string? Slug, string? Url, string? JsonUrl, string? BadgeUrl, DateTime? PublishedAt);

    private static async Task<IResult> Json(string slug, HttpContext context, TrustCache cache, PublicAddress address, CancellationToken cancellationToken)
    {
        var entry = await cache.GetAsync(slug, address.Base, cancellationToken);
        if (entry.Page is null) throw new NotFoundException($"no trust page is published at /trust/{slug}");
        return Cached(context, entry, entry.Json, "application/json; charset=utf-8");
    }

    private static async Task<IResult> Badge(string slug, HttpContext context, TrustCache cache, PublicAddress address, CancellationToken cancellationToken)
    {
        var entry = await cache.GetAsync(slug, address.Base, cancellationToken);
        if (entry.Page is null) throw new NotFoundException($"no trust page is published at /trust/{slug}");
        return Cached(context, entry, entry.Badge, "image/svg+xml; charset=utf-8");
    }

    /// <summary>Short-lived public caching: a revocation shows on a badge within a minute, however many sites embed it.</summary>
    private static IResult Cached(HttpContext context, TrustCache.Entry entry, byte[] body, string contentType)
    {
        context.Response.Headers.CacheControl = "public, max-age=60";
        context.Response.Headers.ETag = entry.ETag;
        // Another site's page shows the badge and scripts may read the JSON: both are public.
        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        if (context.Request.Headers.IfNoneMatch.ToString() == entry.ETag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(body, contentType);
    }

    private static async Task<IResult> Settings(HttpContext context, TrustPages pages, PublicAddress address, CancellationToken cancellationToken) =>
        TypedResults.Ok(State(await pages.SettingsAsync(context.User.Tenant(), cancellationToken), address.Base));

    private static async Task<IResult> Publish(PublishRequest? body, HttpContext context, TrustPages pages, PublicAddress address, CancellationToken cancellationToken) =>
        TypedResults.Ok(State(await pages.PublishAsync(context.User.Tenant(), body?.Slug, cancellationToken), address.Base));

    private static async Task<IResult> Unpublish(HttpContext context, TrustPages pages, CancellationToken cancellationToken)
    {
        if (!await pages.UnpublishAsync(context.User.Tenant(), cancellationToken)) throw new NotFoundException("your organization has no published trust page");
        return TypedResults.NoContent();
    }

    public static TrustPageState State(TrustSettings settings, string baseUrl) => settings.Slug is { } slug
        ? new TrustPageState(true, slug, TrustJson.PageUrl(baseUrl, slug), TrustJson.PageUrl(baseUrl, slug) + ".json", TrustJson.PageUrl(baseUrl, slug) + "/badge.svg", settings.PublishedAt)
        : new TrustPageState(false, null, null, null, null, null);
}
