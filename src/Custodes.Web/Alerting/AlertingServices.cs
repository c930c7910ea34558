using Custodes.Application.Alerting;

namespace Custodes.Web.Alerting;

/// <summary>Alert delivery's wiring: options, channel store, outbox, the entry point and the worker.</summary>
public static class AlertingServices
{
    public static IServiceCollection AddCustodesAlerting(this IServiceCollection services, IConfiguration configuration)
    {
        var alerting = configuration.GetSection(AlertingOptions.Section).Get<AlertingOptions>() ?? new AlertingOptions();
        var smtp = configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>() ?? new SmtpOptions();
        Validate(alerting, smtp);
        services.AddSingleton(alerting);
        services.AddSingleton(smtp);
        services.AddSingleton<DeliveryQueue>();
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton(sp => new AlertChannelStore(sp.GetRequiredService<Custodes.Application.Installation>(), sp.GetRequiredService<Custodes.Application.Audit.AuditTrail>(),
            sp.GetRequiredService<ISecretProtector>(), sp.GetRequiredService<TimeProvider>()) { AllowHttpWebhooks = alerting.AllowHttpWebhooks });
        services.AddSingleton<AlertOutbox>();
        services.AddSingleton<AlertNotifications>();
        services.AddSingleton<Custodes.Application.Watch.IAlertSink, DeliverAlerts>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<EmailSender>();
        if (alerting.Worker) services.AddHostedService<DeliveryWorker>();
        return services;
    }

    private static void Validate(AlertingOptions alerting, SmtpOptions smtp)
    {
        static void Require(bool ok, string setting, string why)
        {
            if (!ok) throw new InvalidOperationException($"configuration {setting}: {why}");
        }
        var section = AlertingOptions.Section;
        Require(Uri.TryCreate(alerting.PublicUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps),
            $"{section}:PublicUrl", $"'{alerting.PublicUrl}' is not an absolute http(s) URL");
        Require(alerting.MaxAttempts >= 1, $"{section}:MaxAttempts", "must be at least 1");
        Require(alerting.Concurrency >= 1, $"{section}:Concurrency", "must be at least 1");
        Require(alerting.FirstRetryDelay > TimeSpan.Zero && alerting.MaxRetryDelay >= alerting.FirstRetryDelay, $"{section}:FirstRetryDelay",
            "must be positive and at most MaxRetryDelay");
        Require(alerting.AttemptTimeout > TimeSpan.Zero && alerting.PollInterval > TimeSpan.Zero && alerting.MaxAge > TimeSpan.Zero,
            section, "AttemptTimeout, PollInterval and MaxAge must be positive");
        Require(smtp.Port is > 0 and < 65536, $"{SmtpOptions.Section}:Port", $"{smtp.Port} is not a TCP port");
        Require(smtp.Security.ToLowerInvariant() is "starttls" or "tls" or "auto" or "none", $"{SmtpOptions.Section}:Security",
            $"'{smtp.Security}' is not one of starttls, tls, auto, none");
    }
}
