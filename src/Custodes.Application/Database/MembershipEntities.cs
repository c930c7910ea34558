using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

/// <summary>
/// An owner's invitation to join an organization. Nobody becomes a member without accepting one (the installation admin's
/// <c>admin create-user --org</c> aside): single-use, expiring, revocable. Only the SHA-256 of the link's token is stored.
/// </summary>
internal sealed class InvitationRow
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    /// <summary>The invitee's email, normalized; whoever signs in with it may accept.</summary>
    public required string Email { get; set; }
    public required string Role { get; set; }
    public required byte[] TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public Guid? AcceptedBy { get; set; }
    public DateTime? DeclinedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>An OpenID Connect identity (issuer and subject) linked to a user once, with proof; later sign-ins match it, never the email alone.</summary>
internal sealed class ExternalLoginRow
{
    public required string Issuer { get; set; }
    public required string Subject { get; set; }
    public Guid UserId { get; set; }
    public DateTime LinkedAt { get; set; }
}

internal static class MembershipModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<InvitationRow>(e =>
        {
            e.ToTable("invitations");
            e.HasKey(x => x.Id);
            e.Property(x => x.Email).HasMaxLength(320);
            e.Property(x => x.Role).HasMaxLength(20);
            e.Property(x => x.CreatedBy).HasMaxLength(400);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => new { x.OrganizationId, x.Email });
            e.HasIndex(x => x.Email);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ExternalLoginRow>(e =>
        {
            e.ToTable("external_logins");
            e.HasKey(x => new { x.Issuer, x.Subject });
            e.Property(x => x.Issuer).HasMaxLength(400);
            e.Property(x => x.Subject).HasMaxLength(255);
            e.HasIndex(x => x.UserId);
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        // Unique per kind; organizations from before this rule have no normalized name (null is never equal in a unique index).
        model.Entity<OrganizationRow>(e =>
        {
            e.Property(x => x.NormalizedName).HasMaxLength(200);
            e.HasIndex(x => new { x.Kind, x.NormalizedName }).IsUnique();
        });
    }
}
