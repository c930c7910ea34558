using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

// Watch: stored RMM audit events of MSP organizations, the per-MSP Merkle log over their batches, quarantined records,
// tenant → customer mapping and alerts. Events, batches and log hashes are written by WatchLog with raw SQL (the hot path),
// so their columns have fixed snake_case names; nothing updates or deletes an event, batch, log hash or checkpoint.

/// <summary>An MSP organization's watch profile: the <c>msp</c> name its events carry, its detection settings, and the
/// state of its Merkle log (the row is the log's lock: one writer per MSP at a time).</summary>
internal sealed class WatchMspRow
{
    public Guid OrganizationId { get; set; }
    /// <summary>The <c>msp</c> value of this organization's events (unique in the installation).</summary>
    public required string EventName { get; set; }
    /// <summary>Detection settings as JSON (the <c>DetectionSettings</c> of one MSP); null means the defaults.</summary>
    public string? Settings { get; set; }
    /// <summary>Bumped on every settings change; the ETag.</summary>
    public int Version { get; set; }
    /// <summary>Batches in the MSP's Merkle log.</summary>
    public long LogSize { get; set; }
    /// <summary>Events stored (the next event's sequence number).</summary>
    public long EventCount { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One stored event, numbered per MSP in arrival order.</summary>
internal sealed class WatchEventRow
{
    public Guid MspOrganizationId { get; set; }
    public long Seq { get; set; }
    /// <summary>UTC ticks (exact; a database timestamp would round to microseconds and break the hash).</summary>
    public long TimeTicks { get; set; }
    public required string Source { get; set; }
    public required string Msp { get; set; }
    public string? Tenant { get; set; }
    public string? Actor { get; set; }
    public string? ActorIp { get; set; }
    public required string Action { get; set; }
    public string? Target { get; set; }
    /// <summary>The <c>detail</c> object as JSON text, exactly as hashed.</summary>
    public required string Detail { get; set; }
}

/// <summary>One stored batch: the events <c>[FirstSeq, FirstSeq + Count)</c> and the leaf it added to the MSP's log.</summary>
internal sealed class WatchBatchRow
{
    public Guid MspOrganizationId { get; set; }
    /// <summary>The batch's leaf index in the MSP's log.</summary>
    public long Index { get; set; }
    public long FirstSeq { get; set; }
    public int Count { get; set; }
    /// <summary>SHA-256 of each event's canonical bytes, in order (32 bytes each): locates an edited event.</summary>
    public required byte[] EventHashes { get; set; }
    /// <summary>The log entry (leaf data): the batch descriptor text.</summary>
    public required byte[] Entry { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A stored hash of an MSP's Merkle tree, by its tlog stored-hash index.</summary>
internal sealed class WatchLogHashRow
{
    public Guid MspOrganizationId { get; set; }
    public long StoredIndex { get; set; }
    public required byte[] Hash { get; set; }
}

/// <summary>A signed checkpoint of an MSP's log: one per batch.</summary>
internal sealed class WatchCheckpointRow
{
    public Guid MspOrganizationId { get; set; }
    public long Size { get; set; }
    public required byte[] RootHash { get; set; }
    public required string Note { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A record that did not become an event, kept with where it came from and why.</summary>
internal sealed class WatchQuarantineRow
{
    public long Id { get; set; }
    public Guid MspOrganizationId { get; set; }
    public DateTime ReceivedAt { get; set; }
    public required string File { get; set; }
    public long Line { get; set; }
    public required string Reason { get; set; }
    public required string Raw { get; set; }
    public string? RawBase64 { get; set; }
    public bool Truncated { get; set; }
}

/// <summary>An RMM tenant of an MSP mapped to a customer organization id. It takes effect only while the customer has accepted the
/// MSP (<see cref="WatchConsentRow"/>); the id is kept as the MSP gave it, with no foreign key, so that a mapping to an unknown id and
/// one to a real customer that has not accepted look the same to the MSP.</summary>
internal sealed class WatchTenantRow
{
    public Guid MspOrganizationId { get; set; }
    public required string Tenant { get; set; }
    public Guid CustomerOrganizationId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A customer's answer to an MSP that wants to send it watch alerts: pending until the customer accepts or declines.</summary>
internal sealed class WatchConsentRow
{
    public Guid CustomerOrganizationId { get; set; }
    public Guid MspOrganizationId { get; set; }
    /// <summary><see cref="Custodes.Application.Watch.ConsentStates"/>.</summary>
    public required string State { get; set; }
    public DateTime RequestedAt { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    /// <summary>Who accepted or declined (<c>user:…</c>), or <c>portfolio</c> when the customer's own portfolio already named the MSP its provider.</summary>
    public string? DecidedBy { get; set; }
    public int Version { get; set; }
}

/// <summary>A detection stored for an MSP: what the detector reported and what people did about it.</summary>
internal sealed class WatchAlertRow
{
    public Guid Id { get; set; }
    public Guid MspOrganizationId { get; set; }
    public required string Rule { get; set; }
    /// <summary>0 low, 1 medium, 2 high, 3 critical.</summary>
    public int Severity { get; set; }
    public required string Msp { get; set; }
    public string? Actor { get; set; }
    public string? Subject { get; set; }
    /// <summary>Newline-separated tenants, sorted.</summary>
    public required string Tenants { get; set; }
    public DateTime FirstSeen { get; set; }
    public DateTime LastSeen { get; set; }
    public long EventCount { get; set; }
    public required string Summary { get; set; }
    /// <summary><c>open</c>, <c>acknowledged</c> or <c>resolved</c>.</summary>
    public required string Status { get; set; }
    public string? StatusNote { get; set; }
    public string? StatusBy { get; set; }
    public DateTime? StatusAt { get; set; }
    /// <summary>True while the detector may still add events to it.</summary>
    public bool Growing { get; set; }
    public DateTime DetectedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>A tenant an alert concerns (what a customer's view filters on).</summary>
internal sealed class WatchAlertTenantRow
{
    public Guid AlertId { get; set; }
    public required string Tenant { get; set; }
}

/// <summary>A stored event behind an alert.</summary>
internal sealed class WatchAlertEventRow
{
    public Guid AlertId { get; set; }
    public long Seq { get; set; }
}

/// <summary>A request accepted for ingestion, durable before it was acknowledged (the write-ahead table, <c>WatchInbox</c>): its
/// events and quarantined records until they are stored in the MSP's log; with an idempotency key, its fingerprint and answer
/// for as long as the key is kept.</summary>
internal sealed class WatchInboxRow
{
    public long Id { get; set; }
    public Guid MspOrganizationId { get; set; }
    /// <summary>The client's <c>Idempotency-Key</c> (unique per MSP), or null.</summary>
    public string? IdempotencyKey { get; set; }
    /// <summary>SHA-256 over the request's format, tenant, time zone and body: what the key was used for.</summary>
    public byte[]? Fingerprint { get; set; }
    /// <summary>The JSON answered when accepted (kept for a request with a key, to answer its retries the same).</summary>
    public string? Answer { get; set; }
    public DateTime ReceivedAt { get; set; }
    public int EventCount { get; set; }
    /// <summary>Events of this request already stored in the MSP's log (a large request spans batches).</summary>
    public int StoredEvents { get; set; }
    /// <summary>The events' canonical <c>custodes.event/v1</c> lines; null once stored.</summary>
    public byte[]? Events { get; set; }
    /// <summary>The quarantined records as a JSON array; null when none or once stored.</summary>
    public string? Quarantine { get; set; }
    /// <summary>When its last events were stored; null while pending.</summary>
    public DateTime? StoredAt { get; set; }
}

/// <summary>The model of the watch tables, applied by <see cref="CustodesDb"/>.</summary>
internal static class WatchModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<WatchMspRow>(e =>
        {
            e.ToTable("watch_msps");
            e.HasKey(x => x.OrganizationId);
            e.Property(x => x.OrganizationId).HasColumnName("organization_id");
            e.Property(x => x.EventName).HasColumnName("event_name").HasMaxLength(200);
            e.HasIndex(x => x.EventName).IsUnique();
            e.Property(x => x.Settings).HasColumnName("settings");
            e.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
            e.Property(x => x.LogSize).HasColumnName("log_size");
            e.Property(x => x.EventCount).HasColumnName("event_count");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<WatchEventRow>(e =>
        {
            e.ToTable("watch_events");
            e.HasKey(x => new { x.MspOrganizationId, x.Seq });
            e.Property(x => x.MspOrganizationId).HasColumnName("msp_organization_id");
            e.Property(x => x.Seq).HasColumnName("seq").ValueGeneratedNever();
            e.Property(x => x.TimeTicks).HasColumnName("time_ticks");
            e.Property(x => x.Source).HasColumnName("source");
            e.Property(x => x.Msp).HasColumnName("msp");
            e.Property(x => x.Tenant).HasColumnName("tenant");
            e.Property(x => x.Actor).HasColumnName("actor");
            e.Property(x => x.ActorIp).HasColumnName("actor_ip");
            e.Property(x => x.Action).HasColumnName("action");
            e.Property(x => x.Target).HasColumnName("target");
            e.Property(x => x.Detail).HasColumnName("detail");
        });
        model.Entity<WatchBatchRow>(e =>
        {
            e.ToTable("watch_batches");
            e.HasKey(x => new { x.MspOrganizationId, x.Index });
            e.Property(x => x.MspOrganizationId).HasColumnName("msp_organization_id");
            e.Property(x => x.Index).HasColumnName("idx").ValueGeneratedNever();
            e.Property(x => x.FirstSeq).HasColumnName("first_seq");
            e.Property(x => x.Count).HasColumnName("count");
            e.Property(x => x.EventHashes).HasColumnName("event_hashes");
            e.Property(x => x.Entry).HasColumnName("entry");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
        model.Entity<WatchLogHashRow>(e =>
        {
            e.ToTable("watch_log_hashes");
            e.HasKey(x => new { x.MspOrganizationId, x.StoredIndex });
            e.Property(x => x.MspOrganizationId).HasColumnName("msp_organization_id");
            e.Property(x => x.StoredIndex).HasColumnName("stored_index").ValueGeneratedNever();
            e.Property(x => x.Hash).HasColumnName("hash");
        });
        model.Entity<WatchCheckpointRow>(e =>
        {
            e.ToTable("watch_checkpoints");
            e.HasKey(x => new { x.MspOrganizationId, x.Size });
            e.Property(x => x.MspOrganizationId).HasColumnName("msp_organization_id");
            e.Property(x => x.Size).HasColumnName("size").ValueGeneratedNever();
            e.Property(x => x.RootHash).HasColumnName("root_hash");
            e.Property(x => x.Note).HasColumnName("note");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
        model.Entity<WatchInboxRow>(e =>
        {
            e.ToTable("watch_inbox");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedOnAdd();
            e.Property(x => x.MspOrganizationId).HasColumnName("msp_organization_id");
            e.Property(x => x.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(255);
            e.HasIndex(x => new { x.MspOrganizationId, x.IdempotencyKey }).IsUnique();
            e.Property(x => x.Fingerprint).HasColumnName("fingerprint");
            e.Property(x => x.Answer).HasColumnName("answer");
            e.Property(x => x.ReceivedAt).HasColumnName("received_at");
            e.Property(x => x.EventCount).HasColumnName("event_count");
            e.Property(x => x.StoredEvents).HasColumnName("stored_events");
            e.Property(x => x.Events).HasColumnName("events");
            e.Property(x => x.Quarantine).HasColumnName("quarantine");
            e.Property(x => x.StoredAt).HasColumnName("stored_at");
            e.HasIndex(x => x.StoredAt);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.MspOrganizationId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<WatchQuarantineRow>(e =>
        {
            e.ToTable("watch_quarantine");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.HasIndex(x => new { x.MspOrganizationId, x.Id });
            e.Property(x => x.File).HasMaxLength(400);
            e.Property(x => x.Reason).HasMaxLength(2000);
        });
        model.Entity<WatchTenantRow>(e =>
        {
            e.ToTable("watch_tenants");
            e.HasKey(x => new { x.MspOrganizationId, x.Tenant });
            e.Property(x => x.Tenant).HasMaxLength(200);
            e.HasIndex(x => x.CustomerOrganizationId);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.MspOrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<WatchConsentRow>(e =>
        {
            e.ToTable("watch_consents");
            e.HasKey(x => new { x.CustomerOrganizationId, x.MspOrganizationId });
            e.HasIndex(x => x.MspOrganizationId);
            e.Property(x => x.State).HasMaxLength(20);
            e.Property(x => x.RequestedBy).HasMaxLength(400);
            e.Property(x => x.DecidedBy).HasMaxLength(400);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.CustomerOrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.MspOrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<WatchAlertRow>(e =>
        {
            e.ToTable("watch_alerts");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.MspOrganizationId, x.FirstSeen });
            e.Property(x => x.Rule).HasMaxLength(200);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.MspOrganizationId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<WatchAlertTenantRow>(e =>
        {
            e.ToTable("watch_alert_tenants");
            e.HasKey(x => new { x.AlertId, x.Tenant });
            e.HasIndex(x => x.Tenant);
            e.HasOne<WatchAlertRow>().WithMany().HasForeignKey(x => x.AlertId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<WatchAlertEventRow>(e =>
        {
            e.ToTable("watch_alert_events");
            e.HasKey(x => new { x.AlertId, x.Seq });
            e.HasOne<WatchAlertRow>().WithMany().HasForeignKey(x => x.AlertId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
