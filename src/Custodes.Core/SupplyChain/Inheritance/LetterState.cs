using Custodes.Catalogs;

namespace Custodes.SupplyChain;

/// <summary>The state of a provider's attestation letter as the attestation feature reports it, plus what the attested assessment met.</summary>
/// <remarks>Plain input: the attestation feature verifies letters (signature, expiry, revocation) and hands the outcome here.</remarks>
public sealed record LetterState
{
    public required string LetterId { get; init; }
    /// <summary>The provider's organization id in the portfolio.</summary>
    public required string Provider { get; init; }
    public bool SignatureValid { get; init; } = true;
    public bool Expired { get; init; }
    public bool Revoked { get; init; }
    public DateOnly? ValidUntil { get; init; }
    /// <summary>Requirements met in the attested assessment (not-applicable ones are not in it: they describe the provider's environment).</summary>
    public IReadOnlySet<string> MetRequirements { get; init; } = new HashSet<string>();
    public string? Framework { get; init; }
    public string? Issuer { get; init; }
    public DateOnly? AssessedOn { get; init; }
    public int? Score { get; init; }
    /// <summary>CMMC Level 2 status in the letter: final, conditional or no-status.</summary>
    public string? CmmcLevel2 { get; init; }

    /// <summary>Whether the letter can be relied on at a date: <see cref="InheritanceCause.Holds"/> or why not (signature, revocation, expiry, in that order).</summary>
    public InheritanceCause Check(DateOnly asOf)
    {
        if (!SignatureValid) return InheritanceCause.SignatureInvalid;
        if (Revoked) return InheritanceCause.LetterRevoked;
        if (Expired || ValidUntil < asOf) return InheritanceCause.LetterExpired;
        return InheritanceCause.Holds;
    }

    /// <summary>Whether the letter's requirement ids can stand for a catalog's (r2-based frameworks share ids; r3 has its own).</summary>
    public bool AppliesTo(Catalog catalog) => Framework is null || Frameworks.IsR2Based(Framework) == Frameworks.IsR2Based(catalog.Framework);
}

/// <summary>Why an inherited requirement holds or not.</summary>
public enum InheritanceCause : byte
{
    Holds,
    NoLetter,
    SignatureInvalid,
    LetterRevoked,
    LetterExpired,
    FrameworkMismatch,
    NotMetByProvider,
}
