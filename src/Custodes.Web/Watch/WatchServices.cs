using Custodes.Application.Watch;

namespace Custodes.Web.Watch;

/// <summary>The web's watch services: the ingestion queue in front of the pipeline, the hosted ingestion service and the syslog listener
/// (stores, the event log, the inbox, the alert publisher and the pipeline come from AddCustodesApplication).</summary>
internal static class WatchServices
{
    public static IServiceCollection AddCustodesWatch(this IServiceCollection services)
    {
        services.AddSingleton<IngestionQueue>();
        services.AddHostedService<WatchIngestionService>();
        services.AddSingleton<SyslogListener>();
        services.AddHostedService(sp => sp.GetRequiredService<SyslogListener>());
        return services;
    }
}
