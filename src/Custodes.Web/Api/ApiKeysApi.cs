using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary>
/// API keys of the caller (an owner sees every member's): list. Creating and revoking keys is an owner's act in a signed-in browser
/// session (Settings → API keys) or the administrator's CLI: a key never mints or revokes a key, so a leaked read-only key cannot
/// become a full one or lock the owner out. The two endpoints stay, answering 403 with the way to do it.
/// </summary>
internal static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/api-keys").RequireAuthorization().WithTags("API keys");
        group.MapGet("/", List).WithName("ListApiKeys").WithSummary("Keys by name and prefix (never the key itself)");
        group.MapPost("/", Create).RequireRole(KeysRefuseEveryKey).WithName("CreateApiKey").WithSummary("Always 403: keys are created by an owner in the web app (Settings → API keys) or with 'custodes admin create-api-key'").ProducesProblem(403);
        group.MapDelete("/{keyId:guid}", Revoke).RequireRole(KeysRefuseEveryKey).WithName("RevokeApiKey").WithSummary("Always 403: keys are revoked by an owner (or the key's own person) in the web app").ProducesProblem(403);
        return group;
    }

    // The endpoints read no body and refuse every caller themselves, with the way to do it; the gate lets them say so.
    private static readonly RequiredRole KeysRefuseEveryKey = RequiredRole.AnyMember("no API key manages keys, whatever its role: the endpoint refuses every caller");

    /// <summary>Body of a new key.</summary>
    public sealed record NewKey(string? Name, IReadOnlyList<string>? Scopes);

    /// <summary>A new key: <see cref="Key"/> is shown this once.</summary>
    public sealed record CreatedKey(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, string Key);

    private static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> List(HttpContext context, AccountStore accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListApiKeysAsync(context.User.Tenant(), cancellationToken));

    private static Task<Created<CreatedKey>> Create() =>
        throw new ForbiddenException("an API key cannot create API keys; an owner creates them in the web app under Settings → API keys, or an administrator with 'custodes admin create-api-key'");

    private static Task<NoContent> Revoke(Guid keyId) =>
        throw new ForbiddenException("an API key cannot revoke API keys; revoke it in the web app under Settings → API keys (an owner, or the key's own person)");
}
