using Custodes.Watch.Detection;
using Custodes.Watch.Events;

namespace Custodes.Watch.Sigma;

/// <summary>A Sigma rule evaluated on each normalized event; a match becomes an alert with rule id <c>sigma:&lt;id&gt;</c>.</summary>
public sealed record SigmaRule
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public Severity Level { get; init; } = Severity.Medium;

    /// <summary>The NIST SP 800-171 r2 requirements a match is evidence against (the rule file's <c>requirements:</c>, checked against the catalog).</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];

    /// <summary>The file it came from (for messages).</summary>
    public string File { get; init; } = "";

    internal SigmaNode Condition { get; init; } = null!;

    public string RuleId => "sigma:" + Id;

    public bool Matches(WatchEvent e) => Condition.Matches(e);
}
