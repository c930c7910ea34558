using Custodes.Storage.Watch;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;

namespace Custodes.Web.Watch;

/// <summary>Consumes the ingestion queue: the queued items of each MSP are stored as one batch (up to <see cref="WatchOptions.MaxBatch"/>
/// events) and run through that MSP's detector, whose alerts are published; a clock tick advances quiet MSPs' detectors.</summary>
public sealed class WatchIngestionService(IngestionQueue queue, WatchPipeline pipeline, WatchOptions options, ILogger<WatchIngestionService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var ticks = TickAsync(ticker, stoppingToken);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                var groups = new Dictionary<Guid, (List<WatchEvent> Events, List<QuarantineEntry> Quarantine, long Weight)>();
                var taken = 0L;
                while (taken < options.MaxBatch && queue.Reader.TryRead(out var item))
                {
                    if (!groups.TryGetValue(item.Msp, out var group)) groups[item.Msp] = group = ([], [], 0);
                    group.Events.AddRange(item.Events);
                    group.Quarantine.AddRange(item.Quarantine);
                    var weight = Math.Max(item.Events.Count, 1);
                    groups[item.Msp] = group with { Weight = group.Weight + weight };
                    taken += weight;
                }
                foreach (var (msp, group) in groups)
                {
                    try
                    {
                        await pipeline.IngestAsync(msp, group.Events, group.Quarantine, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        log.LogError(e, "could not store {Count} watch event(s) of MSP {Msp}; they were not stored", group.Events.Count, msp);
                    }
                    finally
                    {
                        queue.Done(group.Weight);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await ticks;
    }

    private async Task TickAsync(PeriodicTimer ticker, CancellationToken stoppingToken)
    {
        try
        {
            while (await ticker.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await pipeline.TickAsync(options.QuietAfter, stoppingToken);
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
