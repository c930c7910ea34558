using Custodes.Catalogs;

namespace Custodes.Assessments.Poam;

/// <summary>What CMMC allows on a plan of action and milestones (32 CFR 170.21(a)(2)) and when it must close out.</summary>
public static class PoamRules
{
    /// <summary>Requirements that may never be on a CMMC POA&amp;M, whatever their points (32 CFR 170.21(a)(2)(iii)).</summary>
    public static readonly IReadOnlySet<string> NeverOnPoam = new HashSet<string>(StringComparer.Ordinal)
    {
        "3.1.20", "3.1.22", "3.10.3", "3.10.4", "3.10.5", "3.12.4",
    };

    /// <summary>Days from the assessment to POA&amp;M closeout for a conditional status (32 CFR 170.21(b)).</summary>
    public const int CloseoutDays = 180;

    public static DateOnly CloseoutDue(DateOnly assessedOn) => assessedOn.AddDays(CloseoutDays);

    /// <summary>
    /// A requirement may be on a POA&amp;M when it is worth at most 1 point, or it is 3.13.11 whose encryption is only not FIPS-validated;
    /// never the requirements in <see cref="NeverOnPoam"/>.
    /// </summary>
    public static bool IsEligible(Requirement requirement, bool partial)
    {
        if (NeverOnPoam.Contains(requirement.Id)) return false;
        if (requirement.Id == "3.13.11" && partial) return true;
        return requirement.Points is <= 1;
    }

    /// <summary>Flags on an assessment's POA&amp;M: items CMMC forbids, unmet requirements without a written plan, dates past the closeout.</summary>
    public static IReadOnlyList<PoamFlag> Review(Assessment assessment, Resolution resolution)
    {
        var flags = new List<PoamFlag>();
        var catalog = resolution.Catalog;
        var items = assessment.Poam.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var closeout = assessment.AssessedOn is { } on ? CloseoutDue(on) : (DateOnly?)null;
        for (var i = 0; i < catalog.Requirements.Count; i++)
        {
            var requirement = catalog.Requirements[i];
            var status = resolution.Statuses[i];
            items.TryGetValue(requirement.Id, out var item);
            if (status.IsSatisfied())
            {
                if (item is { Status: not PoamStatus.Closed })
                    flags.Add(new PoamFlag(requirement.Id, PoamFlagKind.OpenItemForMetRequirement, $"{requirement.Id} is met but its POA&M item is still {item.Status}"));
                continue;
            }
            if (!Frameworks.IsR2Based(catalog.Framework)) continue;
            var eligible = IsEligible(requirement, resolution.Partial[i]);
            if (item is null)
                flags.Add(new PoamFlag(requirement.Id, PoamFlagKind.MissingItem, status == Status.Unassessed
                    ? $"{requirement.Id} is not assessed yet (it counts as not met) and has no plan written"
                    : $"{requirement.Id} is not met and has no plan written (milestones, planned completion)"));
            if (!eligible)
                flags.Add(new PoamFlag(requirement.Id, PoamFlagKind.NotAllowedOnCmmcPoam,
                    NeverOnPoam.Contains(requirement.Id)
                        ? $"{requirement.Id} may never be on a CMMC POA&M (32 CFR 170.21(a)(2)(iii)); it must be met at assessment"
                        : $"{requirement.Id} is worth {requirement.Points} points; only 1-point requirements (and 3.13.11 when encryption is only not FIPS-validated) may be on a CMMC POA&M"));
            if (item?.PlannedCompletion is { } planned && closeout is { } due && planned > due)
                flags.Add(new PoamFlag(requirement.Id, PoamFlagKind.PastCloseout, $"{requirement.Id} is planned for {planned:yyyy-MM-dd}, after the CMMC closeout deadline {due:yyyy-MM-dd}"));
        }
        return flags;
    }
}

public enum PoamFlagKind
{
    MissingItem,
    NotAllowedOnCmmcPoam,
    PastCloseout,
    OpenItemForMetRequirement,
}

/// <summary>Something about a POA&amp;M that a person should act on.</summary>
public sealed record PoamFlag(string RequirementId, PoamFlagKind Kind, string Message);
