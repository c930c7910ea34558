using Custodes.Watch.Events;
using Custodes.Watch.Sigma;

namespace Custodes.Watch.Detection;

/// <summary>Streams events in and alerts out: <c>Process(event)</c> returns the alerts that closed, <c>Flush()</c> the rest
/// at the end, <c>AdvanceTo(now)</c> closes idle alerts on a live clock. Each MSP has its own <see cref="MspDetector"/> with
/// its own settings. Not thread-safe: one engine per stream (or one detector per MSP actor).</summary>
public sealed class DetectionEngine(WatchSettings? settings = null, IReadOnlyList<SigmaRule>? sigma = null)
{
    private readonly WatchSettings _settings = settings ?? WatchSettings.Default;
    private readonly Dictionary<string, MspDetector> _detectors = new(StringComparer.Ordinal);
    private readonly List<Alert> _scratch = [];

    public long Events { get; private set; }

    /// <summary>Events that arrived later than their MSP's reorder window (still evaluated).</summary>
    public long Late => _detectors.Values.Sum(d => d.Late);

    public IReadOnlyCollection<MspDetector> Detectors => _detectors.Values;

    public IReadOnlyList<Alert> Process(WatchEvent e)
    {
        Events++;
        _scratch.Clear();
        For(e.Msp).Process(e, _scratch);
        return _scratch.Count == 0 ? [] : [.. _scratch];
    }

    /// <summary>Advances every MSP's clock to <paramref name="now"/> (see <see cref="MspDetector.AdvanceTo"/>).</summary>
    public IReadOnlyList<Alert> AdvanceTo(DateTimeOffset now)
    {
        _scratch.Clear();
        foreach (var detector in _detectors.Values) detector.AdvanceTo(now, _scratch);
        return [.. _scratch];
    }

    public IReadOnlyList<Alert> Flush()
    {
        _scratch.Clear();
        foreach (var detector in _detectors.Values) detector.Flush(_scratch);
        return [.. _scratch];
    }

    public MspDetector For(string msp)
    {
        if (!_detectors.TryGetValue(msp, out var detector))
            _detectors[msp] = detector = new MspDetector(msp, _settings.For(msp), sigma);
        return detector;
    }

    /// <summary>Runs a whole stream and returns every alert, ordered by first seen, rule and actor.</summary>
    public IReadOnlyList<Alert> Run(IEnumerable<WatchEvent> events)
    {
        var alerts = new List<Alert>();
        foreach (var e in events) alerts.AddRange(Process(e));
        alerts.AddRange(Flush());
        return Order(alerts);
    }

    public static IReadOnlyList<Alert> Order(IEnumerable<Alert> alerts) =>
        [.. alerts.OrderBy(a => a.FirstSeen).ThenBy(a => a.Rule, StringComparer.Ordinal).ThenBy(a => a.Actor, StringComparer.Ordinal)
            .ThenBy(a => a.Msp, StringComparer.Ordinal).ThenBy(a => a.Subject, StringComparer.Ordinal)];
}
