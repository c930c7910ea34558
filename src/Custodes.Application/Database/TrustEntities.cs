using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

// An organization's public trust page (contracts §11). A row exists while the page is published: unpublishing deletes it, so no
// query of the public page can find an unpublished organization, and its slug is free again.

/// <summary>A published trust page: which organization, at which address (<c>/trust/&lt;slug&gt;</c>), since when.</summary>
public sealed class TrustPageRow
{
    public Guid OrganizationId { get; set; }
    /// <summary>Lowercase letters, digits and hyphens; unique in the installation.</summary>
    public required string Slug { get; set; }
    public DateTime PublishedAt { get; set; }
    public required string PublishedBy { get; set; }
}

/// <summary>
/// Someone outside the installation who wants to hear of the page's letters: an email address (once confirmed) or a webhook.
/// Tokens are random and only their SHA-256 is kept for lookup; the unsubscribe token is also kept encrypted (like webhook secrets),
/// because every notice carries the unsubscribe link and the worker must be able to write it.
/// </summary>
internal sealed class TrustSubscriptionRow
{
    public Guid Id { get; set; }
    /// <summary>The organization whose trust page it is (subscriptions follow the organization when its page moves).</summary>
    public Guid OrganizationId { get; set; }
    /// <summary><c>email</c> or <c>webhook</c>.</summary>
    public required string Kind { get; set; }
    /// <summary>The email address (lowercase) or the webhook URL.</summary>
    public required string Target { get; set; }
    /// <summary><c>pending</c> (an email not confirmed yet: it receives nothing) or <c>confirmed</c>.</summary>
    public required string Status { get; set; }
    /// <summary>The webhook's signing secret, encrypted at rest; null for email.</summary>
    public string? ProtectedSecret { get; set; }
    public byte[]? ConfirmHash { get; set; }
    public DateTime? ConfirmExpiresAt { get; set; }
    public required byte[] UnsubscribeHash { get; set; }
    public required string ProtectedUnsubscribe { get; set; }
    /// <summary>SHA-256 of the address the request came from (never the address itself): what the per-address limit counts.</summary>
    public required byte[] RequestedFrom { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ConfirmedAt { get; set; }
    /// <summary>When a confirmation (or "already subscribed") mail last went to the address: at most one per address in a while.</summary>
    public DateTime? LastMailedAt { get; set; }
}

/// <summary>The model of the trust tables, applied by <see cref="CustodesDb"/>.</summary>
internal static class TrustModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<TrustPageRow>(e =>
        {
            e.ToTable("trust_pages");
            e.HasKey(x => x.OrganizationId);
            e.Property(x => x.Slug).HasMaxLength(63);
            e.Property(x => x.PublishedBy).HasMaxLength(320);
            e.HasIndex(x => x.Slug).IsUnique();
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<TrustSubscriptionRow>(e =>
        {
            e.ToTable("trust_subscriptions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasMaxLength(20);
            e.Property(x => x.Target).HasMaxLength(2048);
            e.Property(x => x.Status).HasMaxLength(20);
            e.HasIndex(x => new { x.OrganizationId, x.Kind, x.Target }).IsUnique();
            e.HasIndex(x => x.ConfirmHash).IsUnique();
            e.HasIndex(x => x.UnsubscribeHash).IsUnique();
            e.HasIndex(x => new { x.RequestedFrom, x.CreatedAt });
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
