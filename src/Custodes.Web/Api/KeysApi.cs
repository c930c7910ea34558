using Custodes.Application.Keys;
using Custodes.Application.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Web.Api;

/// <summary><c>/.well-known/custodes/keys</c>: the firms' public signing keys with their validity, and the log's note verifier key.</summary>
internal static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/custodes/keys", Keys).WithName("WellKnownKeys").WithTags("Transparency log")
            .WithSummary("Public keys: every registered assessor signing key (with validity period) and the transparency log's verifier key");
        return app;
    }

    /// <summary>One firm key.</summary>
    public sealed record FirmKey(string KeyId, string SignerName, string Organization, Guid OrganizationId, string PublicKeyPem, DateTime NotBefore, DateTime? NotAfter);

    /// <summary>The log's identity.</summary>
    public sealed record LogKey(string Origin, string VerifierKey, string PublicKeyPem, string KeyId, long Size);

    /// <summary>The document.</summary>
    public sealed record KeysDocument(LogKey Log, IReadOnlyList<FirmKey> Keys);

    private static async Task<IResult> Keys(HttpContext context, SigningKeyRegistry registry, TransparencyLog log, CancellationToken cancellationToken)
    {
        var identity = await log.Keys.GetAsync(cancellationToken);
        var size = await log.SizeAsync(cancellationToken);
        var keys = await registry.ListAsync(cancellationToken);
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new KeysDocument(
            new LogKey(identity.Origin, identity.Verifier.KeyString, identity.Verifier.Key.ToPem(), identity.Verifier.Key.KeyId, size),
            [.. keys.Select(k => new FirmKey(k.KeyId, k.SignerName, k.Organization, k.OrganizationId, k.PublicKeyPem, k.NotBefore, k.NotAfter))]));
    }
}
