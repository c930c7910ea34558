using Custodes.Application.Watch;

namespace Custodes.Web.Watch;

/// <summary>Runs ingestion: first stores what an earlier run accepted and did not store (the inbox's pending requests), then
/// runs the inbox's group commit and consumes the ingestion queue — the queued items of each MSP are stored as one batch (up
/// to <see cref="WatchOptions.MaxBatch"/> events) and run through that MSP's detector, whose alerts are published; a clock
/// tick advances quiet MSPs' detectors and forgets expired idempotency keys.</summary>
internal sealed class WatchIngestionService(IngestionQueue queue, WatchInbox inbox, WatchPipeline pipeline, WatchOptions options, TimeProvider clock,
    ILogger<WatchIngestionService> log) : BackgroundService
{
    private const int Attempts = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Read back before the first new request is written, so no request is both read back and queued.
        var recovered = await RecoverAsync(stoppingToken);
        if (recovered is null) return;
        var writes = queue.WriteAsync(stoppingToken);
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var ticks = TickAsync(ticker, stoppingToken);
        try
        {
            if (recovered.Count > 0)
            {
                log.LogInformation("storing {Count} watch request(s) accepted before the last stop", recovered.Count);
                for (var i = 0; i < recovered.Count; i += 64) await StoreAsync(recovered.Skip(i).Take(64), counted: false, stoppingToken);
            }
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                var taken = new List<IngestItem>();
                var weight = 0L;
                while (weight < options.MaxBatch && queue.Reader.TryRead(out var item))
                {
                    taken.Add(item);
                    weight += item.Weight;
                }
                await StoreAsync(taken, counted: true, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(writes, ticks);
    }

    // Every request accepted and not yet stored, as the inbox holds it; retried until the database answers (nothing new is
    // accepted meanwhile). Null when stopping.
    private async Task<List<IngestItem>?> RecoverAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return [.. (await inbox.PendingAsync(cancellationToken: stoppingToken)).Select(Item)];
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e)
            {
                log.LogError(e, "could not read the watch inbox (attempt {Attempt}); nothing is accepted until it can be read", attempt);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }
    }

    private static IngestItem Item(PendingRequest p) => new(p.Msp, p.Events, p.Quarantine) { InboxId = p.Id, AlreadyStored = p.StoredEvents };

    // Stores the items per MSP. A failed batch leaves its requests in the inbox (the batch's transaction did not commit): what
    // is left of them is read back and tried again, and after the last attempt left for the next start.
    private async Task StoreAsync(IEnumerable<IngestItem> items, bool counted, CancellationToken stoppingToken)
    {
        foreach (var group in items.GroupBy(i => i.Msp).ToList())
        {
            var segments = group.Select(Segment).ToList();
            try
            {
                for (var attempt = 1; segments.Count > 0; attempt++)
                {
                    try
                    {
                        using (await inbox.WriteTurnAsync(stoppingToken)) await pipeline.IngestAsync(group.Key, segments, stoppingToken);
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        if (attempt == Attempts)
                        {
                            log.LogError(e, "could not store {Count} watch request(s) of MSP {Msp}; they stay in the inbox and are stored at the next start",
                                segments.Count, group.Key);
                            break;
                        }
                        log.LogWarning(e, "could not store {Count} watch request(s) of MSP {Msp} (attempt {Attempt}); trying again", segments.Count, group.Key, attempt);
                        await Task.Delay(TimeSpan.FromSeconds(attempt), clock, stoppingToken);
                        segments = await RemainingAsync(segments, stoppingToken);
                    }
                }
            }
            finally
            {
                if (counted) queue.Done(group.Sum(i => i.Weight));
            }
        }
    }

    private static InboxSegment Segment(IngestItem item) => new(item.InboxId, item.AlreadyStored, item.Events, item.Quarantine) { Prepared = item.Prepared };

    // A failed call may have committed some of its batches: what is left is what the inbox still holds.
    private async Task<List<InboxSegment>> RemainingAsync(List<InboxSegment> segments, CancellationToken stoppingToken)
    {
        var pending = await inbox.PendingAsync([.. segments.Select(s => s.InboxId)], stoppingToken);
        return [.. pending.Select(p => Segment(Item(p)))];
    }

    private async Task TickAsync(PeriodicTimer ticker, CancellationToken stoppingToken)
    {
        var pruned = clock.GetTimestamp();
        try
        {
            while (await ticker.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await pipeline.TickAsync(options.QuietAfter, stoppingToken);
                    if (clock.GetElapsedTime(pruned) >= TimeSpan.FromMinutes(1))
                    {
                        pruned = clock.GetTimestamp();
                        await inbox.PruneAsync(clock.GetUtcNow() - options.IdempotencyKeyRetention, stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "watch detection clock tick failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
