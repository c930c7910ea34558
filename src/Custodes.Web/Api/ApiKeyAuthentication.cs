using System.Security.Claims;
using System.Text.Encodings.Web;
using Custodes.Application;
using Custodes.Application.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Custodes.Web.Api;

/// <summary>Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> against the stored key hashes.</summary>
internal sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string OrganizationClaim = "custodes:org";
    public const string RoleClaim = "custodes:role";
    public const string ActorClaim = "custodes:actor";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("expected Authorization: Bearer <api key>");
        var identity = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (identity is null) return AuthenticateResult.Fail("unknown or revoked API key");
        var claims = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, identity.UserId.ToString()),
            new Claim(ClaimTypes.Email, identity.Email),
            new Claim(OrganizationClaim, identity.OrganizationId.ToString()),
            new Claim(RoleClaim, identity.Role),
            new Claim(ActorClaim, identity.Tenant.Actor),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(claims), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}

/// <summary>The tenant of the signed-in principal.</summary>
internal static class TenantOfPrincipal
{
    public static Tenant Tenant(this ClaimsPrincipal user) => new(
        Guid.Parse(user.FindFirstValue(ApiKeyAuthentication.OrganizationClaim) ?? throw new InvalidOperationException("no organization claim")),
        user.FindFirstValue(ApiKeyAuthentication.RoleClaim) ?? Roles.Viewer,
        user.FindFirstValue(ApiKeyAuthentication.ActorClaim) ?? "unknown",
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null);
}
