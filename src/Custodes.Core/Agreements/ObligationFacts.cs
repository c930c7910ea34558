namespace Custodes.Agreements;

/// <summary>
/// What the installation knows about one provider, for one customer, at one moment: everything <see cref="CheckObligations"/> reads.
/// Each piece is null when the installation does not hold it, so the obligation that needs it is <c>unknown</c>, never guessed.
/// </summary>
public sealed record ObligationFacts
{
    /// <summary>Whether the provider's portfolio entry is an organization with an account here (its letters, assessments and logs are found through it).</summary>
    public bool ProviderHasAccount { get; init; }
    /// <summary>The provider's name, for reasons a person reads.</summary>
    public required string ProviderName { get; init; }
    /// <summary>The provider's newest letter here, verified; null when it has none.</summary>
    public LetterFacts? Letter { get; init; }
    /// <summary>Whether requirement 3.5.3 (multi-factor authentication) is met in the provider's latest own assessment; null without one.</summary>
    public bool? AssessmentMfaMet { get; init; }
    /// <summary>Whether the provider's RMM logs reach this installation (it is a watched MSP here).</summary>
    public bool Watched { get; init; }
    /// <summary>When the provider's logs last reached this installation; null when never.</summary>
    public DateTimeOffset? LastEventAt { get; init; }
    /// <summary>The provider's open <c>mfa-disabled</c> alerts.</summary>
    public IReadOnlyList<AlertFact> OpenMfaAlerts { get; init; } = [];
    /// <summary>The provider's critical alerts on the customer's tenants, each with the notice the provider sent the customer about it, if any.</summary>
    public IReadOnlyList<AlertFact> CriticalAlerts { get; init; } = [];
    /// <summary>The backup of the relationship (portfolio <c>backup</c>); null when the portfolio says nothing of it.</summary>
    public BackupFacts? Backup { get; init; }
    /// <summary>When the provider last shared its assessment with the customer here (read access to its assessment and evidence); null when it has not.</summary>
    public DateTimeOffset? SharedAssessmentAt { get; init; }
    /// <summary>Hand-set statuses of free-text obligations, by obligation id.</summary>
    public IReadOnlyDictionary<string, ManualStatus> Manual { get; init; } = new Dictionary<string, ManualStatus>();
    /// <summary>The previous check's results, by obligation id: a breach with no date of its own keeps the date it was first seen.</summary>
    public IReadOnlyDictionary<string, ObligationResult> Previous { get; init; } = new Dictionary<string, ObligationResult>();
}

/// <summary>A provider's letter as the checker needs it.</summary>
public sealed record LetterFacts
{
    public required string LetterId { get; init; }
    public required string? Framework { get; init; }
    public required bool SignatureValid { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public bool Revoked { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevocationReason { get; init; }
    public bool Expired { get; init; }
    public DateOnly? ValidUntil { get; init; }
    public int? Score { get; init; }
    /// <summary><c>final</c>, <c>conditional</c> or <c>no-status</c>; null when the letter carries none.</summary>
    public string? CmmcLevel2 { get; init; }
    /// <summary>Whether 3.5.3 is met in the assessment the letter attests; null when the letter holds no readable copy.</summary>
    public bool? MfaMet { get; init; }

    public bool InForce => SignatureValid && !Revoked && !Expired;
}

/// <summary>A watch alert: when it was detected, and when the provider sent the customer a notice about it (null: not yet).</summary>
public sealed record AlertFact(string AlertId, string Rule, DateTimeOffset DetectedAt, DateTimeOffset? NoticeAt = null);

/// <summary>The backup facts of a relationship (portfolio <c>backup</c>: <c>immutable</c>, <c>offsite</c>, <c>last_restore_test</c>).</summary>
public sealed record BackupFacts(bool? Immutable, bool? Offsite, DateOnly? LastRestoreTest);

/// <summary>A free-text obligation's status as the customer set it, with the evidence.</summary>
public sealed record ManualStatus(ObligationState State, string Evidence, string SetBy, DateTimeOffset SetAt);

/// <summary>An obligation's status: <c>met</c>, <c>breached</c> since when, or <c>unknown</c>; the reason in plain words (for unknown, what is missing).</summary>
public sealed record ObligationResult(string Id, ObligationKind Kind, ObligationState State, string Reason, DateTimeOffset? Since);
