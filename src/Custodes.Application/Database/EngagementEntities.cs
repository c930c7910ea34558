using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

/// <summary>
/// An organization's request to an assessor firm for an assessment, and its course to a letter (docs/engagements.md): requested, accepted
/// (with the lead's independence statement) or declined (with a reason), preparation, fieldwork, quality review, issued; or withdrawn.
/// </summary>
public sealed class EngagementRow
{
    public Guid Id { get; set; }
    /// <summary>The organization that asked, and is assessed.</summary>
    public Guid RequesterOrganizationId { get; set; }
    /// <summary>The assessor firm asked.</summary>
    public Guid FirmOrganizationId { get; set; }
    public required string Framework { get; set; }
    public required string Scope { get; set; }
    public DateOnly TargetDate { get; set; }
    public required string Stage { get; set; }
    public DateTime RequestedAt { get; set; }
    public required string RequestedBy { get; set; }
    /// <summary>Why the firm declined: one of <see cref="Engagements.DeclineReasons"/>, with the firm's note.</summary>
    public string? DeclineReason { get; set; }
    public string? DeclineNote { get; set; }
    /// <summary>The lead assessor (a member of the firm) and the statement of independence the lead confirmed on accepting.</summary>
    public Guid? LeadUserId { get; set; }
    public string? LeadName { get; set; }
    /// <summary>The assessors of the team besides the lead (user ids, newline-separated).</summary>
    public string? AssessorUserIds { get; set; }
    public string? Independence { get; set; }
    public DateTime? AcceptedAt { get; set; }
    /// <summary>The firm's C3PAO identifier, for a CMMC engagement.</summary>
    public string? C3paoId { get; set; }
    /// <summary>The firm's assessment of the requester (owned by the firm, shared read-only with the requester).</summary>
    public Guid? AssessmentId { get; set; }
    public Guid? QaReviewerUserId { get; set; }
    public string? QaReviewerName { get; set; }
    public DateTime? QaSignedOffAt { get; set; }
    public Guid? LetterId { get; set; }
    /// <summary>The requester's own self-assessment, attached in preparation and shared read-only with the firm; frozen from fieldwork on.</summary>
    public Guid? SelfAssessmentId { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An evidence version of the requester attached to an engagement in preparation: the firm reads it, read-only.</summary>
internal sealed class EngagementEvidenceRow
{
    public Guid EngagementId { get; set; }
    public Guid EvidenceId { get; set; }
    public DateTime AttachedAt { get; set; }
    public required string AttachedBy { get; set; }
}

/// <summary>An assessor firm's signing key held by the installation: the private key only as AES-GCM ciphertext under the key-encryption key.</summary>
public sealed class FirmKeyRow
{
    public Guid OrganizationId { get; set; }
    public required string KeyId { get; set; }
    public required string PublicKeyPem { get; set; }
    /// <summary>nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes) of the PKCS#8 PEM, with the organization id as associated data.</summary>
    public required byte[] EncryptedPrivateKey { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal static class EngagementModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<EngagementRow>(e =>
        {
            e.ToTable("engagements");
            e.HasKey(x => x.Id);
            e.Property(x => x.Framework).HasMaxLength(100);
            e.Property(x => x.Scope).HasMaxLength(2000);
            e.Property(x => x.Stage).HasMaxLength(20);
            e.Property(x => x.RequestedBy).HasMaxLength(400);
            e.Property(x => x.DeclineReason).HasMaxLength(40);
            e.Property(x => x.DeclineNote).HasMaxLength(2000);
            e.Property(x => x.LeadName).HasMaxLength(400);
            e.Property(x => x.Independence).HasMaxLength(4000);
            e.Property(x => x.C3paoId).HasMaxLength(100);
            e.Property(x => x.QaReviewerName).HasMaxLength(400);
            e.HasIndex(x => x.RequesterOrganizationId);
            e.HasIndex(x => x.FirmOrganizationId);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.RequesterOrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.FirmOrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<EngagementEvidenceRow>(e =>
        {
            e.ToTable("engagement_evidence");
            e.HasKey(x => new { x.EngagementId, x.EvidenceId });
            e.Property(x => x.AttachedBy).HasMaxLength(400);
            e.HasIndex(x => x.EvidenceId);
            e.HasOne<EngagementRow>().WithMany().HasForeignKey(x => x.EngagementId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<EvidenceRow>().WithMany().HasForeignKey(x => x.EvidenceId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<FirmKeyRow>(e =>
        {
            e.ToTable("firm_keys");
            e.HasKey(x => x.OrganizationId);
            e.Property(x => x.KeyId).HasMaxLength(64);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
