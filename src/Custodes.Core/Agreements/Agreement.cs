using Custodes.SupplyChain;

namespace Custodes.Agreements;

/// <summary>What a provider promised a customer, and when the promise runs: the content of a <c>custodes.agreement/v1</c> file (contracts §14).</summary>
/// <remarks><see cref="Customer"/> and <see cref="Provider"/> are organization ids of the customer's portfolio; obligations keep document order.</remarks>
public sealed record Agreement
{
    public const string Schema = "custodes.agreement/v1";

    public required string Customer { get; init; }
    public required string Provider { get; init; }
    public DateOnly? SignedOn { get; init; }
    public DateOnly? RenewsOn { get; init; }
    /// <summary>Days before <see cref="RenewsOn"/> by which either side must give notice (to renegotiate or leave); 0 when not given.</summary>
    public int NoticeDays { get; init; }
    public IReadOnlyList<Obligation> Obligations { get; init; } = [];

    /// <summary>The last day notice can be given before the agreement renews by itself, if it renews.</summary>
    public DateOnly? NoticeDeadline => RenewsOn?.AddDays(-NoticeDays);
}

/// <summary>One promise of an agreement. Which fields count depends on <see cref="Kind"/>: a framework, a number, a CMMC status or a text.</summary>
public sealed record Obligation
{
    /// <summary>Unique within the agreement; how statuses and hand-set evidence refer to it.</summary>
    public required string Id { get; init; }
    public required ObligationKind Kind { get; init; }
    /// <summary>The framework a letter must attest (<see cref="ObligationKind.ValidAttestation"/>).</summary>
    public string? Framework { get; init; }
    /// <summary>The number the kind is about: a score, hours or days.</summary>
    public int? Value { get; init; }
    /// <summary>The lowest CMMC Level 2 status that meets <see cref="ObligationKind.CmmcLevel"/>: <c>conditional</c> or <c>final</c>.</summary>
    public string? CmmcStatus { get; init; }
    /// <summary>What was promised, in the agreement's words (required for <see cref="ObligationKind.FreeText"/>).</summary>
    public string? Text { get; init; }
}

/// <summary>The kinds of obligation Custodes checks; <see cref="FreeText"/> is tracked by hand.</summary>
public enum ObligationKind
{
    ValidAttestation,
    MinimumScore,
    CmmcLevel,
    MfaOnRemoteTools,
    IncidentNoticeHours,
    RestoreTestWithinDays,
    ImmutableBackup,
    RightToAudit,
    WatchedRmm,
    FreeText,
}

/// <summary>Where an obligation stands: met, breached (with reason and since when), or unknown (with the data that is missing).</summary>
public enum ObligationState
{
    Met,
    Breached,
    Unknown,
}

/// <summary>Wire names of the agreement's enums.</summary>
public static class AgreementNames
{
    public static readonly WireNames<ObligationKind> Kinds = new(
        (ObligationKind.ValidAttestation, "valid-attestation"),
        (ObligationKind.MinimumScore, "minimum-score"),
        (ObligationKind.CmmcLevel, "cmmc-level"),
        (ObligationKind.MfaOnRemoteTools, "mfa-on-remote-tools"),
        (ObligationKind.IncidentNoticeHours, "incident-notice-hours"),
        (ObligationKind.RestoreTestWithinDays, "restore-test-within-days"),
        (ObligationKind.ImmutableBackup, "immutable-backup"),
        (ObligationKind.RightToAudit, "right-to-audit"),
        (ObligationKind.WatchedRmm, "watched-rmm"),
        (ObligationKind.FreeText, "free-text"));

    public static readonly WireNames<ObligationState> States = new(
        (ObligationState.Met, "met"),
        (ObligationState.Breached, "breached"),
        (ObligationState.Unknown, "unknown"));

    /// <summary>CMMC Level 2 statuses an obligation may require, weakest first.</summary>
    public static readonly IReadOnlyList<string> CmmcStatuses = ["conditional", "final"];

    /// <summary>What the kind promises, in plain words (pages, exports).</summary>
    public static string Describe(Obligation o) => o.Kind switch
    {
        ObligationKind.ValidAttestation => $"Holds a valid letter of attestation for {o.Framework}",
        ObligationKind.MinimumScore => $"Keeps an attested score of at least {o.Value}",
        ObligationKind.CmmcLevel => $"Holds a CMMC Level 2 status of {o.CmmcStatus}{(o.CmmcStatus == "conditional" ? " or final" : "")}",
        ObligationKind.MfaOnRemoteTools => "Requires multi-factor sign-in on its remote tools",
        ObligationKind.IncidentNoticeHours => $"Tells you of a critical incident within {o.Value} hours",
        ObligationKind.RestoreTestWithinDays => $"Tests restoring your backup at least every {o.Value} days",
        ObligationKind.ImmutableBackup => "Keeps your backup immutable (it cannot be changed or deleted)",
        ObligationKind.RightToAudit => "Lets you audit its security (its assessment and evidence are shared with you)",
        ObligationKind.WatchedRmm => "Sends its remote-management logs to Custodes (an event within the last 24 hours)",
        _ => o.Text ?? "",
    };
}
