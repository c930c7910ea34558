namespace Custodes.Assessments;

/// <summary>An assessment of one organization against one framework: the content of a <c>custodes.assessment/v1</c> file.</summary>
/// <remarks>Keeps what the assessor recorded (requirement- and objective-level findings) exactly; effective statuses are derived by <see cref="Resolution"/>.</remarks>
public sealed record Assessment
{
    public const string Schema = "custodes.assessment/v1";

    public required string Framework { get; init; }
    public required string Organization { get; init; }
    public string? Scope { get; init; }
    public DateOnly? AssessedOn { get; init; }
    /// <summary>Whether a system security plan exists; null when the file does not say (then 3.12.4 decides).</summary>
    public bool? Ssp { get; init; }
    /// <summary>The assessing firm or person, when recorded.</summary>
    public string? Assessor { get; init; }
    /// <summary>Free-text description of the system in scope (used by the SSP).</summary>
    public string? System { get; init; }
    /// <summary>Requirement-level findings keyed by NIST requirement id (3.1.1 or 03.01.01), in catalog order.</summary>
    public IReadOnlyDictionary<string, Finding> Requirements { get; init; } = new Dictionary<string, Finding>();
    /// <summary>Objective-level findings keyed by SP 800-171A objective id (3.1.1[a]).</summary>
    public IReadOnlyDictionary<string, Finding> Objectives { get; init; } = new Dictionary<string, Finding>();
    public IReadOnlyList<PoamItem> Poam { get; init; } = [];
}

/// <summary>A determination with what supports it.</summary>
public sealed record Finding
{
    public Status Status { get; init; }
    /// <summary>Partial-implementation value (only 3.5.3 and 3.13.11, only when not met).</summary>
    public string? Partial { get; init; }
    /// <summary>Evidence references: <c>sha256:&lt;hex&gt;</c> for stored evidence, or any other reference (a document name, a URL).</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];
    public string? Note { get; init; }
    public IReadOnlyList<AssessmentMethod> Methods { get; init; } = [];

    /// <summary>True when only the status is recorded (written as a bare string in the file).</summary>
    public bool IsBare => Partial is null && Evidence.Count == 0 && Note is null && Methods.Count == 0;

    public static Finding Of(Status status) => new() { Status = status };
}

/// <summary>One plan-of-action-and-milestones item for an unmet requirement.</summary>
public sealed record PoamItem
{
    /// <summary>The requirement the item remediates.</summary>
    public required string Id { get; init; }
    public DateOnly? PlannedCompletion { get; init; }
    public string? Milestones { get; init; }
    public PoamStatus Status { get; init; } = PoamStatus.Open;
    public DateOnly? CompletedOn { get; init; }
    public string? Owner { get; init; }
    public string? Note { get; init; }
}
