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
    }
}
