using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodes.Web.Tests;

/// <summary>A minimal OpenID Connect provider on 127.0.0.1 for tests: discovery, JWKS, an authorize endpoint that signs in a fixed user at once, and a token endpoint issuing an RS256 id_token (code flow with PKCE).</summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "custodes-test";
    public const string ClientSecret = "test-secret";
    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, (string Nonce, string Challenge, string RedirectUri)> _codes = new();

    private TestOidcProvider(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = "";

    /// <summary>The email the provider vouches for.</summary>
    public string Email { get; set; } = "ana@firm.example";

    /// <summary>The subject (the person's stable id at the provider).</summary>
    public string Subject { get; set; } = "user-1";

    /// <summary>The email_verified claim: true, false, or null to leave it out (as some providers do).</summary>
    public bool? EmailVerified { get; set; } = true;

    public int TokensIssued;

    public static async Task<TestOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var provider = new TestOidcProvider(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Issuer,
            ["authorization_endpoint"] = provider.Issuer + "/authorize",
            ["token_endpoint"] = provider.Issuer + "/token",
            ["jwks_uri"] = provider.Issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["scopes_supported"] = new[] { "openid", "email", "profile" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        }));
        app.MapGet("/jwks", () =>
        {
            var p = provider._key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "k1", n = B64(p.Modulus!), e = B64(p.Exponent!) } } });
        });
        app.MapGet("/authorize", (HttpRequest r) =>
        {
            if (r.Query["client_id"] != ClientId || r.Query["response_type"] != "code") return Results.BadRequest("bad client or response type");
            var code = B64(RandomNumberGenerator.GetBytes(16));
            provider._codes[code] = (r.Query["nonce"].ToString(), r.Query["code_challenge"].ToString(), r.Query["redirect_uri"].ToString());
            return Results.Redirect($"{r.Query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(r.Query["state"].ToString())}");
        });
        app.MapPost("/token", async (HttpRequest r) =>
        {
            var form = await r.ReadFormAsync();
            var (id, secret) = (form["client_id"].ToString(), form["client_secret"].ToString());
            if (r.Headers.Authorization.ToString() is { Length: > 6 } basic && basic.StartsWith("Basic ", StringComparison.Ordinal))
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic[6..])).Split(':', 2);
                (id, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
            }
            if (id != ClientId || secret != ClientSecret) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            if (!provider._codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"])
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            if (B64(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
                return Results.Json(new { error = "invalid_grant", error_description = "PKCE verifier does not match" }, statusCode: 400);
            Interlocked.Increment(ref provider.TokensIssued);
            return Results.Json(new { access_token = "opaque", token_type = "Bearer", expires_in = 300, id_token = provider.IdToken(grant.Nonce) });
        });
        await app.StartAsync();
        provider.Issuer = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');
        return provider;
    }

    private string IdToken(string nonce)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", kid = "k1", typ = "JWT" }));
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["sub"] = Subject, ["aud"] = ClientId, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 300,
            ["nonce"] = nonce, ["email"] = Email, ["name"] = "Ana Assessor",
        };
        if (EmailVerified is { } verified) claims["email_verified"] = verified;
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{B64(signature)}";
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
