namespace Custodes.Assessments.Scoring;

/// <summary>The result of <c>custodes score --json</c> (contracts §3). Property order is the contract's.</summary>
public sealed record ScoreReport(
    string Framework,
    int? Score,
    int Max,
    int Min,
    bool Complete,
    StatusCounts Counts,
    IReadOnlyList<Deduction> Deductions,
    IReadOnlyDictionary<string, string> Requirements,
    CmmcReport Cmmc,
    IReadOnlyList<string> Errors);

public sealed record StatusCounts(int Met, int NotMet, int NotApplicable, int Unassessed);

/// <summary>Points subtracted for one requirement that is not met.</summary>
public sealed record Deduction(string Id, int Points);

public sealed record CmmcReport(CmmcLevel1 Level1, CmmcLevel2 Level2);

/// <summary>CMMC Level 1: <c>final</c> or <c>no-status</c>, with the Level 1 requirements blocking it.</summary>
public sealed record CmmcLevel1(string Status, IReadOnlyList<string> Blocking);

/// <summary>CMMC Level 2: <c>final</c>, <c>conditional</c> or <c>no-status</c>; what may not go on a POA&amp;M; when a conditional status must close out.</summary>
public sealed record CmmcLevel2(string Status, IReadOnlyList<string> PoamIneligible, DateOnly? CloseoutDue);

/// <summary>Wire values of CMMC statuses.</summary>
public static class CmmcStatuses
{
    public const string Final = "final";
    public const string Conditional = "conditional";
    public const string NoStatus = "no-status";
}
