using System.Threading.Channels;
using Custodes.Application.Watch;
using Custodes.Common;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;

namespace Custodes.Web.Watch;

/// <summary>Events of one MSP accepted from one request (or syslog read), with what was quarantined reading them; once
/// durable, the inbox row that holds them and how many of its events an earlier run already stored.</summary>
internal sealed record IngestItem(Guid Msp, IReadOnlyList<WatchEvent> Events, IReadOnlyList<QuarantineEntry> Quarantine)
{
    public long InboxId { get; init; }
    public int AlreadyStored { get; init; }
    /// <summary>The rows and hashes made on the receiver's thread (null when read back from the inbox).</summary>
    public PreparedEvents? Prepared { get; init; }

    internal long Weight => Math.Max(Events.Count, 1);
}

/// <summary>
/// Between the receivers (HTTP, syslog) and the ingestion service. A request is first made durable in the inbox
/// (<see cref="WatchInbox"/>) — the requests that arrive while one commit runs are written together in the next (group
/// commit) — and only then acknowledged and queued in memory for storage in the MSP's log. Bounded, counted in events, so
/// one large request weighs what it holds: full means "try again later" (HTTP 429), never an unbounded backlog.
/// </summary>
internal sealed class IngestionQueue(WatchOptions options, WatchInbox inbox, ILogger<IngestionQueue> log)
{
    // Requests per commit at most: a group's transaction stays short, and its payloads bounded.
    private const int MaxGroup = 256;

    private readonly Channel<IngestItem> _channel = Channel.CreateUnbounded<IngestItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Write> _writes = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private long _queued;

    public int Capacity => options.QueueCapacity;

    /// <summary>Events accepted and not yet stored in their MSP's log.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    public bool IsFull => Queued >= options.QueueCapacity;

    /// <summary>Makes the item durable and queues it, if its events fit: null when they do not (the caller answers 429).
    /// With an idempotency key, a request already accepted under it is not written again: its first answer comes back
    /// (<see cref="InboxOutcome.Replayed"/>), or <see cref="InboxOutcome.KeyReused"/> when the request differs.
    /// <paramref name="answer"/> makes the answer to keep for the key from the number of events queued.</summary>
    /// <exception cref="EnvironmentFailureException">The inbox could not be written: nothing was accepted.</exception>
    public async Task<InboxReceipt?> TryAcceptAsync(IngestItem item, string? idempotencyKey = null, byte[]? fingerprint = null, Func<long, string>? answer = null)
    {
        var weight = item.Weight;
        if (!TryReserve(weight)) return null;
        Write write;
        try
        {
            // The serializing, hashing and compressing happen here, on the receivers' threads, not on the one writer's.
            var (payload, prepared) = WatchInbox.Prepare(item.Events);
            var request = new InboxRequest(item.Msp, item.Events.Count, payload, item.Quarantine, idempotencyKey, fingerprint, answer?.Invoke(Queued));
            write = new Write(request, item with { Prepared = prepared });
            if (!_writes.Writer.TryWrite(write)) throw new EnvironmentFailureException("the server is stopping; nothing was accepted, send the events again");
        }
        catch
        {
            Release(weight);
            throw;
        }
        // Not cancellable: once written, the item is queued whatever became of the request; the writer always answers.
        InboxReceipt receipt;
        try
        {
            receipt = await write.Done.Task;
        }
        catch (Exception e) when (e is not EnvironmentFailureException)
        {
            Release(weight);
            throw new EnvironmentFailureException("the events could not be written to the database; nothing was accepted, send them again", e);
        }
        catch
        {
            Release(weight);
            throw;
        }
        if (receipt.Outcome != InboxOutcome.Accepted || !write.Queued) Release(weight);
        return receipt;
    }

    /// <summary>Makes the item durable and queues it, waiting for room and for the database (syslog has no way to say
    /// "later": the sender waits, as TCP makes it, while the listener does not read on).</summary>
    public async Task AcceptAsync(IngestItem item, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (await TryAcceptAsync(item) is not null) return;
                await Task.Delay(20, cancellationToken);
            }
            catch (EnvironmentFailureException e)
            {
                log.LogWarning("watch: could not accept {Count} syslog event(s), trying again: {Message}", item.Events.Count, e.Message);
                await Task.Delay(1000, cancellationToken);
            }
        }
    }

    internal ChannelReader<IngestItem> Reader => _channel.Reader;

    /// <summary>Called once the items' events are stored (or left in the inbox for the next start).</summary>
    internal void Done(long events) => Release(events);

    internal void Complete()
    {
        _channel.Writer.TryComplete();
        _writes.Writer.TryComplete();
    }

    /// <summary>The group commit: writes what the receivers handed over, as many requests a transaction as are waiting, then
    /// queues the accepted ones (in the order of their inbox rows) and answers the receivers. Run by the ingestion service.</summary>
    internal async Task WriteAsync(CancellationToken cancellationToken)
    {
        var group = new List<Write>(MaxGroup);
        try
        {
            while (await _writes.Reader.WaitToReadAsync(cancellationToken))
            {
                group.Clear();
                while (group.Count < MaxGroup && _writes.Reader.TryRead(out var write)) group.Add(write);
                IReadOnlyList<InboxReceipt> receipts;
                try
                {
                    // Not cancelled midway: a commit whose outcome is unknown would leave the client unable to tell whether to send again.
                    receipts = await inbox.WriteAsync([.. group.Select(w => w.Request)], CancellationToken.None);
                }
                catch (Exception e)
                {
                    log.LogError(e, "could not write {Count} watch request(s) to the inbox; they were refused", group.Count);
                    foreach (var w in group) w.Done.TrySetException(e);
                    continue;
                }
                for (var i = 0; i < group.Count; i++)
                {
                    var (w, receipt) = (group[i], receipts[i]);
                    if (receipt.Outcome == InboxOutcome.Accepted && (w.Item.Events.Count > 0 || w.Item.Quarantine.Count > 0))
                        w.Queued = _channel.Writer.TryWrite(w.Item with { InboxId = receipt.Id });
                    w.Done.TrySetResult(receipt);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        // Stopping: whatever was not written is refused (the receivers answer 503; the client sends again).
        foreach (var w in group) w.Done.TrySetException(new EnvironmentFailureException("the server is stopping; nothing was accepted, send the events again"));
        while (_writes.Reader.TryRead(out var left))
            left.Done.TrySetException(new EnvironmentFailureException("the server is stopping; nothing was accepted, send the events again"));
    }

    private bool TryReserve(long n)
    {
        var after = Interlocked.Add(ref _queued, n);
        // An item larger than the whole queue still goes through an empty queue, or it could never be accepted.
        if (after > options.QueueCapacity && after != n)
        {
            Interlocked.Add(ref _queued, -n);
            return false;
        }
        return true;
    }

    private void Release(long n) => Interlocked.Add(ref _queued, -n);

    private sealed class Write(InboxRequest request, IngestItem item)
    {
        public InboxRequest Request { get; } = request;
        public IngestItem Item { get; } = item;
        public TaskCompletionSource<InboxReceipt> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        /// <summary>Handed to the ingestion service (its weight is released when stored, not here).</summary>
        public bool Queued { get; set; }
    }
}
