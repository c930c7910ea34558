using Custodes.Application.Watch;

namespace Custodes.Web.Watch;

/// <summary>The watch services: stores, the per-MSP event log, the alert publisher (with every registered
/// <see cref="IAlertSink"/>), the inbox (write-ahead table), the ingestion queue and pipeline, and the hosted ingestion service and syslog listener.</summary>
public static class WatchServices
{
    public static IServiceCollection AddCustodesWatch(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(WatchOptions.Section).Get<WatchOptions>() ?? new WatchOptions();
        services.AddSingleton(options);
        services.AddSingleton<WatchMspStore>();
        services.AddSingleton<WatchConsentStore>();
        services.AddSingleton<AlertStore>();
        services.AddSingleton<WatchLog>();
        services.AddSingleton(sp => new AlertPublisher(sp.GetRequiredService<AlertStore>(), sp.GetServices<IAlertSink>(),
            (sink, e) => sp.GetRequiredService<ILogger<AlertPublisher>>().LogError(e, "alert sink {Sink} failed", sink.GetType().Name)));
        services.AddSingleton(sp => new WatchPipeline(sp.GetRequiredService<WatchLog>(), sp.GetRequiredService<WatchMspStore>(),
            sp.GetRequiredService<AlertPublisher>(), sp.GetRequiredService<TimeProvider>(), options.MaxDetectors));
        services.AddSingleton<WatchInbox>();
        services.AddSingleton<IngestionQueue>();
        services.AddHostedService<WatchIngestionService>();
        services.AddSingleton<SyslogListener>();
        services.AddHostedService(sp => sp.GetRequiredService<SyslogListener>());
        return services;
    }
}
