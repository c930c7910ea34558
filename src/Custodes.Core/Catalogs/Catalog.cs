namespace Custodes.Catalogs;

/// <summary>Framework ids of contracts §1.</summary>
public static class Frameworks
{
    public const string NistR2 = "nist-sp800-171r2";
    public const string NistR3 = "nist-sp800-171r3";
    public const string CmmcL1 = "cmmc-l1";
    public const string CmmcL2 = "cmmc-l2";

    public static readonly IReadOnlyList<string> All = [NistR2, NistR3, CmmcL1, CmmcL2];

    /// <summary>True for the frameworks whose requirements are SP 800-171 r2 requirements (scored by the DoD methodology).</summary>
    public static bool IsR2Based(string framework) => framework is NistR2 or CmmcL1 or CmmcL2;
}

/// <summary>One security requirement of a framework.</summary>
public sealed record Requirement
{
    /// <summary>The requirement's id as the framework cites it: <c>3.1.1</c> (r2, CMMC) or <c>03.01.01</c> (r3).</summary>
    public required string Id { get; init; }
    public required string FamilyId { get; init; }
    public required string Family { get; init; }
    public required string Text { get; init; }
    /// <summary>Short title (r3 has one; r2 requirements have none).</summary>
    public string? Title { get; init; }
    /// <summary>DoD Assessment Methodology v1.2.1 deduction when not met (5, 3 or 1; 0 for 3.12.4); null where the methodology does not apply (r3).</summary>
    public int? Points { get; init; }
    /// <summary>Reduced deduction for partial implementation (3.5.3 and 3.13.11: 3), and the partial value that earns it.</summary>
    public PartialCreditRule? PartialCredit { get; init; }
    /// <summary>basic or derived (r2).</summary>
    public string? Type { get; init; }
    /// <summary>CMMC practice id such as <c>AC.L2-3.1.1</c> or <c>AC.L1-3.1.1</c>.</summary>
    public string? CmmcId { get; init; }
    /// <summary>True for the 17 FAR 52.204-21 / CMMC Level 1 requirements.</summary>
    public bool Level1 { get; init; }
    /// <summary>SP 800-171A objective ids, e.g. <c>3.1.1[a]</c>.</summary>
    public required IReadOnlyList<string> Objectives { get; init; }
    /// <summary>The Annex A comment of the DoD methodology, where it has one.</summary>
    public string? MethodologyComment { get; init; }
    /// <summary>r2 only: the r3 successors of this requirement and how they relate.</summary>
    public RevisionMapping? R3 { get; init; }
    /// <summary>r3 only: the r2 requirements this one carries forward or absorbs.</summary>
    public IReadOnlyList<string> R2Predecessors { get; init; } = [];
}

/// <summary>The partial-credit rule of the DoD methodology for one requirement.</summary>
public sealed record PartialCreditRule(string Value, int Points, string Condition);

/// <summary>How an r2 requirement maps to r3 (from <c>nist-sp800-171-r2-to-r3.json</c>).</summary>
public sealed record RevisionMapping(IReadOnlyList<string> Targets, string Relationship, string Disposition, string? NistChange);

/// <summary>One SP 800-171A assessment objective ("determine if …").</summary>
public sealed record Objective(string Id, string RequirementId, string Text);

/// <summary>A framework's requirements in catalog order, with lookups by id.</summary>
public sealed class Catalog
{
    private readonly Dictionary<string, int> _ordinal;
    private readonly Dictionary<string, Objective> _objectives;

    internal Catalog(string framework, string title, IReadOnlyList<Requirement> requirements, IEnumerable<Objective> objectives)
    {
        Framework = framework;
        Title = title;
        Requirements = requirements;
        _ordinal = new Dictionary<string, int>(requirements.Count * 2, StringComparer.Ordinal);
        for (var i = 0; i < requirements.Count; i++)
        {
            _ordinal[requirements[i].Id] = i;
            if (requirements[i].CmmcId is { } cmmc) _ordinal[cmmc] = i;
        }
        _objectives = objectives.ToDictionary(o => o.Id, StringComparer.Ordinal);
        Families = requirements.GroupBy(r => r.FamilyId).Select(g => new Family(g.Key, g.First().Family, g.Select(r => r.Id).ToArray())).ToArray();
    }

    public string Framework { get; }
    public string Title { get; }
    public IReadOnlyList<Requirement> Requirements { get; }
    public IReadOnlyList<Family> Families { get; }
    public IReadOnlyCollection<Objective> Objectives => _objectives.Values;

    /// <summary>Index of a requirement in <see cref="Requirements"/> by its id or CMMC id, or -1.</summary>
    public int OrdinalOf(string id) => _ordinal.TryGetValue(id, out var i) ? i : -1;

    public Requirement? Find(string id) => _ordinal.TryGetValue(id, out var i) ? Requirements[i] : null;

    public Objective? FindObjective(string id) => _objectives.GetValueOrDefault(id);
}

/// <summary>A requirement family such as AC (Access Control).</summary>
public sealed record Family(string Id, string Name, IReadOnlyList<string> RequirementIds);
