using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

// Agreements between a customer organization and a provider of its portfolio (contracts §14), the status of each obligation as last
// checked, the statuses a customer sets by hand on free-text obligations, and the notices a newly breached obligation or a coming
// renewal raises. A provider's notice about an alert to a customer (what incident-notice-hours checks) is kept with the alerts.

/// <summary>A stored agreement: owned by the customer organization, between a customer and a provider entry of its portfolio.</summary>
internal sealed class AgreementRow
{
    public Guid Id { get; set; }
    /// <summary>The customer organization that owns the agreement.</summary>
    public Guid OrganizationId { get; set; }
    /// <summary>The customer's and the provider's ids in the owner's portfolio.</summary>
    public required string Customer { get; set; }
    public required string Provider { get; set; }
    public required string ProviderName { get; set; }
    /// <summary>The Custodes organization the provider entry is, when it has an account here (found again at each portfolio import).</summary>
    public Guid? ProviderOrganizationId { get; set; }
    public DateOnly? SignedOn { get; set; }
    public DateOnly? RenewsOn { get; set; }
    public int NoticeDays { get; set; }
    /// <summary>The agreement as <c>custodes.agreement/v1</c> JSON (<see cref="Custodes.Agreements.AgreementFile.ToJson"/>).</summary>
    public required string Content { get; set; }
    public int Version { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime? CheckedAt { get; set; }
}

/// <summary>An obligation's status as last checked.</summary>
internal sealed class ObligationStatusRow
{
    public Guid AgreementId { get; set; }
    public required string ObligationId { get; set; }
    public required string Kind { get; set; }
    /// <summary><c>met</c>, <c>breached</c> or <c>unknown</c>.</summary>
    public required string Status { get; set; }
    public required string Reason { get; set; }
    public DateTime? Since { get; set; }
    public DateTime CheckedAt { get; set; }
}

/// <summary>The status a customer set on a free-text obligation, with its evidence.</summary>
internal sealed class ObligationManualStatusRow
{
    public Guid AgreementId { get; set; }
    public required string ObligationId { get; set; }
    public required string Status { get; set; }
    public required string Evidence { get; set; }
    public required string SetBy { get; set; }
    public DateTime SetAt { get; set; }
}

/// <summary>A notice about an agreement: an obligation newly breached, or a renewal coming (90, 60, 30 days before the notice deadline).</summary>
internal sealed class AgreementNoticeRow
{
    public Guid Id { get; set; }
    public Guid AgreementId { get; set; }
    /// <summary>The customer organization the notice is for.</summary>
    public Guid OrganizationId { get; set; }
    /// <summary>The provider's organization, which sees the notice too; null when it has no account here.</summary>
    public Guid? ProviderOrganizationId { get; set; }
    /// <summary><c>obligation-breached</c> or <c>renewal</c>.</summary>
    public required string Kind { get; set; }
    /// <summary>What makes the notice unique for its agreement (the obligation and when its breach began; the renewal date and milestone).</summary>
    public required string Key { get; set; }
    public string? ObligationId { get; set; }
    public required string Summary { get; set; }
    public DateTime? Since { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A provider's notice to a customer about an alert on the customer's tenants, with a note (what incident-notice-hours checks).</summary>
internal sealed class WatchAlertNoticeRow
{
    public Guid Id { get; set; }
    public Guid AlertId { get; set; }
    public Guid CustomerOrganizationId { get; set; }
    public required string Note { get; set; }
    public required string SentBy { get; set; }
    public DateTime SentAt { get; set; }
}

/// <summary>The model of the agreement tables, applied by <see cref="CustodesDb"/>.</summary>
internal static class AgreementModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<AgreementRow>(e =>
        {
            e.ToTable("agreements");
            e.HasKey(x => x.Id);
            e.Property(x => x.Customer).HasMaxLength(200);
            e.Property(x => x.Provider).HasMaxLength(200);
            e.Property(x => x.ProviderName).HasMaxLength(200);
            e.Property(x => x.UpdatedBy).HasMaxLength(320);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.OrganizationId, x.Customer, x.Provider }).IsUnique();
            e.HasIndex(x => x.ProviderOrganizationId);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.ProviderOrganizationId).OnDelete(DeleteBehavior.SetNull);
        });
        model.Entity<ObligationStatusRow>(e =>
        {
            e.ToTable("obligation_statuses");
            e.HasKey(x => new { x.AgreementId, x.ObligationId });
            e.Property(x => x.ObligationId).HasMaxLength(100);
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.Status).HasMaxLength(20);
            e.HasOne<AgreementRow>().WithMany().HasForeignKey(x => x.AgreementId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ObligationManualStatusRow>(e =>
        {
            e.ToTable("obligation_manual_statuses");
            e.HasKey(x => new { x.AgreementId, x.ObligationId });
            e.Property(x => x.ObligationId).HasMaxLength(100);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.SetBy).HasMaxLength(320);
            e.HasOne<AgreementRow>().WithMany().HasForeignKey(x => x.AgreementId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<AgreementNoticeRow>(e =>
        {
            e.ToTable("agreement_notices");
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.Key).HasMaxLength(200);
            e.Property(x => x.ObligationId).HasMaxLength(100);
            e.HasIndex(x => new { x.AgreementId, x.Kind, x.Key }).IsUnique();
            e.HasIndex(x => new { x.OrganizationId, x.CreatedAt });
            e.HasIndex(x => new { x.ProviderOrganizationId, x.CreatedAt });
            e.HasOne<AgreementRow>().WithMany().HasForeignKey(x => x.AgreementId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<WatchAlertNoticeRow>(e =>
        {
            e.ToTable("watch_alert_notices");
            e.HasKey(x => x.Id);
            e.Property(x => x.SentBy).HasMaxLength(320);
            e.HasIndex(x => new { x.AlertId, x.CustomerOrganizationId, x.SentAt });
            e.HasOne<WatchAlertRow>().WithMany().HasForeignKey(x => x.AlertId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.CustomerOrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
