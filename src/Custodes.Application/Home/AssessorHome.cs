using Custodes.Application.Engagements;
using Custodes.Application.Letters;

namespace Custodes.Application.Home;

/// <summary>The firm's engagements at one stage.</summary>
public sealed record EngagementStage(string Stage, IReadOnlyList<Engagement> Engagements);

/// <summary>What an assessor firm's home page shows: its engagements by stage (open work first) and its latest letters.</summary>
public sealed record AssessorHomeView(string Organization, IReadOnlyList<EngagementStage> Stages, IReadOnlyList<LetterSummary> Letters, DateTime Now);

/// <summary>An assessor firm's home: the engagements asked of it, grouped by stage in the order work flows, and the letters it issued.</summary>
public sealed class AssessorHome(Installation installation, EngagementQueries engagements, LetterStore letters, TimeProvider clock)
{
    /// <summary>Stages in the order work flows; closed ones (issued, declined, withdrawn) last.</summary>
    public static readonly IReadOnlyList<string> Order =
    [
        EngagementStages.Requested, EngagementStages.Accepted, EngagementStages.Preparation, EngagementStages.Fieldwork, EngagementStages.Qa,
        EngagementStages.Issued, EngagementStages.Declined, EngagementStages.Withdrawn,
    ];

    public async Task<AssessorHomeView> LoadAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        string name;
        await using (var db = installation.OpenDb())
            name = (await HomeKinds.RequireAsync(db, tenant, OrganizationKinds.Assessor, cancellationToken)).Name;
        var asked = (await engagements.ListAsync(tenant, cancellationToken)).Where(e => e.AsFirm).ToArray();
        var stages = Order.Select(s => new EngagementStage(s, [.. asked.Where(e => e.Stage == s)])).Where(s => s.Engagements.Count > 0).ToArray();
        var issued = await letters.IssuedByAsync(tenant, 10, cancellationToken);
        return new AssessorHomeView(name, stages, issued.Letters, clock.GetUtcNow().UtcDateTime);
    }
}
