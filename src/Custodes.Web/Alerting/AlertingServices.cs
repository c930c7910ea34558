using Custodes.Application.Alerting;
using Custodes.Application.Hosting;

namespace Custodes.Web.Alerting;

/// <summary>The web's part of alert delivery: SMTP settings, the secret protector, the senders and the worker (the outbox and the
/// entry point come from AddCustodesApplication).</summary>
internal static class AlertingServices
{
    public static IServiceCollection AddCustodesAlerting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddConfiguredOptions<SmtpOptions, SmtpOptionsValidator>(SmtpOptions.Section);
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<EmailSender>();
        // Whether this server runs the worker decides what is registered, so it is read here, through the same binding and checks.
        if (configuration.ReadConfiguredOptions<AlertingOptions, AlertingOptionsValidator>(AlertingOptions.Section).Worker) services.AddHostedService<DeliveryWorker>();
        return services;
    }
}
