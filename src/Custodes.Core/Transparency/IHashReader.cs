using Custodes.Attestation;
namespace Custodes.Transparency;

/// <summary>Reads a log's stored hashes by stored hash index (<see cref="MerkleLog.StoredHashIndex"/>).</summary>
/// <remarks>
/// A database serves it from a table keyed by that index with one query per call; <see cref="TileHashReader"/> serves it from
/// C2SP tiles. Callers ask for indexes in increasing order.
/// </remarks>
public interface IHashReader
{
    /// <summary>The hashes at <paramref name="indexes"/>, in the same order; throws when one is not stored.</summary>
    ValueTask<MerkleHash[]> ReadHashesAsync(long[] indexes, CancellationToken cancellationToken = default);
}
