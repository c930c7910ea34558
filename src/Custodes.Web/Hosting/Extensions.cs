using Custodes.Application.Assessments;
using System.IO.Compression;
using System.Threading.RateLimiting;
using Custodes.Application;
using Custodes.Application.Hosting;
using Custodes.Web.Accounts;
using Custodes.Web.Alerting;
using Custodes.Web.Api;
using Custodes.Web.SupplyChain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Custodes.Web.Hosting;

/// <summary>The web host's wiring, in one place: services, authentication, JSON, errors, OpenAPI, pages.</summary>
internal static class Extensions
{
    public const string SignInRateLimit = "sign-in";
    public const string SubscribeRateLimit = "trust-subscribe";

    public static WebApplicationBuilder AddCustodes(this WebApplicationBuilder builder, Installation installation)
    {
        var services = builder.Services;
        // Settings that decide what is registered (single sign-on, the cookie lifetime, the sign-in limit) are read through the same
        // binding and validation as the rest; every other setting is injected where it is used.
        var web = builder.Configuration.ReadConfiguredOptions<WebOptions, WebOptionsValidator>(WebOptions.Section);
        var oidc = builder.Configuration.ReadConfiguredOptions<OidcOptions, OidcOptionsValidator>(OidcOptions.Section);
        services.AddConfiguredOptions<WebOptions, WebOptionsValidator>(WebOptions.Section);
        services.AddConfiguredOptions<OidcOptions, OidcOptionsValidator>(OidcOptions.Section);
        services.AddConfiguredOptions<ProxyOptions, ProxyOptionsValidator>(ProxyOptions.Section);
        services.AddOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>().Configure<ProxyOptions>((target, proxy) => proxy.Apply(target));
        services.AddSingleton(installation);
        services.AddSingleton<IListeningAddress, ListeningAddress>();
        services.AddCustodesApplication(builder.Configuration);
        services.AddSingleton<Accounts.InvitationMail>();
        services.AddSingleton<ScoreCache>();
        services.AddSingleton<AssessmentImports>();
        services.AddCustodesAttestation();
        Watch.WatchServices.AddCustodesWatch(services);
        services.AddCustodesSupplyChain();
        services.AddSingleton<ApiKeyCache>();
        services.AddCustodesAlerting(builder.Configuration);
        services.AddSingleton<AccountMail>();
        services.AddSingleton<Trust.TrustCache>();
        // The public trust page is rendered once per cache lifetime, not per visitor (anonymous GETs only; dropped on publish/unpublish).
        services.AddOutputCache(o => o.AddPolicy(Trust.TrustCache.OutputPolicy, b => b.Expire(Trust.TrustCache.Lifetime).Tag(Trust.TrustCache.OutputPolicy)));
        services.AddHostedService(sp => sp.GetRequiredService<AccountMail>());

        services.Configure<JsonOptions>(o => CopyJsonOptions(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemMapping>();

        // Cookies and antiforgery tokens are encrypted with keys kept in the installation, so sessions survive a restart.
        var protectionKeys = Path.Combine(installation.KeysDirectory, "data-protection");
        installation.EnsureDirectory(protectionKeys);
        services.AddDataProtection().SetApplicationName("custodes").PersistKeysToFileSystem(new DirectoryInfo(protectionKeys));
        services.AddCustodesAuthentication(web, oidc);
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "custodes.af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = "X-CSRF-TOKEN";
        });
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToFolder("/Account");
            o.Conventions.ConfigureFilter(new SecurityEventFilter());
            o.Conventions.ConfigureFilter(new PasswordChangeRequiredFilter());
            o.Conventions.ConfigureFilter(new Pages.FormRefusals());
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only the attempts count, not the page views; partitioned by client address.
            o.AddPolicy(SignInRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = web.SignInPermitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("views"));
            o.AddPolicy(SubscribeRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter("subscribe:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = web.SubscribePermitsPerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("views"));
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(context.HttpContext.Request.Path.StartsWithSegments("/trust")
                    ? "Too many subscription requests from your address. Wait an hour and try again."
                    : "Too many sign-in attempts from your address. Wait a minute and try again.", ct);
            };
        });
        services.AddResponseCompression(o =>
        {
            // Antiforgery tokens differ on every response, which keeps compressed pages from leaking them (BREACH).
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["image/svg+xml", "application/problem+json", "application/yaml", "text/csv"]);
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Custodes API";
            document.Info.Description = "Independent NIST SP 800-171 / CMMC assessments, attestation letters, MSP supply chain and RMM watch. Authenticate with `Authorization: Bearer <api key>` (create one in the web app under API keys, or with `custodes admin create-api-key`). Errors are RFC 9457 problem details; lists are paged (`page`, `page_size`, `next`); changes take `If-Match` with the ETag you read and answer 412 when it is stale.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseCustodes(this WebApplication app)
    {
        // First, so that everything after it (HSTS, Secure cookies, the sign-in limit, the security log) sees the browser's scheme and address.
        if (app.Services.GetRequiredService<ProxyOptions>().Enabled) app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages(ErrorPage.WriteStatusAsync);
        app.UseResponseCompression();
        app.UseSecurityHeaders();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(Extensions).Assembly, "Custodes.Web.Assets"),
            RequestPath = "/assets",
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRoleGate();
        app.UseRateLimiter();
        app.UseOutputCache();
        app.MapOpenApi("/openapi/{documentName}.json");
        // The reference page's script is served from the Scalar package itself; fonts are the browser's, so nothing comes from a CDN.
        app.MapScalarApiReference("/scalar", o => o.WithTitle("Custodes API").DisableDefaultFonts());
        app.MapRazorPages();
        return app;
    }

