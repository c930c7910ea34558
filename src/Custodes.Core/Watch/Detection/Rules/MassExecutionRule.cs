using Custodes.Watch.Events;

namespace Custodes.Watch.Detection.Rules;

/// <summary><c>mass-execution</c>: one actor runs the same script or command line on at least <c>min_tenants</c> tenants
/// within <c>window</c>, and it is neither approved nor a recurring job (ran on <c>recurring_min_tenants</c> tenants in the
/// <c>recurring_lookback</c> before the window). One alert per burst: it stays open while runs continue within the window.</summary>
internal sealed class MassExecutionRule(DetectorState state) : Rule(state)
{
    private sealed class Burst
    {
        public readonly Queue<WatchEvent> Window = new();
        public OpenAlert? Alert;
        public long RoutineUntil = long.MinValue;
        public long Last;
    }

    private readonly Dictionary<(string Actor, string Key), Burst> _bursts = [];
    private readonly HashSet<string> _tenants = new(StringComparer.Ordinal);

    public override string Id => RuleIds.MassExecution;

    public override void Evaluate(WatchEvent e)
    {
        if (e.Action != EventActions.ScriptRun || e.Tenant is null || State.KeyOf(e) is not { } key) return;
        var t = e.Ticks;
        var window = State.MassWindow;
        State.Jobs.Record(key, e.Tenant, t);
        if (e.Actor is null) return;

        if (!_bursts.TryGetValue((e.Actor, key), out var burst)) _bursts[(e.Actor, key)] = burst = new Burst();
        burst.Last = Math.Max(burst.Last, t);
        if (burst.Alert is { Closed: false } open && t <= open.LastTicks + window)
        {
            Report(e, key);
            return;
        }
        if (t <= burst.RoutineUntil)
        {
            // The rest of a burst already judged routine (approved, learning or recurring).
            burst.RoutineUntil = t + window;
            return;
        }

        burst.Window.Enqueue(e);
        while (burst.Window.Peek().Ticks < t - window) burst.Window.Dequeue();
        _tenants.Clear();
        foreach (var w in burst.Window) _tenants.Add(w.Tenant!);
        if (_tenants.Count < Settings.MassExecution.MinTenants) return;

        if (State.IsRoutine(e, key, t - window))
        {
            burst.RoutineUntil = t + window;
            burst.Window.Clear();
            return;
        }
        foreach (var w in burst.Window) burst.Alert = Report(w, key);
        burst.Window.Clear();
    }

    private OpenAlert Report(WatchEvent e, string key)
    {
        var command = e.CommandText();
        var destructive = CommandPatterns.IsDestructive(command);
        var alert = Hit(e, destructive ? Severity.Critical : Severity.High, key, ExecutionKeys.Subject(e), Summarize,
            ExecutionKeys.Describe(e), gap: Settings.MassExecution.Window);
        State.Jobs.Alerted(key, alert.FirstTicks, alert.LastTicks);
        return alert;
    }

    private string Summarize(OpenAlert a) =>
        $"{Who(a)} ran {a.Findings.FirstOrDefault() ?? "the same script"}{OnTenants(a)} {Span(a)} ({a.Count} runs, at least " +
        $"{Settings.MassExecution.MinTenants} tenants within {Durations.Format(Settings.MassExecution.Window)}); not approved and not a recurring job" +
        (a.Severity == Severity.Critical ? "; the commands destroy backups or disable protection" : "");

    public override void Prune(long now)
    {
        var idle = _bursts.Where(b => b.Value.Last < now - State.MassWindow && b.Value.Alert is null or { Closed: true }).Select(b => b.Key).ToList();
        foreach (var k in idle) _bursts.Remove(k);
        State.Jobs.Prune(now - Settings.MassExecution.RecurringLookback.Ticks - 2 * State.MassWindow);
    }
}
