using System.Text.Json;
using System.Threading.Channels;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Hosting;
using Custodes.Watch.Detection;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Alerting;

/// <summary>The in-process path from <see cref="AlertNotifications"/> to this process's delivery worker.</summary>
/// <remarks>
/// While a worker runs here, what is enqueued is stored already leased to it and handed over in memory, so it is sent at once
/// without being read back; the worker is also woken for retries and for deliveries other processes enqueued (which it polls for).
/// A handed-over delivery that is not sent before its lease runs out (a crash, a stop) is claimed again from the database.
/// </remarks>
public sealed class DeliveryQueue
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<DueDelivery> _handed = Channel.CreateUnbounded<DueDelivery>();

    /// <summary>Whether a worker in this process takes deliveries from memory (set by the worker while it runs).</summary>
    public bool Accepting { get; set; }

    private volatile bool _lookInOutbox = true;

    /// <summary>Wakes the worker (a slot came free, something was handed over).</summary>
    public void Notify() => _wake.Writer.TryWrite(true);

    /// <summary>Wakes the worker to look in the outbox: something is due there that was not handed over.</summary>
    public void LookInOutbox()
    {
        _lookInOutbox = true;
        Notify();
    }

    /// <summary>Whether the outbox is worth a look before the next poll; resets the request.</summary>
    public bool TakeLookRequest()
    {
        var look = _lookInOutbox;
        _lookInOutbox = false;
        return look;
    }

    internal void HandOver(IEnumerable<DueDelivery> deliveries)
    {
        foreach (var delivery in deliveries) _handed.Writer.TryWrite(delivery);
        Notify();
    }

    public bool TryTake(out DueDelivery delivery) => _handed.Reader.TryRead(out delivery!);

    /// <summary>Waits until notified or until <paramref name="timeout"/> passes on <paramref name="clock"/> (the installation's one clock,
    /// so that a retry falls due when that clock says, and a test on a fake clock decides when that is).</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (_wake.Reader.TryRead(out _)) return;
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await _wake.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    private readonly Lock _idleGate = new();
    private readonly List<(long Asked, TaskCompletionSource Done)> _idleWaiters = [];
    private long _idleAsked;

    /// <summary>
    /// Completes once this process's worker has looked at everything enqueued before the call, sent what is due by the clock and
    /// recorded every attempt it started, and waits for the clock or for new work. Until the clock moves or something is enqueued,
    /// nothing more is sent: what has not happened by then has not happened (how tests on a fake clock show that something was
    /// not sent without waiting for it not to be). Never completes when no worker runs in this process.
    /// </summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The look is asked for before the request is counted: a worker that sees the request also sees the look.
        _lookInOutbox = true;
        lock (_idleGate) _idleWaiters.Add((++_idleAsked, done));
        Notify();
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The idle requests made so far; the worker reads it before it takes from memory and looks in the outbox.</summary>
    public long IdleRequests
    {
        get { lock (_idleGate) return _idleAsked; }
    }

    /// <summary>Called by the worker when nothing it started is unrecorded and it is about to wait: answers the requests it had
    /// seen (<paramref name="seen"/>, read at the top of the pass that found nothing to do).</summary>
    public void ReportIdle(long seen)
    {
        lock (_idleGate)
        {
            if (_idleWaiters.Count == 0) return;
            foreach (var waiter in _idleWaiters.Where(w => w.Asked <= seen)) waiter.Done.TrySetResult();
            _idleWaiters.RemoveAll(w => w.Asked <= seen);
        }
    }
}

