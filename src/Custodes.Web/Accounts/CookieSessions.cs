using System.Globalization;
using System.Security.Claims;
using Custodes.Storage.Accounts;
using Custodes.Web.Api;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Custodes.Web.Accounts;

/// <summary>The browser session: a cookie naming the user, the organization they act for and their role, checked against the database on every request.</summary>
public static class CookieSessions
{
    public const string PolicyScheme = "custodes";
    public const string Scheme = "custodes.session";
    public const string SecondFactorScheme = "custodes.2fa";
    public const string IssuedClaim = "custodes:issued";
    public const string OrganizationNameClaim = "custodes:org_name";
    public const string OrganizationKindClaim = "custodes:org_kind";
    public const string MethodClaim = "amr";

    public static async Task SignInAsync(HttpContext context, AccountUser user, string method, Guid? organizationId = null)
    {
        // Without a choice here, sign-in lands in the organization the user chose last (OrganizationSwitch), never one they were only invited to.
        organizationId ??= await context.RequestServices.GetRequiredService<AccountStore>().RememberedOrganizationAsync(user.Id, context.RequestAborted);
        var membership = (organizationId is { } org ? user.Memberships.FirstOrDefault(m => m.OrganizationId == org) : null) ?? user.Memberships.FirstOrDefault()
            ?? throw new Storage.ForbiddenException($"{user.Email} is not a member of any organization; ask an owner to add you");
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Name, user.DisplayName ?? user.Email),
            new Claim(ApiKeyAuthentication.OrganizationClaim, membership.OrganizationId.ToString()),
            new Claim(OrganizationNameClaim, membership.OrganizationName),
            new Claim(OrganizationKindClaim, membership.Kind),
            new Claim(ApiKeyAuthentication.RoleClaim, membership.Role),
            new Claim(ApiKeyAuthentication.ActorClaim, user.Actor),
            new Claim(MethodClaim, method),
            new Claim(IssuedClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ], Scheme, ClaimTypes.Name, ClaimTypes.Role);
        await context.SignOutAsync(SecondFactorScheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
    }

    /// <summary>Ends a session that outlived its absolute limit or whose membership is gone; picks up a changed role at once.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var web = context.HttpContext.RequestServices.GetRequiredService<WebOptions>();
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var issued = long.TryParse(principal.FindFirstValue(IssuedClaim), out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MinValue;
        if (now - issued > web.AbsoluteTimeout || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(ApiKeyAuthentication.OrganizationClaim), out var orgId))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        var role = await context.HttpContext.RequestServices.GetRequiredService<AccountStore>().RoleAsync(userId, orgId, context.HttpContext.RequestAborted);
        if (role is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        if (role != principal.FindFirstValue(ApiKeyAuthentication.RoleClaim))
        {
            var identity = (ClaimsIdentity)principal.Identity!;
            identity.RemoveClaim(identity.FindFirst(ApiKeyAuthentication.RoleClaim));
            identity.AddClaim(new Claim(ApiKeyAuthentication.RoleClaim, role));
            context.ReplacePrincipal(principal);
            context.ShouldRenew = true;
        }
    }

    /// <summary>Starts the second step: the password was right, a code must follow.</summary>
    public static Task BeginSecondFactorAsync(HttpContext context, Guid userId) =>
        context.SignInAsync(SecondFactorScheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId.ToString())], SecondFactorScheme)));

    public static async Task<Guid?> PendingSecondFactorAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(SecondFactorScheme);
        return result.Succeeded && Guid.TryParse(result.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
    }

    public static string? ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
