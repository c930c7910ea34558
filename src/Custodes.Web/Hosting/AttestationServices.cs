using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Transparency;
using Custodes.Web.Api;
using Custodes.Web.Letters;

namespace Custodes.Web.Hosting;

/// <summary>The attestation services: signing keys, the transparency log and its tile cache, letters.</summary>
public static class AttestationServices
{
    /// <summary>Bytes of full tiles kept in memory.</summary>
    public const long TileCacheBytes = 64L * 1024 * 1024;

    public static IServiceCollection AddCustodesAttestation(this IServiceCollection services, IConfiguration configuration)
    {
        var log = new LogOptions();
        configuration.GetSection(LogOptions.Section).Bind(log);
        services.AddSingleton(log);
        services.AddSingleton<ISigningKeyProvider, FileSigningKeyProvider>(_ => new FileSigningKeyProvider());
        services.AddSingleton<LogKeys>();
        services.AddSingleton<TransparencyLog>();
        services.AddSingleton<SigningKeyRegistry>();
        services.AddSingleton<LetterStore>();
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
