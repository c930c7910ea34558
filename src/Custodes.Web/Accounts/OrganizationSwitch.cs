using System.Security.Claims;
using Custodes.Application.Accounts;
using Custodes.Common;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Authentication;

namespace Custodes.Web.Accounts;

/// <summary>Moves the signed-in session to another of the user's organizations, keeping everything else about the session (when it began, how).</summary>
internal static class OrganizationSwitch
{
    public static async Task SwitchAsync(HttpContext context, Membership membership)
    {
        var current = await context.AuthenticateAsync(CookieSessions.Scheme);
        if (!current.Succeeded) throw new ForbiddenException("sign in first");
        var identity = ((ClaimsIdentity)current.Principal.Identity!).Clone();
        Replace(identity, ApiKeyAuthentication.OrganizationClaim, membership.OrganizationId.ToString());
        Replace(identity, CookieSessions.OrganizationNameClaim, membership.OrganizationName);
        Replace(identity, CookieSessions.OrganizationKindClaim, membership.Kind);
        Replace(identity, ApiKeyAuthentication.RoleClaim, membership.Role);
        await context.SignInAsync(CookieSessions.Scheme, new ClaimsPrincipal(identity), current.Properties);
    }

    private static void Replace(ClaimsIdentity identity, string type, string value)
    {
        foreach (var claim in identity.FindAll(type).ToArray()) identity.RemoveClaim(claim);
        identity.AddClaim(new Claim(type, value));
    }

    /// <summary>True for a person signed in with the session cookie (not an API key).</summary>
    public static bool HasSession(this ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, AuthenticationType: CookieSessions.Scheme };
}
