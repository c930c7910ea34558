using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Custodes.Attestation;
using Custodes.Common;

namespace Custodes.Transparency;

/// <summary>
/// The one reader of C2SP key strings, <c>&lt;name&gt;+&lt;8 hex hash&gt;+&lt;base64(type ‖ 32 bytes)&gt;</c>: a log's note verifier key
/// (type 1), a witness's cosignature key (type 4) and the tail of a note signer key. They differ only in the type byte, which is
/// also in the hash, and in how they name things in a message.
/// </summary>
internal static class KeyStrings
{
    /// <summary>What a key string is called in refusals, and what its wrong type bytes mean.</summary>
    /// <param name="HashName">"key hash" for notes, "key id" for cosignatures.</param>
    /// <param name="KeyName">What the 32 bytes are ("key", or "seed" for a signer).</param>
    /// <param name="WrongType">The message for a type byte other than the expected one.</param>
    public sealed record Kind(byte Type, string HashName, string KeyName, Func<byte, string> WrongType);

    /// <summary>First four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ type ‖ public key).</summary>
    public static uint Hash(string name, byte type, ReadOnlySpan<byte> ed25519PublicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + ed25519PublicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = (byte)'\n';
        input[nameBytes.Length + 1] = type;
        ed25519PublicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>The key string any signed-note or cosignature implementation reads.</summary>
    public static string Format(string name, uint hash, byte type, ReadOnlySpan<byte> ed25519PublicKey) =>
        $"{name}+{hash:x8}+{Convert.ToBase64String([type, .. ed25519PublicKey])}";

    /// <summary>Checks the three fields of a key string; each way they can be wrong is a distinct message. The key comes back with its
    /// type byte (33 bytes), for the caller to check the hash against (a verifier) or to derive it from (a signer's seed).</summary>
    public static (string Name, uint Hash, byte[] Key) ParseFields(string name, string hex, string base64, Kind kind, Func<string, BadInputException> bad)
    {
        if (!SignedNote.IsValidName(name)) throw bad("the name must be non-empty, without spaces or '+'");
        if (hex.Length != 8 || !hex.AsSpan().ContainsOnlyHex() || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash))
            throw bad($"the {kind.HashName} must be 8 hex digits");
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw bad("the key is not base64");
        }
        if (key.Length == 0) throw bad("the key is empty");
        if (key[0] != kind.Type) throw bad(kind.WrongType(key[0]));
        if (key.Length != 33) throw bad($"an Ed25519 {kind.KeyName} is 32 bytes, not {key.Length - 1}");
        return (name, hash, key);
    }
}
