using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Custodes.Application.Alerting;
using Custodes.Application.Hosting;
using Custodes.Application.Trust;
using Custodes.Web.Trust;
using MimeKit;

namespace Custodes.Web.Alerting;

/// <summary>Delivers the outbox: claims due deliveries, sends them (a few at a time), records each attempt and its follow-up.</summary>
/// <remarks>Attempts are recorded by one writer, in batches of whatever finished meanwhile: one commit for many (SQLite writes one at a time).</remarks>
/// <remarks>
/// Woken at once by <see cref="AlertNotifications"/> in this process; polls for deliveries enqueued elsewhere and for retries
/// falling due. A delivery cut off by a shutdown is attempted again after its lease runs out, so a receiver may see one twice:
/// the <c>Custodes-Delivery</c> id is how it tells (docs/alerting.md).
/// </remarks>
internal sealed class DeliveryWorker(
    AlertOutbox outbox, DeliveryQueue queue, AlertingOptions options, WebhookSender webhooks, EmailSender email, ISecretProtector secrets,
    PublicAddress address, TimeProvider clock, ILogger<DeliveryWorker> log) : BackgroundService
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(20);
    private const int RecordBatch = 256;
    private readonly ConcurrentDictionary<Guid, Task> _running = new();
    // Started and not yet recorded (or given back at shutdown): while any is, the worker is not idle (DeliveryQueue.WhenIdleAsync).
    private int _unrecorded;
    private readonly Channel<FinishedAttempt> _finished = Channel.CreateUnbounded<FinishedAttempt>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var recorder = Task.Run(RecordAsync, CancellationToken.None);
        queue.Accepting = true;
        var nextLook = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var idleRequests = queue.IdleRequests;
                var free = options.Concurrency - _running.Count;
                while (free > 0 && queue.TryTake(out var handed))
                {
                    // Too close to the end of its lease to be sent and recorded in time: the database path takes it when the lease runs out.
                    if (handed.LeaseUntil - clock.GetUtcNow().UtcDateTime < options.AttemptTimeout + TimeSpan.FromSeconds(5)) continue;
                    Start(handed, stoppingToken);
                    free--;
                }
                var now = clock.GetUtcNow().UtcDateTime;
                if (free > 0 && (queue.TakeLookRequest() || now >= nextLook))
                {
                    var due = await outbox.ClaimDueAsync(free, stoppingToken);
                    foreach (var delivery in due) Start(delivery, stoppingToken);
                    if (due.Count == free)
                    {
                        queue.LookInOutbox();
                        continue;
                    }
                    nextLook = now + options.PollInterval;
                    if (await outbox.NextDueAsync(stoppingToken) is { } next && next < nextLook) nextLook = next < now + MinimumWait ? now + MinimumWait : next;
                }
                var wait = nextLook - clock.GetUtcNow().UtcDateTime;
                if (_running.IsEmpty && Volatile.Read(ref _unrecorded) == 0) queue.ReportIdle(idleRequests);
                await queue.WaitAsync(wait < MinimumWait ? MinimumWait : wait, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "alert delivery: cannot read the outbox; trying again in {Wait}", options.PollInterval);
                nextLook = clock.GetUtcNow().UtcDateTime + options.PollInterval;
                await Task.Delay(options.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        queue.Accepting = false;
        await Task.WhenAll(_running.Values);
        _finished.Writer.Complete();
        await recorder;
    }

    // Recorded even while shutting down: the receiver may already have it.
    private async Task RecordAsync()
    {
        var batch = new List<FinishedAttempt>(RecordBatch);
        while (await _finished.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var retried = false;
            while (batch.Count < RecordBatch && _finished.Reader.TryRead(out var attempt)) batch.Add(attempt);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var statuses = await outbox.RecordAttemptsAsync(batch, timeout.Token);
                retried = statuses.Contains(DeliveryStatus.Pending);
                for (var i = 0; i < batch.Count; i++)
                    if (statuses[i] == DeliveryStatus.Failed)
                        log.LogWarning("alert delivery {Delivery} to {Target} given up after {Attempts} attempts: {Error}",
                            batch[i].Delivery.Id, batch[i].Delivery.Target, batch[i].Delivery.Attempts + 1, batch[i].Result.Error);
            }
            catch (Exception e)
            {
                log.LogWarning(e, "alert delivery: {Count} attempts could not be recorded; they are attempted again when their leases run out", batch.Count);
                retried = true;
            }
            // Counted down before the wake-up, so that the pass it causes sees the worker idle if it is.
            Interlocked.Add(ref _unrecorded, -batch.Count);
            // A retry was scheduled: it may fall due before the next poll.
            if (retried) queue.LookInOutbox();
            else queue.Notify();
        }
    }

    private void Start(DueDelivery delivery, CancellationToken stoppingToken)
    {
        Interlocked.Increment(ref _unrecorded);
        _running[delivery.Id] = Task.Run(async () =>
        {
            try
            {
                await DeliverAsync(delivery, stoppingToken);
            }
            finally
            {
                _running.TryRemove(delivery.Id, out _);
                queue.Notify();
            }
        }, CancellationToken.None);
    }

    private async Task DeliverAsync(DueDelivery delivery, CancellationToken stoppingToken)
    {
        var startedAt = clock.GetUtcNow().UtcDateTime;
        AttemptResult result;
        try
        {
            if (delivery.Type == TrustNotices.Type)
            {
                // A trust notice gets its links and the subscriber's own unsubscribe URL now: the outbox holds neither.
                var body = TrustNotices.Complete(delivery.Payload, address.Base,
                    secrets.Unprotect(delivery.ProtectedUnsubscribe ?? throw new CryptographicException("the subscription has no unsubscribe token")));
                result = delivery.Kind == AlertChannelKinds.Webhook
                    ? await webhooks.SendAsync(delivery.Id, delivery.Target, Secret(delivery), body, options.AttemptTimeout, stoppingToken)
                    : await email.SendAsync(from => TrustNoticeEmail.Compose(TrustNotices.Sent.Read(body), from, new MailboxAddress(null, delivery.Target)),
                        options.AttemptTimeout, stoppingToken);
            }
            else
                result = delivery.Kind == AlertChannelKinds.Webhook
                    ? await webhooks.SendAsync(delivery.Id, delivery.Target, Secret(delivery), delivery.Payload, options.AttemptTimeout, stoppingToken)
                    : await email.SendAsync(delivery.Payload, delivery.Target, options.AttemptTimeout, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Interlocked.Decrement(ref _unrecorded);
            return; // the lease runs out and the delivery is attempted again
        }
        catch (CryptographicException e)
        {
            result = new AttemptResult(false, null, TimeSpan.Zero,
                $"a secret cannot be decrypted ({e.Message}): the installation's data-protection keys changed; rotate the secret (or subscribe again)", Permanent: true);
        }
        catch (Exception e)
        {
            log.LogError(e, "alert delivery {Delivery} failed unexpectedly", delivery.Id);
            result = new AttemptResult(false, null, clock.GetUtcNow().UtcDateTime - startedAt, $"internal error: {e.Message}");
        }
        _finished.Writer.TryWrite(new FinishedAttempt(delivery, startedAt, result));
    }

    private string Secret(DueDelivery delivery) =>
        secrets.Unprotect(delivery.ProtectedSecret ?? throw new CryptographicException("the webhook has no secret"));
}
