using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

// The witnessed log (contracts §12). As a witness, the installation keeps per log origin the one tree it last cosigned; as a
// log, it keeps the witnesses it asks, the cosignatures they returned, and the quorum its checkpoint must carry.

/// <summary>A log this installation witnesses, and the newest tree it cosigned for it (size 0 and no root: none yet).</summary>
public sealed class WitnessLogRow
{
    /// <summary>The log's origin line: C2SP witnesses keep one state per origin.</summary>
    public required string Origin { get; set; }
    /// <summary>The log's note verifier key (type 0x01).</summary>
    public required string VerifierKey { get; set; }
    /// <summary>Size of the newest checkpoint cosigned; only ever grows, and only by a compare-and-swap on the old size.</summary>
    public long Size { get; set; }
    public byte[]? RootHash { get; set; }
    public DateTime AddedAt { get; set; }
    public DateTime? CosignedAt { get; set; }
}

/// <summary>A witness this installation's log asks for cosignatures.</summary>
public sealed class LogWitnessRow
{
    /// <summary>The witness's vkey (<c>name+id+base64(0x04 ‖ key)</c>).</summary>
    public required string VerifierKey { get; set; }
    public required string Name { get; set; }
    /// <summary>The witness's submission prefix: the log POSTs to <c>&lt;url&gt;/add-checkpoint</c>.</summary>
    public required string Url { get; set; }
    /// <summary>The tree size this witness last cosigned for the log (what the next request's <c>old</c> line says).</summary>
    public long CosignedSize { get; set; }
    public DateTime AddedAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    /// <summary>Why the last request failed, for the operator; null after a success.</summary>
    public string? LastError { get; set; }
}

/// <summary>One witness's cosignature line on one of the log's checkpoints.</summary>
public sealed class LogCosignatureRow
{
    public long Size { get; set; }
    public required string WitnessKey { get; set; }
    /// <summary>The note signature line, with its newline, exactly as the witness returned it.</summary>
    public required string Line { get; set; }
    public DateTime CosignedAt { get; set; }
}

/// <summary>How many of the configured witnesses must cosign a checkpoint before the log serves it (0: no quorum).</summary>
public sealed class LogWitnessPolicyRow
{
    public int Id { get; set; }
    public int Quorum { get; set; }
}

internal static class WitnessModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<WitnessLogRow>(e =>
        {
            e.ToTable("witness_logs");
            e.HasKey(x => x.Origin);
            e.Property(x => x.Origin).HasColumnName("origin").HasMaxLength(400);
            e.Property(x => x.VerifierKey).HasColumnName("verifier_key").HasMaxLength(600);
            e.Property(x => x.Size).HasColumnName("size");
            e.Property(x => x.RootHash).HasColumnName("root_hash");
            e.Property(x => x.AddedAt).HasColumnName("added_at");
            e.Property(x => x.CosignedAt).HasColumnName("cosigned_at");
        });
        model.Entity<LogWitnessRow>(e =>
        {
            e.ToTable("log_witnesses");
            e.HasKey(x => x.VerifierKey);
            e.Property(x => x.VerifierKey).HasColumnName("verifier_key").HasMaxLength(600);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(400);
            e.Property(x => x.Url).HasColumnName("url").HasMaxLength(1000);
            e.Property(x => x.CosignedSize).HasColumnName("cosigned_size");
            e.Property(x => x.AddedAt).HasColumnName("added_at");
            e.Property(x => x.LastAttemptAt).HasColumnName("last_attempt_at");
            e.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(1000);
        });
        model.Entity<LogCosignatureRow>(e =>
        {
            e.ToTable("log_cosignatures");
            e.HasKey(x => new { x.Size, x.WitnessKey });
            e.Property(x => x.Size).HasColumnName("size");
            e.Property(x => x.WitnessKey).HasColumnName("witness_key").HasMaxLength(600);
            e.Property(x => x.Line).HasColumnName("line").HasMaxLength(1000);
            e.Property(x => x.CosignedAt).HasColumnName("cosigned_at");
        });
        model.Entity<LogWitnessPolicyRow>(e =>
        {
            e.ToTable("log_witness_policy");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.Quorum).HasColumnName("quorum");
            e.HasData(new LogWitnessPolicyRow { Id = 1, Quorum = 0 });
        });
    }
}
