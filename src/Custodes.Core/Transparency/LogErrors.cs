using Custodes.Attestation;
namespace Custodes.Transparency;

/// <summary>The named failures of auditing a log and of checking one checkpoint against another: the code before the colon of an error line.</summary>
public static class LogErrors
{
    /// <summary>An entry index is missing from the stored entries (a gap or a removal).</summary>
    public const string EntryMissing = "log_entry_missing";
    /// <summary>A stored hash differs from the one recomputed from the entries (an entry or hash was changed).</summary>
    public const string HashMismatch = "log_hash_mismatch";
    /// <summary>A stored hash the entries need is not stored.</summary>
    public const string HashMissing = "log_hash_missing";
    /// <summary>Stored hashes beyond what the entries produce.</summary>
    public const string HashExtra = "log_hash_extra";
    /// <summary>The recorded size differs from the number of entries.</summary>
    public const string SizeMismatch = "log_size_mismatch";
    /// <summary>A checkpoint is not signed by the log's key (another key signed it).</summary>
    public const string CheckpointWrongKey = "checkpoint_wrong_key";
    /// <summary>A checkpoint's signature by the log's key does not verify.</summary>
    public const string CheckpointSignatureInvalid = "checkpoint_signature_invalid";
    public const string CheckpointMalformed = "checkpoint_malformed";
    /// <summary>A checkpoint names another log.</summary>
    public const string CheckpointOriginMismatch = "checkpoint_origin_mismatch";
    /// <summary>A stored checkpoint's root is not the root of the stored tree at its size.</summary>
    public const string CheckpointRootMismatch = "checkpoint_root_mismatch";
    /// <summary>Two checkpoints signed by the log's key describe trees that do not extend one another: the log forked.</summary>
    public const string Forked = "log_forked";
    /// <summary>The log is smaller than a checkpoint it signed earlier.</summary>
    public const string RolledBack = "log_rolled_back";
    /// <summary>Tiles served by the log do not hash to its checkpoint's root.</summary>
    public const string TilesMismatch = "log_tiles_mismatch";
    /// <summary>Fewer of the required witnesses than the quorum cosigned a checkpoint covering the entry (a possible split view).</summary>
    public const string Unwitnessed = "log_unwitnessed";
    /// <summary>The log's server could not be reached or answered nonsense.</summary>
    public const string Unreachable = "log_unreachable";
}
