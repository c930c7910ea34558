namespace Custodes.Assessments;

/// <summary>A determination for a requirement or objective (contracts §2).</summary>
public enum Status : byte
{
    Unassessed = 0,
    Met = 1,
    NotMet = 2,
    NotApplicable = 3,
}

/// <summary>The wire names of <see cref="Status"/>: met, not-met, not-applicable, unassessed.</summary>
public static class StatusNames
{
    public const string Met = "met";
    public const string NotMet = "not-met";
    public const string NotApplicable = "not-applicable";
    public const string Unassessed = "unassessed";

    public static readonly IReadOnlyList<string> All = [Met, NotMet, NotApplicable, Unassessed];

    public static string ToWire(this Status status) => status switch
    {
        Status.Met => Met,
        Status.NotMet => NotMet,
        Status.NotApplicable => NotApplicable,
        _ => Unassessed,
    };

    public static bool TryParse(string? text, out Status status)
    {
        status = text switch
        {
            Met => Status.Met,
            NotMet => Status.NotMet,
            NotApplicable => Status.NotApplicable,
            Unassessed => Status.Unassessed,
            _ => (Status)255,
        };
        return (byte)status != 255;
    }

    /// <summary>Met or not applicable: what the DoD methodology and CMMC count as satisfied.</summary>
    public static bool IsSatisfied(this Status status) => status is Status.Met or Status.NotApplicable;
}

/// <summary>SP 800-171A assessment methods.</summary>
public enum AssessmentMethod
{
    Examine,
    Interview,
    Test,
}

/// <summary>Where a POA&amp;M item stands.</summary>
public enum PoamStatus
{
    Open,
    InProgress,
    Closed,
}
