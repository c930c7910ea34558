using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Custodes.Attestation;
using Custodes.Common;

namespace Custodes.Transparency;

/// <summary>A SHA-256 hash of a log entry or tree node (RFC 6962), held inline so proofs allocate nothing per hash.</summary>
public readonly record struct MerkleHash
{
    public const int Size = 32;

    private readonly Bytes32 _bytes;

    public MerkleHash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) throw new ArgumentException($"a hash is {Size} bytes, not {bytes.Length}", nameof(bytes));
        bytes.CopyTo(_bytes);
    }

    /// <summary>The all-zero hash: Go's tlog uses it for the empty tree; RFC 6962's empty root is <see cref="EmptyTree"/>.</summary>
    public static MerkleHash Zero => default;

    /// <summary>RFC 6962 MTH of the empty tree: SHA-256 of nothing.</summary>
    public static MerkleHash EmptyTree { get; } = new(SHA256.HashData(ReadOnlySpan<byte>.Empty));

    /// <summary>The 32 bytes, in place (the span lives as long as this hash's storage).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => _bytes;

    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>RFC 6962 leaf hash: SHA-256(0x00 ‖ entry).</summary>
    public static MerkleHash OfLeaf(ReadOnlySpan<byte> entry)
    {
        var rented = ArrayPool<byte>.Shared.Rent(entry.Length + 1);
        try
        {
            rented[0] = 0x00;
            entry.CopyTo(rented.AsSpan(1));
            Span<byte> output = stackalloc byte[Size];
            SHA256.HashData(rented.AsSpan(0, entry.Length + 1), output);
            return new MerkleHash(output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right).</summary>
    public static MerkleHash OfNode(in MerkleHash left, in MerkleHash right)
    {
        Span<byte> buffer = stackalloc byte[1 + Size + Size];
        buffer[0] = 0x01;
        left.Bytes.CopyTo(buffer[1..]);
        right.Bytes.CopyTo(buffer[(1 + Size)..]);
        Span<byte> output = stackalloc byte[Size];
        SHA256.HashData(buffer, output);
        return new MerkleHash(output);
    }

    /// <summary>Parses standard base64 of exactly 32 bytes, in its one canonical spelling.</summary>
    public static MerkleHash FromBase64(string text, string? path = null) =>
        TryFromBase64(text, out var hash) ? hash : throw new BadInputException($"expected a base64 SHA-256 hash (44 characters), got '{Truncate(text)}'", path: path);

    public static bool TryFromBase64(string? text, out MerkleHash hash)
    {
        hash = default;
        Span<byte> buffer = stackalloc byte[Size + 3];
        if (text is null || text.Length != 44 || !Convert.TryFromBase64String(text, buffer, out var written) || written != Size) return false;
        var parsed = new MerkleHash(buffer[..Size]);
        // Base64 leaves two bits of the last character unused; a hash has one spelling, so altered text cannot pass as the same hash.
        if (parsed.ToBase64() != text) return false;
        hash = parsed;
        return true;
    }

    public string ToBase64() => Convert.ToBase64String(Bytes);

    public string ToHex() => Convert.ToHexStringLower(Bytes);

    public override string ToString() => ToBase64();

    public bool Equals(MerkleHash other) => Bytes.SequenceEqual(other.Bytes);

    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(Bytes);

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";

    [InlineArray(Size)]
    private struct Bytes32
    {
        private byte _element;
    }
}
