using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Common;

namespace Custodes.Web.Api;

/// <summary><c>/api/v1/letters</c>: public facts about issued letters. A letter's status is public information: no key is needed.</summary>
internal static class LettersApi
{
    public static RouteGroupBuilder MapLettersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/letters").WithTags("Letters").AllowAnonymous();
        group.MapGet("/{id:guid}/status", Status).WithName("LetterStatus")
            .WithSummary("Whether a letter is valid, revoked (when, why, and where the revocation is in the log), expired, or unknown");
        group.MapGet("/{id:guid}", Bundle).WithName("LetterBundle").WithSummary("The letter file (application/vnd.custodes.letter.v1+json); with a witness quorum set, its proof leads to the newest checkpoint the quorum cosigned").ProducesProblem(404);

        // Revoking is the issuing firm's: an owner's or assessor's key of the issuer.
        var issuer = app.MapGroup("/api/v1/letters").WithTags("Letters").RequireAuthorization();
        issuer.MapGet("/{id:guid}/revocation-impact", Impact).WithName("LetterRevocationImpact")
            .WithSummary("What revoking the letter would do, before you do it: each customer inheriting from it whose result would change, with its score now and after").ProducesProblem(403).ProducesProblem(404);
        issuer.MapPost("/{id:guid}/revocation", Revoke).WithName("RevokeLetter")
            .WithSummary("Revoke a letter (public and final): body {\"reason\": \"…\"}, required and public. Appends a revocation to the log and recomputes the customers inheriting from it")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return group;
    }

    /// <summary>Body of a revocation: why (required; public, shown with the letter).</summary>
    public sealed record RevocationRequest(string? Reason);

    /// <summary>A recorded revocation.</summary>
    public sealed record RevocationResult(Guid LetterId, string Status, DateTimeOffset RevokedAt, string Reason, long RevocationIndex, int? SupplyChainNotices, string? SupplyChainError);

    private static async Task<IResult> Impact(Guid id, HttpContext context, LetterChanges changes, CancellationToken cancellationToken)
    {
        var impact = await changes.PreviewRevocationAsync(context.User.Tenant(), id, cancellationToken);
        return TypedResults.Ok(new { letter_id = id, score_drops = impact.ScoreDrops, customers = impact.Customers });
    }

    private static async Task<IResult> Revoke(Guid id, RevocationRequest? body, HttpContext context, RevokeLetter revoke, CancellationToken cancellationToken)
    {
        var revoked = await revoke.HandleAsync(context.User.Tenant(), new RevokeLetterRequest(id, body?.Reason ?? "", null), cancellationToken);
        return TypedResults.Ok(new RevocationResult(revoked.LetterId, LetterStatuses.Revoked, revoked.RevokedAt, revoked.Reason, revoked.RevocationIndex,
            revoked.Dependents?.Notices, revoked.DependentsError));
    }

    private static async Task<IResult> Status(Guid id, HttpContext context, LetterStore letters, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok(await letters.StatusAsync(id, cancellationToken: cancellationToken));
    }

    private static async Task<IResult> Bundle(Guid id, LetterStore letters, Application.Witness.LogWitnesses witnesses, Application.Transparency.TransparencyLog log, CancellationToken cancellationToken)
    {
        var file = await letters.FileAsync(id, cancellationToken) ?? throw new NotFoundException($"no letter {id}");
        return TypedResults.Bytes(await witnesses.WithWitnessedCheckpointAsync(file.Bundle, log, cancellationToken), Attestation.LetterBundle.MediaTypeV1, $"letter-{id}.json");
    }
}
