using System.Runtime.CompilerServices;
using Custodes.Application.Database;
using Custodes.Watch.Detection;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;

namespace Custodes.Application.Watch;

/// <summary>What one ingestion did: events stored, records quarantined, alerts published (new or grown).</summary>
public sealed record IngestResult(long Stored, long Quarantined, IReadOnlyList<PublishedAlert> Alerts);

/// <summary>The events of one accepted request (an inbox row, <see cref="WatchInbox"/>) still to store: those after the first
/// <paramref name="AlreadyStored"/>, with its quarantined records unless some of it was stored already.</summary>
public sealed record InboxSegment(long InboxId, int AlreadyStored, IReadOnlyList<WatchEvent> Events, IReadOnlyList<QuarantineEntry> Quarantine)
{
    /// <summary>The events' rows and hashes when the receiver made them (<see cref="WatchInbox.Prepare"/>); null after a restart.</summary>
    public PreparedEvents? Prepared { get; init; }
}

/// <summary>
/// Stored events in, alerts out: each batch of an MSP's events is stored (tamper-evidently, <see cref="WatchLog"/>), then runs
/// through that MSP's streaming detector (the <see cref="DetectionEngine"/> rules with the MSP's stored settings); alerts are
/// published through the <see cref="AlertPublisher"/> as soon as they open — with the events behind them — and updated as
/// they grow and when they close. Detector state lives in memory, one per MSP, at most <c>maxMsps</c> of them (the least
/// recently used is flushed and dropped). One caller at a time: the calls take a lock.
/// </summary>
public sealed class WatchPipeline(WatchLog log, WatchMspStore msps, AlertPublisher publisher, TimeProvider clock, int maxMsps = 1000, int maxBatch = WatchLog.MaxBatch)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<Guid, MspStream> _streams = [];

    /// <summary>MSPs whose detector state is in memory.</summary>
    public int Streams => _streams.Count;

    /// <summary>Stores an MSP's events (in batches of at most <c>maxBatch</c>, by default <see cref="WatchLog.MaxBatch"/>) with the records quarantined
    /// reading them, then detects.</summary>
    public Task<IngestResult> IngestAsync(Guid msp, IReadOnlyList<WatchEvent> events, IReadOnlyList<QuarantineEntry> quarantine, CancellationToken cancellationToken = default) =>
        IngestAsync(msp, [new Chunk(events, quarantine, [], null)], events.Count, quarantine.Count, cancellationToken);

    /// <summary>Stores accepted requests of an MSP (from the inbox, in order) and detects; each batch records, in its own
    /// transaction, how far it got through each request, so a crash between batches resumes exactly where it stopped.</summary>
    public Task<IngestResult> IngestAsync(Guid msp, IReadOnlyList<InboxSegment> segments, CancellationToken cancellationToken = default) =>
        IngestAsync(msp, Chunks(segments, maxBatch), segments.Sum(s => (long)s.Events.Count), segments.Sum(s => (long)s.Quarantine.Count), cancellationToken);

    private async Task<IngestResult> IngestAsync(Guid msp, IEnumerable<Chunk> chunks, long events, long quarantined, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var profile = await msps.EnsureAsync(msp, cancellationToken);
            var published = new List<PublishedAlert>();
            var stream = await StreamForAsync(profile, published, cancellationToken);
            foreach (var whole in chunks)
            {
                // Callers' lists of any length: a batch holds at most MaxBatch events (the inbox chunks come sized already).
                for (var offset = 0; offset == 0 || offset < whole.Events.Count; offset += maxBatch)
                {
                    var count = Math.Min(maxBatch, whole.Events.Count - offset);
                    var last = offset + count >= whole.Events.Count;
                    var chunk = count == whole.Events.Count ? whole.Events : whole.Events.Skip(offset).Take(count).ToArray();
                    var batch = await log.AppendAsync(msp, chunk, offset == 0 ? whole.Quarantine : [], last ? whole.Inbox : [],
                        count == whole.Events.Count ? whole.Prepared : null, cancellationToken);
                    if (batch is null) break;
                    for (var i = 0; i < chunk.Count; i++) stream.Seqs.AddOrUpdate(chunk[i], batch.FirstSeq + i);
                    var closed = new List<Alert>();
                    foreach (var e in chunk) stream.Detector.Process(e, closed);
                    await PublishAsync(stream, closed, published, cancellationToken);
                }
            }
            stream.LastArrival = clock.GetTimestamp();
            return new IngestResult(events, quarantined, published);
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record Chunk(IReadOnlyList<WatchEvent> Events, IReadOnlyList<QuarantineEntry> Quarantine, IReadOnlyList<InboxProgress> Inbox, PreparedEvents? Prepared);

    // Cuts the requests into batches of at most max events; a request may span batches, a batch may hold many requests.
    private static IEnumerable<Chunk> Chunks(IReadOnlyList<InboxSegment> segments, int max)
    {
        var events = new List<WatchEvent>();
        var quarantine = new List<QuarantineEntry>();
        var progress = new List<InboxProgress>();
        // The receivers' prepared rows and hashes, as long as every segment of the chunk has them.
        List<WatchEventRow>? rows = [];
        var hashes = new MemoryStream();
        Chunk Cut() => new(events, quarantine, progress, rows is null ? null : new PreparedEvents([.. rows], hashes.ToArray()));
        foreach (var segment in segments)
        {
            quarantine.AddRange(segment.Quarantine);
            var position = 0;
            do
            {
                var take = Math.Min(max - events.Count, segment.Events.Count - position);
                for (var i = 0; i < take; i++) events.Add(segment.Events[position + i]);
                if (segment.Prepared is { } prepared && rows is not null)
                {
                    rows.AddRange(new ArraySegment<WatchEventRow>(prepared.Rows, position, take));
                    hashes.Write(prepared.Hashes, position * 32, take * 32);
                }
                else rows = null;
                var from = segment.AlreadyStored + position;
                position += take;
                progress.Add(new InboxProgress(segment.InboxId, from, segment.AlreadyStored + position, position == segment.Events.Count));
                if (events.Count == max)
                {
                    yield return Cut();
                    (events, quarantine, progress, rows, hashes) = ([], [], [], [], new MemoryStream());
                }
            }
            while (position < segment.Events.Count);
        }
        if (events.Count > 0 || quarantine.Count > 0 || progress.Count > 0) yield return Cut();
    }

    /// <summary>The end of an MSP's input (a file read whole): evaluates everything buffered and closes every open alert.</summary>
    public async Task<IReadOnlyList<PublishedAlert>> FlushAsync(Guid msp, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var published = new List<PublishedAlert>();
            if (_streams.Remove(msp, out var stream)) await FlushAsync(stream, published, cancellationToken);
            return published;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The live clock: each MSP that sent nothing for <paramref name="quiet"/> has its detector advanced to now, so
    /// buffered events are evaluated and idle alerts close even when no more events come.</summary>
    public async Task<IReadOnlyList<PublishedAlert>> TickAsync(TimeSpan quiet, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var published = new List<PublishedAlert>();
            var now = clock.GetUtcNow();
            foreach (var stream in _streams.Values)
            {
                if (clock.GetElapsedTime(stream.LastArrival) < quiet) continue;
                // Once right after the MSP went quiet, then once a minute (to close alerts whose gap has passed).
                if (stream.AdvancedAt > stream.LastArrival && clock.GetElapsedTime(stream.AdvancedAt) < TimeSpan.FromMinutes(1)) continue;
                var closed = new List<Alert>();
                stream.Detector.AdvanceTo(now, closed);
                stream.AdvancedAt = clock.GetTimestamp();
                await PublishAsync(stream, closed, published, cancellationToken);
            }
            return published;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<MspStream> StreamForAsync(WatchProfile profile, List<PublishedAlert> published, CancellationToken cancellationToken)
    {
        if (_streams.TryGetValue(profile.OrganizationId, out var stream))
        {
            if (stream.Version == profile.Version && stream.Detector.Msp == profile.EventName) return stream;
            // Settings changed: finish the old detector's alerts, start over with the new settings.
            _streams.Remove(profile.OrganizationId);
            await FlushAsync(stream, published, cancellationToken);
        }
        if (_streams.Count >= maxMsps)
        {
            var oldest = _streams.Values.MinBy(s => s.LastArrival)!;
            _streams.Remove(oldest.Msp);
            await FlushAsync(oldest, published, cancellationToken);
        }
        stream = new MspStream(profile.OrganizationId, profile.Version, new MspDetector(profile.EventName, profile.Settings)) { LastArrival = clock.GetTimestamp() };
        _streams[profile.OrganizationId] = stream;
        return stream;
    }

    private async Task FlushAsync(MspStream stream, List<PublishedAlert> published, CancellationToken cancellationToken)
    {
        var closed = new List<Alert>();
        stream.Detector.Flush(closed);
        await PublishAsync(stream, closed, published, cancellationToken);
    }

    // Closed alerts first (their burst ended: a final update), then the open ones that are new or grew since last published.
    private async Task PublishAsync(MspStream stream, List<Alert> closed, List<PublishedAlert> published, CancellationToken cancellationToken)
    {
        foreach (var alert in closed)
        {
            var key = (alert.Rule, alert.Actor, alert.Subject);
            Guid? existing = stream.Open.Remove(key, out var open) ? open.Id : null;
            published.Add(await publisher.PublishAsync(stream.Msp, existing, alert, Seqs(stream, alert), growing: false, cancellationToken));
        }
        foreach (var alert in stream.Detector.OpenAlerts())
        {
            var key = (alert.Rule, alert.Actor, alert.Subject);
            var known = stream.Open.TryGetValue(key, out var open);
            if (known && open.Count == alert.EventCount) continue;
            var result = await publisher.PublishAsync(stream.Msp, known ? open.Id : null, alert, Seqs(stream, alert), growing: true, cancellationToken);
            stream.Open[key] = (result.Stored.Id, alert.EventCount);
            published.Add(result);
        }
    }

    private static long[] Seqs(MspStream stream, Alert alert) =>
        [.. alert.Events.Select(e => stream.Seqs.TryGetValue(e, out var seq) ? (long)seq : -1).Where(s => s >= 0)];

    private sealed class MspStream(Guid msp, int version, MspDetector detector)
    {
        public Guid Msp { get; } = msp;
        public int Version { get; } = version;
        public MspDetector Detector { get; } = detector;
        /// <summary>Alerts stored while open, by rule, actor and subject: their id and the event count last published.</summary>
        public Dictionary<(string, string?, string?), (Guid Id, long Count)> Open { get; } = [];
        /// <summary>Each event's number in the log, for as long as the detector holds the event.</summary>
        public ConditionalWeakTable<WatchEvent, object> Seqs { get; } = [];
        public long LastArrival { get; set; }
        public long AdvancedAt { get; set; } = long.MinValue;
    }
}
