using Custodes.Watch.Events;

namespace Custodes.Watch.Detection;

/// <summary>An alert still collecting events: one rule, one actor, one group (a script, an IP, a tool).</summary>
internal sealed class OpenAlert(string rule, string msp, string? actor, string? subject, TimeSpan gap, int sampleSize, Func<OpenAlert, string> summarize,
    IReadOnlyList<string> requirements)
{
    private const int MaxFindings = 8;

    public string Rule { get; } = rule;
    public string Msp { get; } = msp;
    public string? Actor { get; } = actor;
    public string? Subject { get; } = subject;
    public long GapTicks { get; } = gap.Ticks;
    public Severity Severity { get; private set; }
    public long FirstTicks { get; private set; } = long.MaxValue;
    public long LastTicks { get; private set; } = long.MinValue;
    public long Count { get; private set; }
    public bool Closed { get; set; }
    public HashSet<string> Tenants { get; } = new(StringComparer.Ordinal);
    public List<WatchEvent> Sample { get; } = [];

    /// <summary>Distinct things found (command patterns, tools, accounts), a few, for the summary.</summary>
    public List<string> Findings { get; } = [];

    /// <summary>Counts by kind (sessions, scripts) for the summary.</summary>
    public Dictionary<string, long> Tally { get; } = [];

    public void Add(WatchEvent e, Severity severity, string? finding)
    {
        Count++;
        if (severity > Severity) Severity = severity;
        if (e.Ticks < FirstTicks) FirstTicks = e.Ticks;
        if (e.Ticks > LastTicks) LastTicks = e.Ticks;
        if (e.Tenant is not null) Tenants.Add(e.Tenant);
        if (Sample.Count < sampleSize) Sample.Add(e);
        if (finding is not null && Findings.Count < MaxFindings && !Findings.Contains(finding)) Findings.Add(finding);
        Tally[e.Action] = Tally.GetValueOrDefault(e.Action) + 1;
    }

    public Alert ToAlert()
    {
        var tenants = Tenants.ToArray();
        Array.Sort(tenants, StringComparer.Ordinal);
        return new Alert
        {
            Rule = Rule, Severity = Severity, Msp = Msp, Actor = Actor, Tenants = tenants,
            FirstSeen = new DateTimeOffset(FirstTicks, TimeSpan.Zero), LastSeen = new DateTimeOffset(LastTicks, TimeSpan.Zero),
            EventCount = Count, Summary = summarize(this), Requirements = requirements, Subject = Subject, Events = Sample.ToArray(),
        };
    }
}

/// <summary>Groups rule hits into alerts: a hit joins the open alert of its rule, actor and group while it comes within
/// the rule's gap of the last one (one alert per burst, not one per event); an alert idle for longer is closed.</summary>
internal sealed class AlertBook(string msp, int sampleSize)
{
    private readonly Dictionary<(string Rule, string? Actor, string? Group), OpenAlert> _open = [];
    private readonly List<Alert> _closed = [];

    public int OpenCount => _open.Count;

    public OpenAlert Hit(string rule, Severity severity, WatchEvent e, string? actor, string? group, string? subject, TimeSpan gap,
        Func<OpenAlert, string> summarize, IReadOnlyList<string> requirements, string? finding = null)
    {
        var key = (rule, actor, group);
        if (_open.TryGetValue(key, out var alert) && e.Ticks > alert.LastTicks + alert.GapTicks)
        {
            Close(key, alert);
            alert = null;
        }
        if (alert is null)
        {
            alert = new OpenAlert(rule, msp, actor, subject, gap, sampleSize, summarize, requirements);
            _open[key] = alert;
        }
        alert.Add(e, severity, finding);
        return alert;
    }

    /// <summary>Closes alerts whose last event is more than their gap before <paramref name="now"/>.</summary>
    public void CloseIdle(long now)
    {
        List<(string, string?, string?)>? idle = null;
        foreach (var (key, alert) in _open)
            if (now > alert.LastTicks + alert.GapTicks) (idle ??= []).Add(key);
        if (idle is null) return;
        foreach (var key in idle) Close(key, _open[key]);
    }

    public void CloseAll()
    {
        foreach (var (key, alert) in _open.ToArray()) Close(key, alert);
    }

    /// <summary>Moves the alerts closed so far into <paramref name="output"/>.</summary>
    public void Drain(List<Alert> output)
    {
        if (_closed.Count == 0) return;
        output.AddRange(_closed);
        _closed.Clear();
    }

    public IEnumerable<Alert> Snapshot() => _open.Values.Select(a => a.ToAlert());

    private void Close((string, string?, string?) key, OpenAlert alert)
    {
        _open.Remove(key);
        alert.Closed = true;
        _closed.Add(alert.ToAlert());
    }
}