    private static void AddCustodesAuthentication(this IServiceCollection services, WebOptions web, OidcOptions oidc)
    {
        var auth = services.AddAuthentication(o =>
        {
            o.DefaultScheme = CookieSessions.PolicyScheme;
            o.DefaultChallengeScheme = CookieSessions.PolicyScheme;
        });
        // The API is key-authenticated and pages use the session cookie: a cookie never authorizes a change through the API (no CSRF through
        // the API). The one exception is a download a page links to (a GET marked SessionCookieReadable, sent without a key).
        auth.AddPolicyScheme(CookieSessions.PolicyScheme, null, o => o.ForwardDefaultSelector = context =>
            !context.Request.Path.StartsWithSegments("/api") ? CookieSessions.Scheme
            : HttpMethods.IsGet(context.Request.Method) && string.IsNullOrEmpty(context.Request.Headers.Authorization)
              && context.GetEndpoint()?.Metadata.GetMetadata<SessionCookieReadable>() is not null && context.Request.Cookies.ContainsKey("custodes")
                ? CookieSessions.Scheme
                : ApiKeyAuthentication.SchemeName);
        auth.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        auth.AddCookie(CookieSessions.Scheme, o =>
        {
            o.Cookie.Name = "custodes";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = web.IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = "/account/sign-in";
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = "/account/denied";
            o.Events.OnValidatePrincipal = CookieSessions.ValidateAsync;
        });
        // Between the password and the code: holds only the user id, for five minutes.
        auth.AddCookie(CookieSessions.SecondFactorScheme, o =>
        {
            o.Cookie.Name = "custodes.2fa";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            o.SlidingExpiration = false;
        });
        if (oidc.Enabled) OidcSignIn.Add(auth, oidc);
    }

    private static void CopyJsonOptions(System.Text.Json.JsonSerializerOptions target)
    {
        var source = Common.Json.Options;
        target.PropertyNamingPolicy = source.PropertyNamingPolicy;
        target.DictionaryKeyPolicy = source.DictionaryKeyPolicy;
        target.Encoder = source.Encoder;
        target.DefaultIgnoreCondition = source.DefaultIgnoreCondition;
        foreach (var converter in source.Converters) target.Converters.Add(converter);
    }
}