/// <summary>The one entry point of alert delivery: puts an alert in the outbox of every channel that wants it.</summary>
/// <remarks>
/// The MSP's enabled channels get every alert at or above their minimum severity; a customer's get those that concern it, with its
/// own tenants only. Deliveries are stored (and so survive a restart) before this returns; the worker sends them.
/// </remarks>
public sealed class AlertNotifications(Installation installation, AlertingOptions options, PublicAddress address, DeliveryQueue queue, AuditTrail audit, TimeProvider clock)
{
    /// <summary>
    /// Enqueues the alert for delivery to the channels that want it and have not had it yet (an alert published again as it grows
    /// reaches only customers it newly concerns); returns the delivery ids (none when no channel wants it).
    /// </summary>
    public async Task<IReadOnlyList<Guid>> EnqueueAsync(AlertNotice notice, CancellationToken cancellationToken = default)
    {
        notice = notice with { Link = notice.Link ?? address.AlertLink(notice.AlertId) };
        var organizations = notice.CustomerOrganizationIds.Append(notice.MspOrganizationId).Distinct().ToArray();
        var severity = notice.Severity;
        await using var db = installation.OpenDb();
        var channels = await db.AlertChannels.AsNoTracking().Where(c => organizations.Contains(c.OrganizationId) && c.Enabled).ToListAsync(cancellationToken);
        // An alert reaches each channel once, however often it is published while it grows.
        var channelIds = channels.Select(c => c.Id).ToArray();
        var reached = (await db.AlertDeliveries.AsNoTracking()
            .Where(d => d.AlertId == notice.AlertId && d.Type == AlertEnvelope.Raised && d.ChannelId != null && channelIds.Contains(d.ChannelId.Value))
            .Select(d => d.ChannelId!.Value).ToListAsync(cancellationToken)).ToHashSet();
        var lease = queue.Accepting ? Guid.NewGuid() : (Guid?)null;
        var deliveries = new List<DueDelivery>(channels.Count);
        foreach (var channel in channels)
        {
            if (reached.Contains(channel.Id) || AlertChannelStore.ToChannel(channel).MinSeverity > severity) continue;
            var scoped = channel.OrganizationId == notice.MspOrganizationId ? notice : notice.ForCustomer(channel.OrganizationId);
            deliveries.Add(Add(db, channel, AlertEnvelope.Raised, scoped, lease));
        }
        if (deliveries.Count == 0) return [];
        await db.SaveChangesAsync(cancellationToken);
        if (lease is null) queue.LookInOutbox();
        else queue.HandOver(deliveries);
        return deliveries.Select(d => d.Id).ToArray();
    }

    /// <summary>Sends a sample alert to one channel of the tenant, whatever its severity filter or state (the "send test" button).</summary>
    public async Task<Guid> EnqueueTestAsync(Tenant tenant, Guid channelId, CancellationToken cancellationToken = default)
    {
        AlertChannelStore.RequireOwner(tenant);
        await using var db = installation.OpenDb();
        var channel = await AlertChannelStore.FindAsync(db, tenant, channelId, cancellationToken);
        var organization = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == tenant.OrganizationId, cancellationToken);
        var now = clock.GetUtcNow();
        var sample = new AlertNotice
        {
            AlertId = "test",
            MspOrganizationId = tenant.OrganizationId,
            MspName = organization.Name,
            Rule = RuleIds.MassExecution,
            Severity = Severity.Critical,
            Actor = "tech@msp.example",
            Tenants = ["tenant-a", "tenant-b"],
            FirstSeen = now.AddMinutes(-3),
            LastSeen = now,
            EventCount = 2,
            Summary = $"This is a test alert from Custodes for {organization.Name}: if you can read it, the channel works.",
            Link = address.AlertLink("test"),
        };
        var delivery = Add(db, channel, AlertEnvelope.Test, sample, lease: null);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "alert_channel.tested", "alert_channel", channelId.ToString(), After: new { delivery = delivery.Id }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        queue.LookInOutbox();
        return delivery.Id;
    }

    private DueDelivery Add(CustodesDb db, AlertChannelRow channel, string type, AlertNotice notice, Guid? lease)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var row = new AlertDeliveryRow
        {
            Id = id,
            ChannelId = channel.Id,
            OrganizationId = channel.OrganizationId,
            AlertId = notice.AlertId,
            Type = type,
            Payload = JsonSerializer.Serialize(new AlertEnvelope(type, id, now, notice), Common.Json.Options),
            Status = DeliveryStatus.Pending,
            CreatedAt = now.UtcDateTime,
            NextAttemptAt = now.UtcDateTime,
            LeaseToken = lease,
            LeaseUntil = lease is null ? null : now.UtcDateTime + options.Lease,
        };
        db.AlertDeliveries.Add(row);
        return new DueDelivery(id, lease ?? Guid.Empty, channel.Kind, channel.Target, channel.ProtectedSecret, type, row.Payload, 0, row.CreatedAt, row.LeaseUntil ?? row.CreatedAt);
    }
}
