using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

// The transparency log, the firms' signing keys and the letters. Log rows are written by TransparencyLog with raw SQL
// (the hot path), so their columns have fixed snake_case names; nothing ever updates or deletes an entry, hash or checkpoint.

/// <summary>One log entry: its index and its bytes (a letter's or a revocation's canonical JSON).</summary>
internal sealed class LogEntryRow
{
    public long Index { get; set; }
    public required byte[] Data { get; set; }
}

/// <summary>One stored hash of the log's Merkle tree, keyed by its tlog stored-hash index.</summary>
internal sealed class LogHashRow
{
    public long StoredIndex { get; set; }
    public required byte[] Hash { get; set; }
}

/// <summary>A signed checkpoint: one per integrated batch.</summary>
internal sealed class LogCheckpointRow
{
    public long Size { get; set; }
    public required byte[] RootHash { get; set; }
    /// <summary>The signed note, exactly as served at <c>/log/checkpoint</c>.</summary>
    public required string Note { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The log's one-row sequencer: locking it makes one writer append at a time, in every process.</summary>
internal sealed class LogStateRow
{
    public int Id { get; set; }
    /// <summary>Entries integrated (hashed and covered by the latest checkpoint).</summary>
    public long Size { get; set; }
    /// <summary>The origin the log was created with; a log never changes its name.</summary>
    public string? Origin { get; set; }
    /// <summary>The note verifier key of the log's signing key, recorded by the first checkpoint.</summary>
    public string? VerifierKey { get; set; }
}

/// <summary>A firm's public signing key and the period in which letters signed with it count.</summary>
internal sealed class SigningKeyRow
{
    /// <summary>Lowercase hex SHA-256 of the key's SubjectPublicKeyInfo (the DSSE keyid).</summary>
    public required string KeyId { get; set; }
    public Guid OrganizationId { get; set; }
    public required string SignerName { get; set; }
    public required string PublicKeyPem { get; set; }
    public DateTime NotBefore { get; set; }
    public DateTime? NotAfter { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>An issued attestation letter: what the status API and the letter page answer from.</summary>
internal sealed class LetterRow
{
    public Guid Id { get; set; }
    public Guid IssuerOrganizationId { get; set; }
    public required string Issuer { get; set; }
    public required string Subject { get; set; }
    public Guid? AssessmentId { get; set; }
    public required string Framework { get; set; }
    public int? Score { get; set; }
    public required string KeyId { get; set; }
    public long LogIndex { get; set; }
    public DateTime IssuedAt { get; set; }
    public DateTime ValidUntil { get; set; }
    /// <summary><c>valid</c>, <c>revoked</c>, or <c>expired</c> when ended early (<see cref="ExpiredAt"/>); otherwise expiry is computed from <see cref="ValidUntil"/>.</summary>
    public required string Status { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevocationReason { get; set; }
    public long? RevocationIndex { get; set; }
    /// <summary>The letter this one supersedes (same subject and framework), as its signed predicate says.</summary>
    public Guid? Supersedes { get; set; }
    /// <summary>The newer letter that replaced this one; a superseded letter is not revoked (customers keep inheriting until the new one counts).</summary>
    public Guid? SupersededBy { get; set; }
    public DateTime? SupersededAt { get; set; }
    /// <summary>For a conditional CMMC Level 2 letter: the POA&amp;M closeout date, after which the letter expires unless superseded.</summary>
    public DateOnly? CloseoutDue { get; set; }
    /// <summary>When the letter was ended before its <see cref="ValidUntil"/> (an unmet POA&amp;M closeout), with <see cref="ExpiryReason"/>.</summary>
    public DateTime? ExpiredAt { get; set; }
    public string? ExpiryReason { get; set; }
    /// <summary>The letter file as issued (with the proof to the checkpoint of its own batch).</summary>
    public required byte[] Bundle { get; set; }
    /// <summary>
    /// The assessment the letter attests, as its RFC 8785 JSON: the bytes whose SHA-256 is the signed statement's subject digest. What the
    /// letter covers is read from here, not from the stored assessment, which its owner may edit after the letter was issued.
    /// </summary>
    public byte[]? AttestedAssessment { get; set; }
}

/// <summary>The model of the attestation tables, applied by <see cref="CustodesDb"/>.</summary>
internal static class AttestationModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<LogEntryRow>(e =>
        {
            e.ToTable("log_entries");
            e.HasKey(x => x.Index);
            e.Property(x => x.Index).HasColumnName("idx").ValueGeneratedNever();
            e.Property(x => x.Data).HasColumnName("data");
        });
        model.Entity<LogHashRow>(e =>
        {
            e.ToTable("log_hashes");
            e.HasKey(x => x.StoredIndex);
            e.Property(x => x.StoredIndex).HasColumnName("stored_index").ValueGeneratedNever();
            e.Property(x => x.Hash).HasColumnName("hash");
        });
        model.Entity<LogCheckpointRow>(e =>
        {
            e.ToTable("log_checkpoints");
            e.HasKey(x => x.Size);
            e.Property(x => x.Size).HasColumnName("size").ValueGeneratedNever();
            e.Property(x => x.RootHash).HasColumnName("root_hash");
            e.Property(x => x.Note).HasColumnName("note");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
        });
        model.Entity<LogStateRow>(e =>
        {
            e.ToTable("log_state");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.Size).HasColumnName("size");
            e.Property(x => x.Origin).HasColumnName("origin").HasMaxLength(200);
            e.Property(x => x.VerifierKey).HasColumnName("verifier_key").HasMaxLength(400);
            e.HasData(new LogStateRow { Id = 1, Size = 0 });
        });
        model.Entity<SigningKeyRow>(e =>
        {
            e.ToTable("signing_keys");
            e.HasKey(x => x.KeyId);
            e.Property(x => x.KeyId).HasMaxLength(64);
            e.Property(x => x.SignerName).HasMaxLength(200);
            e.HasIndex(x => x.OrganizationId);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<LetterRow>(e =>
        {
            e.ToTable("letters");
            e.HasKey(x => x.Id);
            e.Property(x => x.Issuer).HasMaxLength(200);
            e.Property(x => x.Framework).HasMaxLength(40);
            e.Property(x => x.KeyId).HasMaxLength(64);
            e.Property(x => x.Status).HasMaxLength(20);
            e.HasIndex(x => x.IssuerOrganizationId);
            e.HasIndex(x => x.LogIndex).IsUnique();
            e.Property(x => x.ExpiryReason).HasMaxLength(2000);
            // One letter supersedes another at most once: two closeout letters cannot both replace the same conditional one.
            e.HasIndex(x => x.Supersedes).IsUnique();
            e.HasIndex(x => x.CloseoutDue);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.IssuerOrganizationId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
