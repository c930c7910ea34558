using Custodes.Watch.Events;
using Custodes.Watch.Sigma;

namespace Custodes.Watch.Detection.Rules;

/// <summary>Runs one Sigma rule per event; matches by one actor within the alert gap are one alert.</summary>
internal sealed class SigmaMatchRule(DetectorState state, SigmaRule rule) : Rule(state)
{
    public override string Id => rule.RuleId;

    public override IReadOnlyList<string> Requirements => rule.Requirements;

    public override void Evaluate(WatchEvent e)
    {
        if (!rule.Matches(e)) return;
        Hit(e, rule.Level, group: null, subject: rule.Title,
            a => $"Sigma rule '{rule.Title}' matched {Events(a)} by {Who(a)}{OnTenants(a)} {Span(a)}");
    }
}
