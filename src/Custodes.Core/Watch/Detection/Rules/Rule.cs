using Custodes.Watch.Events;

namespace Custodes.Watch.Detection.Rules;

/// <summary>One detection rule of one MSP. Rules see events in time order and report hits to the MSP's alert book.</summary>
internal abstract class Rule(DetectorState state)
{
    protected DetectorState State { get; } = state;
    protected DetectionSettings Settings => State.Settings;

    public abstract string Id { get; }

    /// <summary>The requirements this rule's alerts are evidence against.</summary>
    public virtual IReadOnlyList<string> Requirements => _requirements ??= RuleRequirements.For(Id);

    private IReadOnlyList<string>? _requirements;

    public abstract void Evaluate(WatchEvent e);

    /// <summary>Forgets state older than the rule's windows need (called about hourly in event time).</summary>
    public virtual void Prune(long now) { }

    protected OpenAlert Hit(WatchEvent e, Severity severity, string? group, string? subject, Func<OpenAlert, string> summarize, string? finding = null,
        TimeSpan? gap = null) =>
        State.Book.Hit(Id, severity, e, e.Actor, group, subject, gap ?? Settings.AlertGap, summarize, Requirements, finding);

    protected static string Who(OpenAlert a) => a.Actor ?? "an unknown actor";

    protected static string OnTenants(OpenAlert a) => a.Tenants.Count switch
    {
        0 => "",
        1 => $" on tenant {a.Tenants.First()}",
        _ => $" on {a.Tenants.Count} tenants",
    };

    protected static string Events(OpenAlert a) => Plural(a.Count, "event");

    protected static string Plural(long n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";

    protected string Span(OpenAlert a) =>
        a.FirstTicks == a.LastTicks ? $"at {State.Describe(a.FirstTicks)}" : $"from {State.Describe(a.FirstTicks)} to {State.Local(a.LastTicks):HH:mm}";
}
