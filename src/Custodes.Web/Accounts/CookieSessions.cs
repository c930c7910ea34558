using System.Globalization;
using System.Security.Claims;
using Custodes.Application.Accounts;
using Custodes.Common;
using Custodes.Web.Api;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Custodes.Web.Accounts;

/// <summary>
/// The browser session: a cookie naming a server-side session (<c>sessions</c>), the user, the organization they act for and their role.
/// Every request checks the session is still open and the membership still there, so signing out or ending a session elsewhere
/// refuses a copied cookie at once.
/// </summary>
internal static class CookieSessions
{
    public const string PolicyScheme = "custodes";
    public const string Scheme = "custodes.session";
    public const string SecondFactorScheme = "custodes.2fa";
    public const string IssuedClaim = "custodes:issued";
    public const string OrganizationNameClaim = "custodes:org_name";
    public const string OrganizationKindClaim = "custodes:org_kind";
    public const string MethodClaim = "amr";
    public const string SessionClaim = "custodes:sid";
    /// <summary>Present while an owner- or administrator-set password must be replaced (pages send the person to the Security page).</summary>
    public const string MustChangePasswordClaim = "custodes:must_change_password";

    public static async Task SignInAsync(HttpContext context, AccountUser user, string method, Guid? organizationId = null)
    {
        // Without a choice here, sign-in lands in the organization the user chose last (OrganizationSwitch), never one they were only invited to.
        organizationId ??= await context.RequestServices.GetRequiredService<AccountStore>().RememberedOrganizationAsync(user.Id, context.RequestAborted);
        var membership = (organizationId is { } org ? user.Memberships.FirstOrDefault(m => m.OrganizationId == org) : null) ?? user.Memberships.FirstOrDefault()
            ?? throw new ForbiddenException($"{user.Email} is not a member of any organization; ask an owner to add you");
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        // A new sign-in always gets a new session id; the browser's previous session (if any) ends with it.
        var previous = CurrentSession(context.User);
        var session = await context.RequestServices.GetRequiredService<AccountStore>().StartSessionAsync(user.Id, membership.OrganizationId, method,
            context.Request.Headers.UserAgent.ToString(), ClientAddress(context), previous, context.RequestAborted);
        var identity = new ClaimsIdentity(
        [
            new Claim(SessionClaim, session.ToString()),
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
        if (user.MustChangePassword) identity.AddClaim(new Claim(MustChangePasswordClaim, "1"));
        await context.SignOutAsync(SecondFactorScheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
    }

    /// <summary>Signs out: the server-side session ends (so a copy of the cookie stops working too), then the cookie goes.</summary>
    public static async Task SignOutAsync(HttpContext context)
    {
        if (CurrentSession(context.User) is { } session && Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            Guid? org = Guid.TryParse(context.User.FindFirstValue(ApiKeyAuthentication.OrganizationClaim), out var o) ? o : null;
            try
            {
                await context.RequestServices.GetRequiredService<AccountStore>().EndSessionAsync(userId, session, "signed-out", org, context.RequestAborted);
            }
            catch (NotFoundException)
            {
                // Already gone: nothing to end.
            }
        }
        await context.SignOutAsync(Scheme);
    }

    /// <summary>The server-side session the request's cookie names, if any.</summary>
    public static Guid? CurrentSession(ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == Scheme && Guid.TryParse(user.FindFirstValue(SessionClaim), out var id) ? id : null;

    /// <summary>Ends a session that was ended server-side, went idle, outlived its absolute limit, or whose membership is gone; picks up a changed role at once.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var web = context.HttpContext.RequestServices.GetRequiredService<WebOptions>();
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var issued = long.TryParse(principal.FindFirstValue(IssuedClaim), out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MinValue;
        if (now - issued > web.AbsoluteTimeout || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(ApiKeyAuthentication.OrganizationClaim), out var orgId)
            || !Guid.TryParse(principal.FindFirstValue(SessionClaim), out var sessionId))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        var role = await context.HttpContext.RequestServices.GetRequiredService<AccountStore>().SessionRoleAsync(sessionId, userId, orgId, web.IdleTimeout, context.HttpContext.RequestAborted);
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
