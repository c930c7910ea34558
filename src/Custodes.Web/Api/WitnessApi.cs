using Custodes.Application.Witness;
using Custodes.Transparency;

namespace Custodes.Web.Api;

/// <summary><c>/witness</c>: this installation as a C2SP tlog-witness (contracts §12), for the logs it was told to witness.</summary>
internal static class WitnessApi
{
    public static IEndpointRouteBuilder MapWitnessApi(this IEndpointRouteBuilder app)
    {
        // A plain request delegate: the body is read raw, and the answers are the spec's, not ProblemDetails.
        app.MapPost("/witness/add-checkpoint", (RequestDelegate)AddCheckpointAsync).WithName("WitnessAddCheckpoint").WithTags("Witness")
            .WithSummary("Cosign a log's checkpoint that is consistent with the last one this witness cosigned (C2SP tlog-witness)");
        return app;
    }

    private static async Task AddCheckpointAsync(HttpContext context)
    {
        var witness = context.RequestServices.GetRequiredService<CheckpointWitness>();
        WitnessAnswer answer;
        if (witness.Verifier is null) answer = new WitnessAnswer(404, "this installation is not a witness\n");
        else if (context.Request.ContentLength > AddCheckpointRequest.MaxBodyBytes) answer = new WitnessAnswer(413, "the request is too large\n");
        else
        {
            var body = await ReadAsync(context.Request, context.RequestAborted);
            answer = body is null
                ? new WitnessAnswer(413, "the request is too large\n")
                : await witness.AddCheckpointAsync(body, context.RequestAborted);
        }
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    private static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > AddCheckpointRequest.MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

/// <summary>Runs the <see cref="CosignatureCollector"/> for as long as the server runs.</summary>
internal sealed class CosignatureCollection(CosignatureCollector collector) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => collector.RunAsync(stoppingToken);
}
