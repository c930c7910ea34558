using Custodes.Watch.Events;

namespace Custodes.Watch.Detection.Rules;

/// <summary><c>new-source-ip</c>: a successful login from an IP the actor has not used in the prior <c>lookback</c> of data,
/// once the actor has <c>min_history</c> of history. What the actor does from that IP right after joins the alert.</summary>
internal sealed class NewSourceIpRule(DetectorState state) : Rule(state)
{
    private sealed class Seen
    {
        public long First = long.MaxValue;
        public readonly Dictionary<string, long> Ips = new(StringComparer.Ordinal);
        public OpenAlert? Alert;
        public string? AlertIp;
    }

    private readonly Dictionary<string, Seen> _actors = new(StringComparer.Ordinal);

    public override string Id => RuleIds.NewSourceIp;

    public override void Evaluate(WatchEvent e)
    {
        // Failed logins neither start an actor's history nor make an IP familiar: anyone can fail to log in.
        if (e.Actor is null || e.Action == EventActions.LoginFailure) return;
        if (!_actors.TryGetValue(e.Actor, out var seen)) _actors[e.Actor] = seen = new Seen();
        var t = e.Ticks;
        if (t < seen.First) seen.First = t;
        if (e.ActorIp is not { } ip) return;

        if (seen.Alert is { Closed: false } open && seen.AlertIp == ip && t <= open.LastTicks + open.GapTicks)
            Hit(e, Severity.Medium, ip, ip, Summarize);
        else if (e.Action == EventActions.LoginSuccess)
        {
            var known = seen.Ips.TryGetValue(ip, out var last) && last >= t - Settings.NewSourceIp.Lookback.Ticks;
            if (!known && t - seen.First >= Settings.NewSourceIp.MinHistory.Ticks)
            {
                seen.Alert = Hit(e, Severity.Medium, ip, ip, Summarize);
                seen.AlertIp = ip;
            }
        }
        if (!seen.Ips.TryGetValue(ip, out var previous) || t > previous) seen.Ips[ip] = t;
    }

    private string Summarize(OpenAlert a)
    {
        var after = a.Count > 1 ? $", then {Plural(a.Count - 1, "more event")} from it{OnTenants(a)}" : "";
        return $"{Who(a)} logged in from {a.Subject}, not seen for this actor in the prior {Durations.Format(Settings.NewSourceIp.Lookback)}, {Span(a)}{after}";
    }

    public override void Prune(long now)
    {
        var horizon = now - Settings.NewSourceIp.Lookback.Ticks;
        foreach (var seen in _actors.Values)
        {
            List<string>? stale = null;
            foreach (var (ip, last) in seen.Ips) if (last < horizon) (stale ??= []).Add(ip);
            if (stale is not null) foreach (var ip in stale) seen.Ips.Remove(ip);
            if (seen.Alert is { Closed: true }) seen.Alert = null;
        }
    }
}

/// <summary><c>off-hours-activity</c>: sessions or script runs outside the MSP's working hours (default 07:00–19:00,
/// Monday–Friday, in its time zone). Approved scripts and recurring jobs are expected at night and not reported.</summary>
internal sealed class OffHoursRule(DetectorState state) : Rule(state)
{
    public override string Id => RuleIds.OffHoursActivity;

    public override void Evaluate(WatchEvent e)
    {
        if (e.Actor is null || e.Action is not (EventActions.SessionStart or EventActions.ScriptRun)) return;
        if (Settings.WorkingHours.Contains(State.Local(e.Ticks))) return;
        if (e.Action == EventActions.ScriptRun && State.KeyOf(e) is { } key && State.IsRoutine(e, key, e.Ticks - State.MassWindow)) return;
        Hit(e, Severity.Low, group: null, subject: null, Summarize);
    }

    private string Summarize(OpenAlert a)
    {
        var sessions = a.Tally.GetValueOrDefault(EventActions.SessionStart);
        var scripts = a.Tally.GetValueOrDefault(EventActions.ScriptRun);
        var what = string.Join(" and ", new[] { sessions > 0 ? Plural(sessions, "session") : null, scripts > 0 ? Plural(scripts, "script run") : null }.Where(x => x is not null));
        var hours = Settings.WorkingHours;
        return $"{Who(a)} had {what}{OnTenants(a)} outside working hours ({hours.Start:HH\\:mm}–{hours.End:HH\\:mm} " +
            $"{string.Join(",", hours.Days.Select(d => d.ToString()[..3]))}) {Span(a)}";
    }
}

/// <summary><c>brute-force</c>: at least <c>min_failures</c> failed logins for one actor within <c>window</c>, followed by a
/// success within that window.</summary>
internal sealed class BruteForceRule(DetectorState state) : Rule(state)
{
    private readonly Dictionary<string, Queue<WatchEvent>> _failures = new(StringComparer.Ordinal);

    public override string Id => RuleIds.BruteForce;

    public override void Evaluate(WatchEvent e)
    {
        if (e.Action is not (EventActions.LoginFailure or EventActions.LoginSuccess)) return;
        var who = e.Actor ?? (e.ActorIp is { } ip ? "ip:" + ip : null);
        if (who is null) return;
        var horizon = e.Ticks - Settings.BruteForce.Window.Ticks;
        if (e.Action == EventActions.LoginFailure)
        {
            if (!_failures.TryGetValue(who, out var queue)) _failures[who] = queue = new Queue<WatchEvent>();
            queue.Enqueue(e);
            // Only the newest failures matter: enough to decide, and enough to show.
            while (queue.Count > Math.Max(Settings.BruteForce.MinFailures, Settings.SampleSize) || queue.Peek().Ticks < horizon) queue.Dequeue();
            return;
        }
        if (!_failures.TryGetValue(who, out var failures)) return;
        while (failures.Count > 0 && failures.Peek().Ticks < horizon) failures.Dequeue();
        if (failures.Count >= Settings.BruteForce.MinFailures)
        {
            foreach (var f in failures) Report(f);
            Report(e);
        }
        _failures.Remove(who);
    }

    private void Report(WatchEvent e) => Hit(e, Severity.High, group: null, subject: e.ActorIp, Summarize, e.ActorIp);

    private string Summarize(OpenAlert a) =>
        $"{Who(a)} logged in after {a.Tally.GetValueOrDefault(EventActions.LoginFailure)} failed attempts within {Durations.Format(Settings.BruteForce.Window)} " +
        $"{Span(a)}{(a.Findings.Count > 0 ? " from " + string.Join(", ", a.Findings) : "")}";

    public override void Prune(long now)
    {
        var horizon = now - Settings.BruteForce.Window.Ticks;
        var idle = _failures.Where(f => f.Value.Count == 0 || f.Value.Last().Ticks < horizon).Select(f => f.Key).ToList();
        foreach (var k in idle) _failures.Remove(k);
    }
}
