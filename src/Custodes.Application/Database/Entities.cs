namespace Custodes.Application.Database;

// The stored model. Rows are plain classes for EF; the domain's records live in Custodes.Core.
// Every tenant-owned row carries OrganizationId, and every query for a person or API key filters by it.

/// <summary>An organization: an assessor firm, an MSP, or a customer. Each is a tenant.</summary>
internal sealed class OrganizationRow
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    /// <summary>The name trimmed, its spaces collapsed and lower-cased (<see cref="Organizations.OrganizationNames.Normalize"/>): unique per kind.
    /// Null for organizations created before names were unique, so older duplicates stay as they were (docs/web.md).</summary>
    public string? NormalizedName { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A person who signs in.</summary>
internal sealed class UserRow
{
    public Guid Id { get; set; }
    public required string Email { get; set; }
    public string? DisplayName { get; set; }
    /// <summary>ASP.NET Core Identity v3 hash (PBKDF2-HMAC-SHA512), or null for accounts that sign in only with an external provider.</summary>
    public string? PasswordHash { get; set; }
    /// <summary>Base32 TOTP secret once multi-factor is enrolled.</summary>
    public string? TotpSecret { get; set; }
    public bool MfaEnabled { get; set; }
    /// <summary>The last TOTP time step accepted, so a code cannot be replayed within its window.</summary>
    public long? LastTotpStep { get; set; }
    /// <summary>Newline-separated SHA-256 (hex) of the unused one-time recovery codes.</summary>
    public string? RecoveryCodes { get; set; }
    public int FailedSignIns { get; set; }
    public DateTime? LockedUntil { get; set; }
    /// <summary>Set when an owner reset the password: the next sign-in must choose a new one before anything else.</summary>
    public bool MustChangePassword { get; set; }
    /// <summary>When the password last changed; a reset link names it, so it works once and only until the next change.</summary>
    public DateTime? PasswordChangedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A user's role in an organization.</summary>
internal sealed class MembershipRow
{
    public Guid UserId { get; set; }
    public Guid OrganizationId { get; set; }
    public required string Role { get; set; }
    /// <summary>When the user last chose this organization (switcher, accepted invitation): sign-in lands in the latest one.</summary>
    public DateTime? LastSelectedAt { get; set; }
}

/// <summary>An API key of one user acting for one organization; only its SHA-256 is stored.</summary>
internal sealed class ApiKeyRow
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    /// <summary>The key's first characters, to tell keys apart in lists without revealing them.</summary>
    public required string Prefix { get; set; }
    public required byte[] Hash { get; set; }
    public required string Scopes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}

/// <summary>An assessment owned by one organization (the assessor firm, or the MSP preparing itself).</summary>
internal sealed class AssessmentRow
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public required string Framework { get; set; }
    /// <summary>The assessed organization, as named in the assessment file.</summary>
    public required string Subject { get; set; }
    /// <summary>The assessed organization's tenant, when it is registered here.</summary>
    public Guid? SubjectOrganizationId { get; set; }
    public string? Scope { get; set; }
    public DateOnly? AssessedOn { get; set; }
    public bool? Ssp { get; set; }
    public string? Assessor { get; set; }
    public string? SystemDescription { get; set; }
    /// <summary>
    /// The effective status of every requirement (<see cref="Custodes.SupplyChain.CompactAssessment.ToCodes"/>), kept with every change of the
    /// determinations: what recomputing thousands of customers after a letter change reads instead of their determinations. Null for
    /// assessments stored before it was kept; those are read from their determinations.
    /// </summary>
    public string? Statuses { get; set; }
    /// <summary>Bumped on every change; the ETag, and the optimistic-concurrency token.</summary>
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<DeterminationRow> Determinations { get; set; } = [];
    public List<PoamItemRow> Poam { get; set; } = [];
}

/// <summary>A determination on a requirement (<c>3.1.1</c>) or an objective (<c>3.1.1[a]</c>).</summary>
internal sealed class DeterminationRow
{
    public Guid AssessmentId { get; set; }
    public required string TargetId { get; set; }
    public bool IsObjective { get; set; }
    public required string Status { get; set; }
    public string? Partial { get; set; }
    public string? Note { get; set; }
    /// <summary>Comma-separated assessment methods: examine, interview, test.</summary>
    public string? Methods { get; set; }
    /// <summary>Newline-separated evidence references.</summary>
    public string? Evidence { get; set; }
}

/// <summary>An assessment shared read-only with another organization (an MSP with its customer, an assessor with the MSP it assessed).</summary>
internal sealed class ShareRow
{
    public Guid AssessmentId { get; set; }
    /// <summary>The organization that may read the assessment.</summary>
    public Guid OrganizationId { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}

/// <summary>A POA&amp;M item of an assessment.</summary>
internal sealed class PoamItemRow
{
    public Guid AssessmentId { get; set; }
    public required string RequirementId { get; set; }
    public DateOnly? PlannedCompletion { get; set; }
    public string? Milestones { get; set; }
    public required string Status { get; set; }
    public DateOnly? CompletedOn { get; set; }
    public string? Owner { get; set; }
    public string? Note { get; set; }
}

/// <summary>One version of an evidence file: content-addressed on disk, described here.</summary>
internal sealed class EvidenceRow
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    /// <summary>Lowercase hex SHA-256 of the content: the file's name in the store.</summary>
    public required string Sha256 { get; set; }
    /// <summary>The logical document ("CMDB export"); versions of one document share it.</summary>
    public required string Name { get; set; }
    public int Version { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public DateTime UploadedAt { get; set; }
    public required string UploadedBy { get; set; }
}

/// <summary>Links an evidence version to a requirement or objective of an assessment.</summary>
internal sealed class EvidenceLinkRow
{
    public Guid EvidenceId { get; set; }
    public Guid AssessmentId { get; set; }
    public required string TargetId { get; set; }
}

/// <summary>One entry of the append-only, hash-chained audit trail.</summary>
internal sealed class AuditRow
{
    public long Sequence { get; set; }
    public Guid? OrganizationId { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    /// <summary>Hash of the previous entry (32 zero bytes for the first): unique, so the chain cannot fork.</summary>
    public required byte[] PreviousHash { get; set; }
    public required byte[] Hash { get; set; }
}
