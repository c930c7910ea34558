using Custodes.Application.Database;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Alerting;

/// <summary>The states of a delivery.</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Retry = "retry";
}

/// <summary>A delivery claimed by a worker: what to send, where, and with which (encrypted) secret.</summary>
/// <param name="ProtectedUnsubscribe">For a trust notice: the subscription's unsubscribe token, encrypted; the worker writes the link
/// into the notice as it sends it, so the outbox never holds the token in the clear.</param>
public sealed record DueDelivery(Guid Id, Guid LeaseToken, string Kind, string Target, string? ProtectedSecret, string Type, string Payload, int Attempts, DateTime CreatedAt, DateTime LeaseUntil,
    string? ProtectedUnsubscribe = null);

/// <summary>An attempt made, to be recorded: the delivery as claimed, when the attempt started, and what came of it.</summary>
public sealed record FinishedAttempt(DueDelivery Delivery, DateTime StartedAt, AttemptResult Result);

/// <summary>One attempt, as listed on the settings page and by the API.</summary>
public sealed record DeliveryAttempt(int Number, DateTime At, int DurationMs, int? StatusCode, string Outcome, string? Error);

/// <summary>One delivery with its attempts.</summary>
public sealed record Delivery(Guid Id, Guid ChannelId, string AlertId, string Type, string Status, int Attempts, DateTime CreatedAt, DateTime? NextAttemptAt, DateTime? CompletedAt, string? LastError,
    IReadOnlyList<DeliveryAttempt> AttemptLog);

/// <summary>The stored outbox of deliveries: claimed under a lease (one attempt at a time across processes), every attempt recorded.</summary>
public sealed class AlertOutbox(Installation installation, AlertingOptions options, TimeProvider clock)
{
    /// <summary>Claims up to <paramref name="max"/> deliveries that are due and not held by another worker.</summary>
    public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(int max, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid();
        var leaseUntil = now + options.Lease;
        await using var db = installation.OpenDb();
        var candidates = await db.AlertDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(max).ToListAsync(cancellationToken);
        if (candidates.Count == 0) return [];
        // The conditions are repeated so that a row another worker claimed in between is left to it.
        await db.AlertDeliveries
            .Where(d => candidates.Contains(d.Id) && d.Status == DeliveryStatus.Pending && (d.LeaseUntil == null || d.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseToken, token).SetProperty(d => d.LeaseUntil, leaseUntil), cancellationToken);
        // A delivery goes to an alert channel or to a trust-page subscription: the one it has says where and how.
        var claimed = await (
            from d in db.AlertDeliveries
            where d.LeaseToken == token
            from c in db.AlertChannels.Where(c => c.Id == d.ChannelId).DefaultIfEmpty()
            from s in db.TrustSubscriptions.Where(s => s.Id == d.SubscriptionId).DefaultIfEmpty()
            orderby d.NextAttemptAt
            select new
            {
                d.Id, d.Type, d.Payload, d.Attempts, d.CreatedAt,
                ChannelKind = c == null ? null : c.Kind, ChannelTarget = c == null ? null : c.Target, ChannelSecret = c == null ? null : c.ProtectedSecret,
                SubscriptionKind = s == null ? null : s.Kind, SubscriptionTarget = s == null ? null : s.Target, SubscriptionSecret = s == null ? null : s.ProtectedSecret,
                Unsubscribe = s == null ? null : s.ProtectedUnsubscribe,
            }).AsNoTracking().ToListAsync(cancellationToken);
        return claimed.Where(d => d.ChannelKind is not null || d.SubscriptionKind is not null)
            .Select(d => d.ChannelKind is not null
                ? new DueDelivery(d.Id, token, d.ChannelKind, d.ChannelTarget!, d.ChannelSecret, d.Type, d.Payload, d.Attempts, d.CreatedAt, leaseUntil)
                : new DueDelivery(d.Id, token, d.SubscriptionKind!, d.SubscriptionTarget!, d.SubscriptionSecret, d.Type, d.Payload, d.Attempts, d.CreatedAt, leaseUntil, d.Unsubscribe))
            .ToArray();
    }

