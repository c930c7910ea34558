using Custodes.Catalogs;

namespace Custodes.Assessments.Poam;

/// <summary>
/// The plan of action and milestones of an assessment: one item for every requirement that is not met, whatever the assessor wrote.
/// Every form (OSCAL, PDF, XLSX, CSV, the web board, the API) reads this one computation, so they always show the same items.
/// </summary>
/// <remarks>
/// "Not met" is what scoring counts against the score: <c>not-met</c> and <c>unassessed</c> (a requirement nobody assessed is not met
/// under the DoD methodology and 32 CFR 170.24, so a conditional CMMC status needs it on the POA&amp;M too). The explicit <c>poam</c> entries
/// of the file add the plan (milestones, dates, owner, status); they never decide which items exist. An entry for a requirement that is met
/// is kept as a record (<see cref="PoamPlan.Records"/>) and is not on the POA&amp;M.
/// </remarks>
public sealed class PoamPlan
{
    private PoamPlan(IReadOnlyList<PoamEntry> items, IReadOnlyList<PoamItem> records, IReadOnlyList<PoamFlag> flags, DateOnly? closeoutDue)
    {
        Items = items;
        Records = records;
        Flags = flags;
        CloseoutDue = closeoutDue;
    }

    /// <summary>One item per requirement not met, in catalog order. Empty only when every requirement is met (or not applicable).</summary>
    public IReadOnlyList<PoamEntry> Items { get; }

    /// <summary>Entries written for requirements that are met: kept in the assessment as a record, not items of the POA&amp;M.</summary>
    public IReadOnlyList<PoamItem> Records { get; }

    /// <summary>Everything <see cref="PoamRules.Review"/> flags, including flags on <see cref="Records"/>.</summary>
    public IReadOnlyList<PoamFlag> Flags { get; }

    /// <summary>The CMMC closeout date (assessment date + 180 days), when the assessment has a date.</summary>
    public DateOnly? CloseoutDue { get; }

    /// <summary>Items not yet closed.</summary>
    public IEnumerable<PoamEntry> Open => Items.Where(i => i.Status != PoamStatus.Closed);

    /// <summary>The latest planned completion of an open item: the plan of action completion date SPRS asks for.</summary>
    public DateOnly? LatestPlannedCompletion => Open.Select(i => i.PlannedCompletion).Where(d => d is not null).Max();

    /// <summary>The item of one requirement, or null when that requirement is met.</summary>
    public PoamEntry? Find(string requirementId) => Items.FirstOrDefault(i => i.Id == requirementId);

    public static PoamPlan Of(Assessment assessment) => Of(assessment, Resolution.Resolve(assessment));

    public static PoamPlan Of(Assessment assessment, Resolution resolution)
    {
        var catalog = resolution.Catalog;
        var cmmc = Frameworks.IsR2Based(catalog.Framework);
        var flags = PoamRules.Review(assessment, resolution);
        var written = assessment.Poam.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var items = new List<PoamEntry>();
        var records = new List<PoamItem>();
        for (var i = 0; i < catalog.Requirements.Count; i++)
        {
            var requirement = catalog.Requirements[i];
            var status = resolution.Statuses[i];
            written.TryGetValue(requirement.Id, out var plan);
            if (status.IsSatisfied())
            {
                if (plan is not null) records.Add(plan);
                continue;
            }
            var partial = resolution.Partial[i];
            items.Add(new PoamEntry(
                requirement,
                status,
                partial,
                plan,
                cmmc ? PoamRules.IsEligible(requirement, partial) : null,
                flags.Where(f => f.RequirementId == requirement.Id).ToArray()));
        }
        return new PoamPlan(items, records, flags, assessment.AssessedOn is { } on ? PoamRules.CloseoutDue(on) : null);
    }
}

/// <summary>One item of the POA&amp;M: a requirement not met, with the assessor's plan when one was written.</summary>
/// <param name="RequirementStatus"><see cref="Assessments.Status.NotMet"/> or <see cref="Assessments.Status.Unassessed"/>.</param>
/// <param name="Plan">The explicit <c>poam</c> entry of the file, or null when no plan is written yet.</param>
/// <param name="CmmcEligible">Whether CMMC allows this requirement on a POA&amp;M (32 CFR 170.21(a)(2)); null for frameworks that are not CMMC's (r3).</param>
public sealed record PoamEntry(
    Requirement Requirement,
    Status RequirementStatus,
    bool Partial,
    PoamItem? Plan,
    bool? CmmcEligible,
    IReadOnlyList<PoamFlag> Flags)
{
    public string Id => Requirement.Id;
    /// <summary>Where the item stands; an item without a written plan is open.</summary>
    public PoamStatus Status => Plan?.Status ?? PoamStatus.Open;
    public bool HasPlan => Plan is not null;
    public DateOnly? PlannedCompletion => Plan?.PlannedCompletion;
    public string? Milestones => Plan?.Milestones;
    public DateOnly? CompletedOn => Plan?.CompletedOn;
    public string? Owner => Plan?.Owner;
    public string? Note => Plan?.Note;

    /// <summary>"not POA&amp;M-eligible (CMMC)" for an item CMMC forbids, so every form can say so on the item instead of dropping it.</summary>
    public bool NotAllowedOnCmmcPoam => CmmcEligible == false;
}
