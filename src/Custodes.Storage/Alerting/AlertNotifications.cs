using System.Text.Json;
using System.Threading.Channels;
using Custodes.Storage.Audit;
using Custodes.Storage.Database;
using Custodes.Watch.Detection;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Storage.Alerting;

/// <summary>Wakes the delivery worker when something was enqueued in this process (others are found by polling).</summary>
public sealed class DeliverySignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _wake.Writer.TryWrite(true);

    /// <summary>Waits until notified or until <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_wake.Reader.TryRead(out _)) return;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>The one entry point of alert delivery: puts an alert in the outbox of every channel that wants it.</summary>
/// <remarks>
/// The MSP's enabled channels get every alert at or above their minimum severity; a customer's get those that concern it, with its
/// own tenants only. Deliveries are stored (and so survive a restart) before this returns; the worker sends them.
/// </remarks>
public sealed class AlertNotifications(Installation installation, AlertingOptions options, DeliverySignal signal, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Enqueues the alert for delivery; returns the delivery ids (none when no channel wants it).</summary>
    public async Task<IReadOnlyList<Guid>> EnqueueAsync(AlertNotice notice, CancellationToken cancellationToken = default)
    {
        notice = notice with { Link = notice.Link ?? options.AlertLink(notice.AlertId) };
        var organizations = notice.CustomerOrganizationIds.Append(notice.MspOrganizationId).Distinct().ToArray();
        var severity = notice.Severity;
        await using var db = installation.OpenDb();
        var channels = await db.AlertChannels.AsNoTracking().Where(c => organizations.Contains(c.OrganizationId) && c.Enabled).ToListAsync(cancellationToken);
        var deliveries = new List<Guid>(channels.Count);
        foreach (var channel in channels)
        {
            if (AlertChannelStore.ToChannel(channel).MinSeverity > severity) continue;
            var scoped = channel.OrganizationId == notice.MspOrganizationId ? notice : notice.ForCustomer(channel.OrganizationId);
            deliveries.Add(Add(db, channel, AlertEnvelope.Raised, scoped));
        }
        if (deliveries.Count == 0) return deliveries;
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return deliveries;
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
            Link = options.AlertLink("test"),
        };
        var id = Add(db, channel, AlertEnvelope.Test, sample);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "alert_channel.tested", "alert_channel", channelId.ToString(), After: new { delivery = id }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        signal.Notify();
        return id;
    }

    private Guid Add(CustodesDb db, AlertChannelRow channel, string type, AlertNotice notice)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        db.AlertDeliveries.Add(new AlertDeliveryRow
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
        });
        return id;
    }
}
