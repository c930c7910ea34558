using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Custodes.Attestation;
using Custodes.Common;

namespace Custodes.Transparency;

/// <summary>A C2SP tlog-cosignature Ed25519 cosigner (witness) key: <c>&lt;name&gt;+&lt;8 hex key id&gt;+&lt;base64(0x04 ‖ public key)&gt;</c>.</summary>
public sealed record CosignerVerifier
{
    internal const byte AlgorithmCosignatureV1 = 0x04;

    private CosignerVerifier(string name, uint keyId, Ed25519PublicKey key)
    {
        Name = name;
        KeyId = keyId;
        Key = key;
    }

    public string Name { get; }

    /// <summary>First four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key).</summary>
    public uint KeyId { get; }

    public Ed25519PublicKey Key { get; }

    /// <summary>The vkey string witnesses publish and verifiers configure.</summary>
    public string KeyString => KeyStrings.Format(Name, KeyId, AlgorithmCosignatureV1, Key.Raw);

    public static CosignerVerifier Create(string name, Ed25519PublicKey key)
    {
        if (!SignedNote.IsValidName(name)) throw new BadInputException($"'{name}' cannot name a witness: it must be non-empty, without spaces or '+'", path: "witness name");
        return new CosignerVerifier(name, ComputeKeyId(name, key.Raw), key);
    }

    /// <summary>Parses a witness vkey; each way it can be wrong is a distinct message.</summary>
    public static CosignerVerifier Parse(string vkey)
    {
        var parts = vkey.Trim().Split('+', 3);
        if (parts.Length != 3) throw Bad("expected <name>+<key id>+<key>");
        var (name, id, key) = KeyStrings.ParseFields(parts[0], parts[1], parts[2], Kind, Bad);
        if (ComputeKeyId(name, key.AsSpan(1)) != id) throw Bad("the key id does not match the name and key");
        return new CosignerVerifier(name, id, new Ed25519PublicKey(key.AsSpan(1)));

        static BadInputException Bad(string why) => new($"malformed witness key: {why}", path: "witness key");
    }

    private static readonly KeyStrings.Kind Kind = new(AlgorithmCosignatureV1, "key id", "key", t => t == NoteVerifier.AlgorithmEd25519
        ? "this is a log's note verifier key (type 1), not a witness cosignature key (type 4)"
        : $"unknown key type {t} (only Ed25519 cosignature/v1, 4, is supported)");

    internal static uint ComputeKeyId(string name, ReadOnlySpan<byte> ed25519PublicKey) => KeyStrings.Hash(name, AlgorithmCosignatureV1, ed25519PublicKey);

    /// <summary>
    /// The time of this witness's valid cosignature on <paramref name="noteText"/> among <paramref name="signatures"/>, or null
    /// when it has none (signatures by other keys are ignored, as C2SP asks).
    /// </summary>
    public DateTimeOffset? FindCosignature(string noteText, IEnumerable<NoteSignature> signatures)
    {
        foreach (var signature in signatures)
        {
            if (signature.Name != Name || signature.KeyHash != KeyId) continue;
            if (Cosignature.TryVerify(this, noteText, signature.Base64, out var time)) return time;
        }
        return null;
    }

    public override string ToString() => KeyString;
}

/// <summary>A witness's cosigning key: signs cosignature/v1 statements on checkpoints it verified.</summary>
public sealed class Cosigner(string name, Ed25519SigningKey key)
{
    public CosignerVerifier Verifier { get; } = CosignerVerifier.Create(name, key.PublicKey);

    public string Name => Verifier.Name;

    /// <summary>The note signature line <c>— &lt;name&gt; base64(key id ‖ u64 time ‖ signature)</c> for the checkpoint text.</summary>
    public string Cosign(string noteText, DateTimeOffset time)
    {
        var timestamp = time.ToUnixTimeSeconds();
        if (timestamp <= 0) throw new ArgumentOutOfRangeException(nameof(time), "a cosignature's time must be after 1970");
        var signature = key.Sign(Cosignature.Message(noteText, timestamp));
        var blob = new byte[4 + 8 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, Verifier.KeyId);
        BinaryPrimitives.WriteUInt64BigEndian(blob.AsSpan(4), (ulong)timestamp);
        signature.CopyTo(blob, 12);
        return $"— {Name} {Convert.ToBase64String(blob)}\n";
    }
}

/// <summary>C2SP tlog-cosignature v1 (Ed25519): the signed message and the check of one signature line.</summary>
public static class Cosignature
{
    /// <summary><c>cosignature/v1\ntime &lt;t&gt;\n</c> followed by the checkpoint's note body.</summary>
    public static byte[] Message(string noteText, long timestamp) =>
        Encoding.UTF8.GetBytes($"cosignature/v1\ntime {timestamp.ToString(CultureInfo.InvariantCulture)}\n{noteText}");

    public static bool TryVerify(CosignerVerifier witness, string noteText, string base64, out DateTimeOffset time)
    {
        time = default;
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return false;
        }
        if (blob.Length != 4 + 8 + 64 || BinaryPrimitives.ReadUInt32BigEndian(blob) != witness.KeyId) return false;
        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(blob.AsSpan(4));
        if (timestamp is 0 or > long.MaxValue / 1000) return false;
        if (!witness.Key.Verify(Message(noteText, (long)timestamp), blob.AsSpan(12))) return false;
        time = DateTimeOffset.FromUnixTimeSeconds((long)timestamp);
        return true;
    }
}

/// <summary>Which of the named witnesses validly cosigned a checkpoint the log signed.</summary>
public sealed record WitnessedCheckpoint(Checkpoint Checkpoint, IReadOnlyList<(CosignerVerifier Witness, DateTimeOffset Time)> Cosignatures)
{
    /// <summary>
    /// Opens <paramref name="signedNote"/> with the log's key and finds the cosignatures of <paramref name="witnesses"/> on it; null
    /// with the reason when the log's own signature does not verify.
    /// </summary>
    public static WitnessedCheckpoint? Open(string signedNote, NoteVerifier logKey, IReadOnlyList<CosignerVerifier> witnesses, out string error)
    {
        var opening = Checkpoint.Open(signedNote, logKey);
        if (!opening.IsValid)
        {
            error = opening.Message;
            return null;
        }
        var note = SignedNote.Open(signedNote, logKey).Note!;
        var found = new List<(CosignerVerifier, DateTimeOffset)>();
        // One key counts once, whatever names it is configured under.
        foreach (var witness in witnesses.DistinctBy(w => Convert.ToBase64String(w.Key.Raw)))
            if (witness.FindCosignature(note.Text, note.UnverifiedSignatures) is { } time) found.Add((witness, time));
        error = "";
        return new WitnessedCheckpoint(opening.Checkpoint!, found);
    }

    /// <summary>
    /// The named witnesses that validly cosigned <paramref name="signedNote"/>'s body, without checking the log's own signature (each
    /// witness checked it before cosigning); empty when the note is malformed.
    /// </summary>
    public static IReadOnlyList<(CosignerVerifier Witness, DateTimeOffset Time)> FindCosigners(string signedNote, IReadOnlyList<CosignerVerifier> witnesses)
    {
        var note = SignedNote.Open(signedNote).Note;
        if (note is null) return [];
        var found = new List<(CosignerVerifier, DateTimeOffset)>();
        foreach (var witness in witnesses.DistinctBy(w => Convert.ToBase64String(w.Key.Raw)))
            if (witness.FindCosignature(note.Text, note.UnverifiedSignatures) is { } time) found.Add((witness, time));
        return found;
    }
}
