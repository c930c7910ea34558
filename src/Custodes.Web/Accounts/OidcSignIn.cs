using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Custodes.Web.Accounts;

/// <summary>Optional OpenID Connect sign-in (authorization code flow with PKCE): the provider vouches for an email, and a user with that email is signed in.</summary>
internal static class OidcSignIn
{
    public const string Scheme = "oidc";
    public const string ExternalScheme = "custodes.external";

    public static void Add(AuthenticationBuilder auth, OidcOptions options)
    {
        auth.AddCookie(ExternalScheme, o =>
        {
            o.Cookie.Name = "custodes.external";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
        });
        auth.AddOpenIdConnect(Scheme, options.DisplayName, o =>
        {
            o.Authority = options.Authority;
            o.ClientId = options.ClientId;
            o.ClientSecret = options.ClientSecret;
            o.RequireHttpsMetadata = options.RequireHttpsMetadata;
            o.ResponseType = OpenIdConnectResponseType.Code;
            // The answer comes back as a top-level GET, so Lax cookies (ours and the correlation cookies) are sent with it.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.SignInScheme = ExternalScheme;
            o.CallbackPath = "/account/oidc-callback";
            o.SignedOutCallbackPath = "/account/oidc-signed-out";
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("email");
            o.Scope.Add("profile");
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = false;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
        });
    }
}
