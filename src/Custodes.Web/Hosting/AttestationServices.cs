using Custodes.Application.Transparency;
using Custodes.Application.Witness;
using Custodes.Web.Api;
using Custodes.Web.Letters;

namespace Custodes.Web.Hosting;

/// <summary>The web's attestation services: the letter check and the transparency log's tile cache.</summary>
internal static class AttestationServices
{
    /// <summary>Bytes of full tiles kept in memory.</summary>
    public const long TileCacheBytes = 64L * 1024 * 1024;

    /// <summary>The web's part: letter checks and the tile cache (keys, the log and letters come from AddCustodesApplication).</summary>
    public static IServiceCollection AddCustodesAttestation(this IServiceCollection services)
    {
        services.AddSingleton<LetterCheck>();
        services.AddSingleton(_ => new TileCache(_.GetRequiredService<TransparencyLog>(),
            new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions { SizeLimit = TileCacheBytes })));
        // The server's part of the witnessed log (contracts §12): asking the configured witnesses for cosignatures after each append.
        services.AddHttpClient(nameof(CosignatureCollector));
        services.AddSingleton(sp => new CosignatureCollector(sp.GetRequiredService<TransparencyLog>(), sp.GetRequiredService<LogWitnesses>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(CosignatureCollector)), sp.GetRequiredService<CosignatureCollectorOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<CosignatureCollection>();
        return services;
    }
}
