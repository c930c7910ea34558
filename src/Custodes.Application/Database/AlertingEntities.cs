using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

// Delivery: the organizations' alert channels (webhooks, email recipients) and the one outbox of deliveries with every attempt.
// The outbox also carries trust-page notices to their subscribers (trust_subscriptions): a delivery goes to an alert channel or to
// a subscription, never both. Nothing here refers to how alerts themselves are stored: a delivery carries its payload.

/// <summary>Where an organization wants its alerts: a webhook endpoint or an email recipient.</summary>
internal sealed class AlertChannelRow
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    /// <summary><c>webhook</c> or <c>email</c>.</summary>
    public required string Kind { get; set; }
    /// <summary>The webhook URL or the email address.</summary>
    public required string Target { get; set; }
    /// <summary>The webhook's signing secret, encrypted at rest (ASP.NET Core Data Protection); null for email.</summary>
    public string? ProtectedSecret { get; set; }
    /// <summary>The least severe alert delivered: <c>low|medium|high|critical</c>.</summary>
    public required string MinSeverity { get; set; }
    public bool Enabled { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One alert to deliver to one channel (the outbox): kept until delivered or given up, so a restart loses nothing.</summary>
internal sealed class AlertDeliveryRow
{
    public Guid Id { get; set; }
    /// <summary>The alert channel it goes to (null for a trust notice).</summary>
    public Guid? ChannelId { get; set; }
    /// <summary>The trust-page subscription it goes to (null for an alert).</summary>
    public Guid? SubscriptionId { get; set; }
    public Guid OrganizationId { get; set; }
    /// <summary>What it is about: the alert's id in the alert store (<c>test</c> for a test delivery), or a trust notice's
    /// <c>&lt;letter id&gt;:&lt;event&gt;</c> (one delivery per subscription and event: a unique index).</summary>
    public required string AlertId { get; set; }
    /// <summary><c>alert.raised</c>, <c>alert.test</c> or <c>trust.notice</c>.</summary>
    public required string Type { get; set; }
    /// <summary>The webhook body exactly as sent (the email is rendered from it).</summary>
    public required string Payload { get; set; }
    /// <summary><c>pending</c>, <c>delivered</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    /// <summary>Which worker holds the delivery, until <see cref="LeaseUntil"/>: one attempt at a time across processes.</summary>
    public Guid? LeaseToken { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>One attempt at a delivery: when, how long, what the receiver answered or what went wrong.</summary>
internal sealed class AlertAttemptRow
{
    public long Id { get; set; }
    public Guid DeliveryId { get; set; }
    public int Number { get; set; }
    public DateTime At { get; set; }
    public int DurationMs { get; set; }
    /// <summary>The HTTP status, or the SMTP reply code when the server refused.</summary>
    public int? StatusCode { get; set; }
    /// <summary><c>delivered</c>, <c>retry</c> or <c>failed</c>.</summary>
    public required string Outcome { get; set; }
    public string? Error { get; set; }
}

/// <summary>The model of the alerting tables, applied by <see cref="CustodesDb"/>.</summary>
internal static class AlertingModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<AlertChannelRow>(e =>
        {
            e.ToTable("alert_channels");
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasMaxLength(20);
            e.Property(x => x.Target).HasMaxLength(2048);
            e.Property(x => x.MinSeverity).HasMaxLength(20);
            e.Property(x => x.CreatedBy).HasMaxLength(400);
            e.HasIndex(x => x.OrganizationId);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<AlertDeliveryRow>(e =>
        {
            e.ToTable("alert_deliveries");
            e.HasKey(x => x.Id);
            e.Property(x => x.AlertId).HasMaxLength(100);
            e.Property(x => x.Type).HasMaxLength(40);
            e.Property(x => x.Status).HasMaxLength(20);
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.HasIndex(x => new { x.ChannelId, x.CreatedAt });
            e.HasIndex(x => x.LeaseToken);
            e.HasIndex(x => new { x.AlertId, x.ChannelId });
            e.HasIndex(x => new { x.SubscriptionId, x.AlertId }).IsUnique();
            e.HasOne<AlertChannelRow>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<TrustSubscriptionRow>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<AlertAttemptRow>(e =>
        {
            e.ToTable("alert_attempts");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Outcome).HasMaxLength(20);
            e.Property(x => x.Error).HasMaxLength(2000);
            e.HasIndex(x => new { x.DeliveryId, x.Number }).IsUnique();
            e.HasOne<AlertDeliveryRow>().WithMany().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
