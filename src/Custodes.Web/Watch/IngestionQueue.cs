using System.Threading.Channels;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;

namespace Custodes.Web.Watch;

/// <summary>Events of one MSP accepted from one request (or syslog read), with what was quarantined reading them.</summary>
public sealed record IngestItem(Guid Msp, IReadOnlyList<WatchEvent> Events, IReadOnlyList<QuarantineEntry> Quarantine);

/// <summary>The bounded queue between the receivers (HTTP, syslog) and the ingestion service: counted in events, so one
/// large request weighs what it holds. Full means "try again later" (HTTP 429), never an unbounded backlog.</summary>
public sealed class IngestionQueue(WatchOptions options)
{
    private readonly Channel<IngestItem> _channel = Channel.CreateUnbounded<IngestItem>(new UnboundedChannelOptions { SingleReader = true });
    private long _queued;

    public int Capacity => options.QueueCapacity;

    /// <summary>Events accepted and not yet stored.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    public bool IsFull => Queued >= options.QueueCapacity;

    /// <summary>Queues the item if its events fit; false when they do not (the caller answers 429).</summary>
    public bool TryEnqueue(IngestItem item)
    {
        var n = Math.Max(item.Events.Count, 1);
        var after = Interlocked.Add(ref _queued, n);
        // An item larger than the whole queue still goes through an empty queue, or it could never be accepted.
        if (after > options.QueueCapacity && after != n)
        {
            Interlocked.Add(ref _queued, -n);
            return false;
        }
        if (_channel.Writer.TryWrite(item)) return true;
        Interlocked.Add(ref _queued, -n);
        return false;
    }

    /// <summary>Waits for room (syslog has no way to say "later").</summary>
    public async Task EnqueueAsync(IngestItem item, CancellationToken cancellationToken)
    {
        while (!TryEnqueue(item)) await Task.Delay(20, cancellationToken);
    }

    internal ChannelReader<IngestItem> Reader => _channel.Reader;

    /// <summary>Called once the items' events are stored (or given up on).</summary>
    internal void Done(long events) => Interlocked.Add(ref _queued, -events);

    internal void Complete() => _channel.Writer.TryComplete();
}