    /// <summary>Records attempts and decides what follows each: delivered, retried later, or given up.</summary>
    /// <remarks>One transaction for the lot: on SQLite every commit is a write to disk, and a busy worker records many attempts at once.</remarks>
    /// <returns>Each delivery's new status, in order.</returns>
    public async Task<IReadOnlyList<string>> RecordAttemptsAsync(IReadOnlyList<FinishedAttempt> finished, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var statuses = new string[finished.Count];
        await using var db = installation.OpenDb();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        for (var i = 0; i < finished.Count; i++)
        {
            var (delivery, startedAt, result) = finished[i];
            var number = delivery.Attempts + 1;
            var next = RetrySchedule.Next(options, result, number, delivery.CreatedAt, now, Random.Shared.NextDouble());
            var status = result.Delivered ? DeliveryStatus.Delivered : next is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
            var error = result.Error is null ? null : result.Error.Length > 2000 ? result.Error[..2000] : result.Error;
            var updated = await db.AlertDeliveries.Where(d => d.Id == delivery.Id && d.LeaseToken == delivery.LeaseToken)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Attempts, number)
                    .SetProperty(d => d.Status, status)
                    .SetProperty(d => d.NextAttemptAt, next ?? now)
                    .SetProperty(d => d.LeaseToken, (Guid?)null)
                    .SetProperty(d => d.LeaseUntil, (DateTime?)null)
                    .SetProperty(d => d.CompletedAt, status == DeliveryStatus.Pending ? null : now)
                    .SetProperty(d => d.LastError, result.Delivered ? null : error), cancellationToken);
            // The lease ran out and another worker took the delivery over (or its channel was deleted): its record wins.
            if (updated == 0)
            {
                statuses[i] = DeliveryStatus.Pending;
                continue;
            }
            statuses[i] = status;
            db.AlertAttempts.Add(new AlertAttemptRow
            {
                DeliveryId = delivery.Id,
                Number = number,
                At = startedAt,
                DurationMs = (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds),
                StatusCode = result.StatusCode,
                Outcome = result.Delivered ? DeliveryStatus.Delivered : status == DeliveryStatus.Failed ? DeliveryStatus.Failed : DeliveryStatus.Retry,
                Error = error,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return statuses;
    }

    /// <summary>When the earliest pending delivery falls due (null when none is pending).</summary>
    public async Task<DateTime?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        return await db.AlertDeliveries.Where(d => d.Status == DeliveryStatus.Pending)
            .Select(d => (DateTime?)(d.LeaseUntil != null && d.LeaseUntil > d.NextAttemptAt ? d.LeaseUntil : d.NextAttemptAt)).MinAsync(cancellationToken);
    }

    /// <summary>The latest deliveries to one of the tenant's channels, newest first, with every attempt.</summary>
    public async Task<IReadOnlyList<Delivery>> ListAsync(Tenant tenant, Guid channelId, int limit = 20, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        await AlertChannelStore.FindAsync(db, tenant, channelId, cancellationToken);
        var rows = await db.AlertDeliveries.AsNoTracking().Where(d => d.ChannelId == channelId && d.OrganizationId == tenant.OrganizationId)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(Math.Clamp(limit, 1, 200)).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToArray();
        var attempts = (await db.AlertAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(cancellationToken))
            .ToLookup(a => a.DeliveryId);
        return rows.Select(r => new Delivery(r.Id, channelId, r.AlertId, r.Type, r.Status, r.Attempts, r.CreatedAt,
            r.Status == DeliveryStatus.Pending ? r.NextAttemptAt : null, r.CompletedAt, r.LastError,
            attempts[r.Id].OrderBy(a => a.Number).Select(a => new DeliveryAttempt(a.Number, a.At, a.DurationMs, a.StatusCode, a.Outcome, a.Error)).ToArray())).ToArray();
    }
}
