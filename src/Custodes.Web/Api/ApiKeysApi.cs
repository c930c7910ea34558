using Custodes.Storage;
using Custodes.Storage.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary>API keys of the caller (an owner sees every member's): create (the key is shown once), list, revoke.</summary>
public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/api-keys").RequireAuthorization().WithTags("API keys");
        group.MapGet("/", List).WithName("ListApiKeys").WithSummary("Keys by name and prefix (never the key itself)");
        group.MapPost("/", Create).RequireRole(RequiredRole.AnyMember("a new key is capped at the caller's own rights")).WithName("CreateApiKey").WithSummary("Create a key for yourself; scopes: [\"*\"] (everything you may do) or [\"read\"]. The key is in this answer only").ProducesProblem(400);
        group.MapDelete("/{keyId:guid}", Revoke).RequireRole(RequiredRole.AnyMember("anyone revokes their own key; only an owner another's")).WithName("RevokeApiKey").WithSummary("Revoke a key (yours, or any as an owner)").ProducesProblem(403).ProducesProblem(404);
        return group;
    }

    /// <summary>Body of a new key.</summary>
    public sealed record NewKey(string? Name, IReadOnlyList<string>? Scopes);

    /// <summary>A new key: <see cref="Key"/> is shown this once.</summary>
    public sealed record CreatedKey(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, string Key);

    private static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> List(HttpContext context, AccountStore accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListApiKeysAsync(context.User.Tenant(), cancellationToken));

    private static async Task<Created<CreatedKey>> Create(NewKey body, HttpContext context, AccountStore accounts, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        // A read-only key cannot mint a full one: new keys are capped at the caller's own scopes.
        var scopes = body.Scopes ?? [ApiKeyScopes.All];
        if (tenant.Role == Roles.Viewer && scopes.Contains(ApiKeyScopes.All)) scopes = [ApiKeyScopes.Read];
        var (info, key) = await accounts.CreateApiKeyAsync(tenant, body.Name ?? "api key", scopes, cancellationToken);
        return TypedResults.Created($"/api/v1/api-keys/{info.Id}", new CreatedKey(info.Id, info.Name, info.Prefix, info.Scopes, key));
    }

    private static async Task<NoContent> Revoke(Guid keyId, HttpContext context, AccountStore accounts, CancellationToken cancellationToken)
    {
        await accounts.RevokeApiKeyAsync(context.User.Tenant(), keyId, cancellationToken);
        return TypedResults.NoContent();
    }
}
