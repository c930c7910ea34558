using System.Security.Claims;
using Custodes.Application;
using Custodes.Web.Accounts;
using Custodes.Web.Api;

namespace Custodes.Web.Pages;

/// <summary>What pages need to know about the signed-in person.</summary>
internal static class PageUser
{
    public static string Email(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Email) ?? "";
    public static string OrganizationName(this ClaimsPrincipal user) => user.FindFirstValue(CookieSessions.OrganizationNameClaim) ?? "";
    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ApiKeyAuthentication.RoleClaim) ?? Roles.Viewer;
    /// <summary>The kind of the organization the person acts for (customer, msp, assessor): which home and menu they get.</summary>
    public static string OrganizationKind(this ClaimsPrincipal user) => user.FindFirstValue(CookieSessions.OrganizationKindClaim) ?? "";
    public static Guid UserId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
    public static bool CanEdit(this ClaimsPrincipal user) => Roles.CanEdit(user.Role());
    public static bool IsOwner(this ClaimsPrincipal user) => Roles.CanAdminister(user.Role());

    /// <summary>True when the request came from the page's script (fetch/XHR) and wants JSON back.</summary>
    public static bool WantsJson(this HttpRequest request) => request.Headers["X-Requested-With"] == "fetch";
}
