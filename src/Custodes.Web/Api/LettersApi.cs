using Custodes.Storage.Letters;

namespace Custodes.Web.Api;

/// <summary><c>/api/v1/letters</c>: public facts about issued letters. A letter's status is public information: no key is needed.</summary>
public static class LettersApi
{
    public static RouteGroupBuilder MapLettersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/letters").WithTags("Letters").AllowAnonymous();
        group.MapGet("/{id:guid}/status", Status).WithName("LetterStatus")
            .WithSummary("Whether a letter is valid, revoked (when, why, and where the revocation is in the log), expired, or unknown");
        group.MapGet("/{id:guid}", Bundle).WithName("LetterBundle").WithSummary("The letter file as issued (application/vnd.custodes.letter.v1+json)").ProducesProblem(404);
        return group;
    }

    private static async Task<IResult> Status(Guid id, HttpContext context, LetterStore letters, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok(await letters.StatusAsync(id, cancellationToken: cancellationToken));
    }

    private static async Task<IResult> Bundle(Guid id, LetterStore letters, CancellationToken cancellationToken)
    {
        var row = await letters.FindAsync(id, cancellationToken) ?? throw new Storage.NotFoundException($"no letter {id}");
        return TypedResults.Bytes(row.Bundle, Attestation.LetterBundle.MediaTypeV1, $"letter-{id}.json");
    }
}
