using Custodes.Watch.Detection.Rules;
using Custodes.Watch.Events;
using Custodes.Watch.Sigma;

namespace Custodes.Watch.Detection;

/// <summary>All detection state of one MSP: a bounded reorder buffer, the rules' sliding windows and baselines, and the
/// open alerts. Self-contained and keyed by MSP, so it can live in a per-MSP actor (an Orleans grain) as it is.</summary>
public sealed class MspDetector
{
    /// <summary>Above this many buffered events the oldest is released early, whatever the reorder window.</summary>
    public const int MaxBuffered = 200_000;

    private static readonly long CloseEvery = TimeSpan.FromMinutes(1).Ticks;
    private static readonly long PruneEvery = TimeSpan.FromHours(1).Ticks;

    private readonly DetectorState _state;
    private readonly Rule[] _rules;
    private readonly PriorityQueue<WatchEvent, (long Ticks, long Seq)> _buffer = new();
    private readonly long _reorder;
    private long _seq;
    private long _maxSeen = long.MinValue;
    private long _now = long.MinValue;
    private long _nextClose = long.MinValue;
    private long _nextPrune = long.MinValue;

    public MspDetector(string msp, DetectionSettings settings, IReadOnlyList<SigmaRule>? sigma = null)
    {
        Msp = msp;
        _state = new DetectorState(msp, settings);
        _reorder = settings.ReorderWindow.Ticks;
        Rule[] all =
        [
            new MassExecutionRule(_state), new BackupDestructionRule(_state), new SecurityToolTamperingRule(_state), new PrivilegedAccountRule(_state),
            new MfaDisabledRule(_state), new NewSourceIpRule(_state), new OffHoursRule(_state), new BruteForceRule(_state),
            new UnapprovedRemoteToolRule(_state), .. (sigma ?? []).Select(r => new SigmaMatchRule(_state, r)),
        ];
        _rules = [.. all.Where(r => !settings.DisabledRules.Contains(r.Id))];
    }

    public string Msp { get; }

    /// <summary>Events evaluated.</summary>
    public long Events { get; private set; }

    /// <summary>Events that arrived later than the reorder window allows; they are still evaluated, just out of order.</summary>
    public long Late { get; private set; }

    public int Buffered => _buffer.Count;

    /// <summary>Takes one event; alerts that closed meanwhile are added to <paramref name="closed"/>.</summary>
    public void Process(WatchEvent e, List<Alert> closed)
    {
        _buffer.Enqueue(e, (e.Ticks, _seq++));
        if (e.Ticks > _maxSeen) _maxSeen = e.Ticks;
        var releaseUpTo = _maxSeen - _reorder;
        while (_buffer.TryPeek(out var next, out var key) && (key.Ticks <= releaseUpTo || _buffer.Count > MaxBuffered))
        {
            _buffer.Dequeue();
            Evaluate(next);
        }
        // Time up to the watermark has passed for sure: anything older arriving now is late anyway.
        Advance(releaseUpTo);
        _state.Book.Drain(closed);
    }

    /// <summary>Tells the detector that time has reached <paramref name="now"/> (a live ingester's clock tick): buffered
    /// events older than the reorder window are evaluated and alerts idle for their gap are closed, even if this MSP sends
    /// nothing more. A replay of old logs does not call this.</summary>
    public void AdvanceTo(DateTimeOffset now, List<Alert> closed)
    {
        var upTo = now.UtcTicks - _reorder;
        while (_buffer.TryPeek(out var next, out var key) && key.Ticks <= upTo)
        {
            _buffer.Dequeue();
            Evaluate(next);
        }
        Advance(upTo);
        _state.Book.Drain(closed);
    }

    /// <summary>Evaluates everything buffered and closes every open alert (end of input).</summary>
    public void Flush(List<Alert> closed)
    {
        while (_buffer.TryDequeue(out var next, out _)) Evaluate(next);
        _state.Book.CloseAll();
        _state.Book.Drain(closed);
    }

    /// <summary>The alerts still open, as they stand now (for a live view).</summary>
    public IEnumerable<Alert> OpenAlerts() => _state.Book.Snapshot();

    private void Evaluate(WatchEvent e)
    {
        Events++;
        var t = e.Ticks;
        if (t < _now) Late++;
        else _now = t;
        if (t < _state.FirstTicks) _state.FirstTicks = t;
        foreach (var rule in _rules) rule.Evaluate(e);
        Advance(_now);
    }

    /// <summary>Closes idle alerts about once a minute and prunes rule state about once an hour, in event time.</summary>
    private void Advance(long now)
    {
        if (now >= _nextClose)
        {
            _state.Book.CloseIdle(now);
            _nextClose = now + CloseEvery;
        }
        if (now >= _nextPrune)
        {
            foreach (var rule in _rules) rule.Prune(now);
            _nextPrune = now + PruneEvery;
        }
    }
}
