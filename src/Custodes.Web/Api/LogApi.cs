using Custodes.Application.Transparency;
using Custodes.Application.Witness;
using Custodes.Attestation;
using Custodes.Transparency;
using Microsoft.Extensions.Caching.Memory;

namespace Custodes.Web.Api;

/// <summary><c>/log</c>: the transparency log as C2SP tlog-tiles (contracts §5): the signed checkpoint, hash tiles and entry bundles.</summary>
internal static class LogApi
{
    public const string Immutable = "public, max-age=31536000, immutable";

    public static IEndpointRouteBuilder MapLogApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/log/checkpoint", Checkpoint).WithName("LogCheckpoint").WithTags("Transparency log")
            .WithSummary("The latest signed checkpoint (C2SP tlog-checkpoint signed note)").Produces<string>(200, "text/plain");
        // A plain request delegate: the tile path is parsed once, strictly, and full tiles come from memory.
        app.MapGet("/log/tile/{**path}", (RequestDelegate)ServeTileAsync).WithName("LogTile").WithTags("Transparency log")
            .WithSummary("A hash tile (tile/<L>/<N>[.p/<W>]) or entry bundle (tile/entries/<N>[.p/<W>])");
        return app;
    }

    // With a witness quorum set, only a checkpoint that quorum cosigned is served: clients never see a tree no witness vouched for.
    private static async Task<IResult> Checkpoint(HttpContext context, TransparencyLog log, LogWitnesses witnesses, CancellationToken cancellationToken)
    {
        var served = await witnesses.ServedCheckpointAsync(log, cancellationToken);
        context.Response.Headers.CacheControl = "no-cache";
        if (served is not null) return TypedResults.Text(served, "text/plain; charset=utf-8");
        var empty = await log.LatestCheckpointAsync(cancellationToken) is null;
        return TypedResults.Text(empty ? "the log has no entries yet\n" : "no checkpoint has been cosigned by the required number of witnesses yet\n",
            "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task ServeTileAsync(HttpContext context)
    {
        var path = context.Request.RouteValues["path"] as string;
        var response = context.Response;
        if (!TilePath.TryParse("tile/" + path, out var tile))
        {
            await Plain(response, StatusCodes.Status400BadRequest, "malformed tile path: expected /log/tile/<L>/<N>[.p/<W>] or /log/tile/entries/<N>[.p/<W>], N as x001/x234/067\n");
            return;
        }
        var tiles = context.RequestServices.GetRequiredService<TileCache>();
        var data = await tiles.GetAsync(tile, context.RequestAborted);
        if (data is null)
        {
            await Plain(response, StatusCodes.Status404NotFound, "no such tile: the tree does not hold it (yet)\n");
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        response.ContentLength = data.Length;
        // A full tile never changes; a partial one is replaced by a wider one as the log grows.
        response.Headers.CacheControl = tile.IsPartial ? "no-cache" : Immutable;
        await response.Body.WriteAsync(data, context.RequestAborted);
    }

    private static Task Plain(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        return response.WriteAsync(text);
    }
}

/// <summary>Tile bytes for serving, read from the database once and kept in memory (bounded).</summary>
/// <remarks>
/// A tile's bytes never change once the tree holds it — a partial tile of width W too, since its W hashes (or entries) are
/// fixed forever; only clients must move on to wider tiles, which the headers tell them. A tile the tree does not hold yet
/// is never cached, so it appears as soon as it is integrated.
/// </remarks>
internal sealed class TileCache(TransparencyLog log, IMemoryCache memory)
{
    /// <summary>The tile's bytes, or null when the log's tree does not hold all of it.</summary>
    public async ValueTask<byte[]?> GetAsync(Tile tile, CancellationToken cancellationToken)
    {
        if (memory.TryGetValue(tile, out byte[]? cached)) return cached;
        var size = await log.SizeAsync(cancellationToken);
        var data = await log.ReadTileAsync(tile, size, cancellationToken);
        if (data is not null)
            memory.Set(tile, data, new MemoryCacheEntryOptions { Size = data.Length, Priority = tile.IsPartial ? CacheItemPriority.Low : CacheItemPriority.Normal });
        return data;
    }
}
