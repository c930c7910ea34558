using Custodes.Catalogs;
using Custodes.Common;

namespace Custodes.Assessments;

/// <summary>The effective status of every requirement of an assessment, derived from its requirement- and objective-level findings (contracts §2).</summary>
/// <remarks>
/// When objectives of a requirement are given, its status is derived: all objectives met (or not applicable) → met; any not met → not met;
/// otherwise unassessed. An explicit requirement status that contradicts its objectives is bad input.
/// </remarks>
public sealed class Resolution
{
    private readonly Status[] _statuses;
    private readonly bool[] _partial;

    private Resolution(Catalog catalog, Status[] statuses, bool[] partial)
    {
        Catalog = catalog;
        _statuses = statuses;
        _partial = partial;
    }

    public Catalog Catalog { get; }

    /// <summary>Effective statuses in catalog order.</summary>
    public ReadOnlySpan<Status> Statuses => _statuses;

    /// <summary>Whether the requirement at an ordinal earns partial credit (3.5.3 / 3.13.11).</summary>
    public ReadOnlySpan<bool> Partial => _partial;

    public Status StatusOf(string requirementId)
    {
        var i = Catalog.OrdinalOf(requirementId);
        return i < 0 ? throw new ArgumentException($"unknown requirement {requirementId}", nameof(requirementId)) : _statuses[i];
    }

    /// <summary>Resolves an assessment. A contradiction is reported to <paramref name="contradiction"/> (requirement id, message), which must throw; by default a <see cref="BadInputException"/> at <c>$.requirements['id']</c>.</summary>
    public static Resolution Resolve(Assessment assessment, Action<string, string>? contradiction = null)
    {
        var catalog = CatalogSet.Find(assessment.Framework) ?? throw new BadInputException($"unknown framework '{assessment.Framework}'", path: "$.framework");
        contradiction ??= static (id, message) => throw new BadInputException(message, path: $"$.requirements['{id}']");
        var requirements = catalog.Requirements;
        var statuses = new Status[requirements.Count];
        var partial = new bool[requirements.Count];
        for (var i = 0; i < requirements.Count; i++)
        {
            var requirement = requirements[i];
            var explicitFinding = assessment.Requirements.GetValueOrDefault(requirement.Id);
            var explicitStatus = explicitFinding?.Status ?? Status.Unassessed;
            var effective = explicitStatus;
            if (requirement.Objectives.Count > 0 && assessment.Objectives.Count > 0)
            {
                var derived = Derive(requirement, assessment.Objectives, out var anyGiven);
                if (anyGiven)
                {
                    if (explicitStatus == Status.Unassessed)
                        effective = derived;
                    else if (derived == Status.NotMet && explicitStatus.IsSatisfied())
                        contradiction(requirement.Id, $"status '{explicitStatus.ToWire()}' contradicts its objectives: {string.Join(", ", NotMetObjectives(requirement, assessment.Objectives))} not met");
                    else if (derived == Status.Met && explicitStatus == Status.NotMet)
                        contradiction(requirement.Id, $"status 'not-met' contradicts its objectives: all {requirement.Objectives.Count} objectives are met or not applicable");
                }
            }
            statuses[i] = effective;
            if (explicitFinding?.Partial is not null)
            {
                if (effective != Status.NotMet)
                    contradiction(requirement.Id, $"'partial' applies only to a requirement that is not met; its status is '{effective.ToWire()}'");
                partial[i] = true;
            }
        }
        return new Resolution(catalog, statuses, partial);
    }

    private static Status Derive(Requirement requirement, IReadOnlyDictionary<string, Finding> objectives, out bool anyGiven)
    {
        anyGiven = false;
        var satisfied = 0;
        var notMet = false;
        foreach (var id in requirement.Objectives)
        {
            var status = objectives.GetValueOrDefault(id)?.Status ?? Status.Unassessed;
            if (status == Status.Unassessed) continue;
            anyGiven = true;
            if (status == Status.NotMet) notMet = true;
            else satisfied++;
        }
        return notMet ? Status.NotMet : satisfied == requirement.Objectives.Count ? Status.Met : Status.Unassessed;
    }

    private static IEnumerable<string> NotMetObjectives(Requirement requirement, IReadOnlyDictionary<string, Finding> objectives) =>
        requirement.Objectives.Where(o => objectives.GetValueOrDefault(o)?.Status == Status.NotMet);
}
