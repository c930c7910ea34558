using System.Collections.Concurrent;
using System.Security.Cryptography;
using Custodes.Storage.Alerting;

namespace Custodes.Web.Alerting;

/// <summary>Delivers the outbox: claims due deliveries, sends them (a few at a time), records each attempt and its follow-up.</summary>
/// <remarks>
/// Woken at once by <see cref="AlertNotifications"/> in this process; polls for deliveries enqueued elsewhere and for retries
/// falling due. A delivery cut off by a shutdown is attempted again after its lease runs out, so a receiver may see one twice:
/// the <c>Custodes-Delivery</c> id is how it tells (docs/alerting.md).
/// </remarks>
public sealed class DeliveryWorker(
    AlertOutbox outbox, DeliverySignal signal, AlertingOptions options, WebhookSender webhooks, EmailSender email, ISecretProtector secrets,
    TimeProvider clock, ILogger<DeliveryWorker> log) : BackgroundService
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(20);
    private readonly ConcurrentDictionary<Guid, Task> _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var free = options.Concurrency - _running.Count;
                if (free > 0)
                {
                    var due = await outbox.ClaimDueAsync(free, stoppingToken);
                    foreach (var delivery in due) Start(delivery, stoppingToken);
                    if (due.Count == free) continue;
                }
                var wait = options.PollInterval;
                if (free > 0 && await outbox.NextDueAsync(stoppingToken) is { } next)
                {
                    var until = next - clock.GetUtcNow().UtcDateTime;
                    if (until < wait) wait = until < MinimumWait ? MinimumWait : until;
                }
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "alert delivery: cannot read the outbox; trying again in {Wait}", options.PollInterval);
                await Task.Delay(options.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        await Task.WhenAll(_running.Values);
    }

    private void Start(DueDelivery delivery, CancellationToken stoppingToken)
    {
        _running[delivery.Id] = Task.Run(async () =>
        {
            try
            {
                await DeliverAsync(delivery, stoppingToken);
            }
            finally
            {
                _running.TryRemove(delivery.Id, out _);
                signal.Notify();
            }
        }, CancellationToken.None);
    }

    private async Task DeliverAsync(DueDelivery delivery, CancellationToken stoppingToken)
    {
        var startedAt = clock.GetUtcNow().UtcDateTime;
        AttemptResult result;
        try
        {
            result = delivery.Kind == AlertChannelKinds.Webhook
                ? await webhooks.SendAsync(delivery.Id, delivery.Target, Secret(delivery), delivery.Payload, options.AttemptTimeout, stoppingToken)
                : await email.SendAsync(delivery.Payload, delivery.Target, options.AttemptTimeout, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // the lease runs out and the delivery is attempted again
        }
        catch (CryptographicException e)
        {
            result = new AttemptResult(false, null, TimeSpan.Zero,
                $"the webhook secret cannot be decrypted ({e.Message}): the installation's data-protection keys changed; rotate the secret", Permanent: true);
        }
        catch (Exception e)
        {
            log.LogError(e, "alert delivery {Delivery} failed unexpectedly", delivery.Id);
            result = new AttemptResult(false, null, clock.GetUtcNow().UtcDateTime - startedAt, $"internal error: {e.Message}");
        }
        try
        {
            // Recorded even while shutting down: the receiver may already have it.
            using var record = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var status = await outbox.RecordAttemptAsync(delivery, startedAt, result, record.Token);
            if (status == DeliveryStatus.Failed) log.LogWarning("alert delivery {Delivery} to {Target} given up after {Attempts} attempts: {Error}", delivery.Id, delivery.Target, delivery.Attempts + 1, result.Error);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "alert delivery {Delivery}: the attempt could not be recorded; it is attempted again when its lease runs out", delivery.Id);
        }
    }

    private string Secret(DueDelivery delivery) =>
        secrets.Unprotect(delivery.ProtectedSecret ?? throw new CryptographicException("the webhook has no secret"));
}
