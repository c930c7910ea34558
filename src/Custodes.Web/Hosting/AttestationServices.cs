using Custodes.Application.Transparency;
using Custodes.Web.Api;
using Custodes.Web.Letters;

namespace Custodes.Web.Hosting;

/// <summary>The web's attestation services: the letter check and the transparency log's tile cache.</summary>
public static class AttestationServices
{
    /// <summary>Bytes of full tiles kept in memory.</summary>
    public const long TileCacheBytes = 64L * 1024 * 1024;

    /// <summary>The web's part: letter checks and the tile cache (keys, the log and letters come from AddCustodesApplication).</summary>
    public static IServiceCollection AddCustodesAttestation(this IServiceCollection services)
    {
        services.AddSingleton<LetterCheck>();
        // Engagements (docs/engagements.md): the firm's key is held encrypted under Custodes:Keys:EncryptionKey, read when a letter is issued.
        var firmKeys = new FirmKeyOptions();
        configuration.GetSection(FirmKeyOptions.Section).Bind(firmKeys);
        services.AddSingleton(firmKeys);
        services.AddSingleton<FirmKeys>();
        services.AddSingleton<IssueLetter>();
        services.AddSingleton<Application.Engagements.EngagementQueries>();
        services.AddSingleton<Application.Engagements.RequestEngagement>();
        services.AddSingleton<Application.Engagements.AcceptEngagement>();
        services.AddSingleton<Application.Engagements.DeclineEngagement>();
        services.AddSingleton<Application.Engagements.AdvanceEngagement>();
        services.AddSingleton<Application.Engagements.SignOffQuality>();
        services.AddSingleton<Application.Engagements.IssueEngagementLetter>();
        services.AddSingleton(_ => new TileCache(_.GetRequiredService<TransparencyLog>(),
            new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions { SizeLimit = TileCacheBytes })));
        return services;
    }
}
