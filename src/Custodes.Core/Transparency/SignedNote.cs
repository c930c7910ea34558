using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Custodes.Attestation;
using Custodes.Common;

namespace Custodes.Transparency;

/// <summary>A C2SP signed-note Ed25519 verifier key: <c>&lt;name&gt;+&lt;8 hex key hash&gt;+&lt;base64(0x01 ‖ public key)&gt;</c>.</summary>
public sealed record NoteVerifier
{
    internal const byte AlgorithmEd25519 = 0x01;

    // Internal so tests can build a key whose hash collides with another's.
    internal NoteVerifier(string name, uint keyHash, Ed25519PublicKey key)
    {
        Name = name;
        KeyHash = keyHash;
        Key = key;
    }

    public string Name { get; }

    /// <summary>First four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).</summary>
    public uint KeyHash { get; }

    public Ed25519PublicKey Key { get; }

    /// <summary>The verifier key string any signed-note implementation reads.</summary>
    public string KeyString => KeyStrings.Format(Name, KeyHash, AlgorithmEd25519, Key.Raw);

    public static NoteVerifier Create(string name, Ed25519PublicKey key)
    {
        if (!SignedNote.IsValidName(name)) throw new BadInputException($"'{name}' cannot name a note key: it must be non-empty, without spaces or '+'");
        return new NoteVerifier(name, ComputeKeyHash(name, key.Raw), key);
    }

    /// <summary>Parses a verifier key string; each way it can be wrong is a distinct message.</summary>
    public static NoteVerifier Parse(string verifierKey)
    {
        var parts = verifierKey.Split('+', 3); // base64 may hold '+' too
        if (parts.Length != 3) throw Bad("expected <name>+<hash>+<key>");
        var (name, hash, key) = ParseKeyFields(parts[0], parts[1], parts[2], "key", Bad);
        if (ComputeKeyHash(name, key.AsSpan(1)) != hash) throw Bad("the key hash does not match the name and key");
        return new NoteVerifier(name, hash, new Ed25519PublicKey(key.AsSpan(1)));

        static BadInputException Bad(string why) => new($"malformed note verifier key: {why}", path: "verifier key");
    }

    // The <name>+<hash>+<base64(0x01 ‖ 32 bytes)> tail shared by verifier and signer key strings.
    internal static (string Name, uint Hash, byte[] Key) ParseKeyFields(string name, string hex, string base64, string what, Func<string, BadInputException> bad) =>
        KeyStrings.ParseFields(name, hex, base64, new KeyStrings.Kind(AlgorithmEd25519, "key hash", what, t => $"unknown key algorithm {t} (only Ed25519, 1, is supported)"), bad);

    internal static uint ComputeKeyHash(string name, ReadOnlySpan<byte> ed25519PublicKey) => KeyStrings.Hash(name, AlgorithmEd25519, ed25519PublicKey);

    public override string ToString() => KeyString;
}

/// <summary>A C2SP signed-note Ed25519 signer: a name and a private key (<c>PRIVATE+KEY+&lt;name&gt;+&lt;hash&gt;+&lt;base64(0x01 ‖ seed)&gt;</c>).</summary>
public sealed class NoteSigner : IDisposable
{
    private readonly Ed25519SigningKey _key;
    private readonly bool _ownsKey;

    private NoteSigner(string name, Ed25519SigningKey key, bool ownsKey)
    {
        _key = key;
        _ownsKey = ownsKey;
        Verifier = NoteVerifier.Create(name, key.PublicKey);
    }

    public string Name => Verifier.Name;

    public uint KeyHash => Verifier.KeyHash;

    public NoteVerifier Verifier { get; }

    /// <summary>A signer under <paramref name="name"/> with a key the caller keeps and disposes.</summary>
    public static NoteSigner Create(string name, Ed25519SigningKey key) => new(name, key, ownsKey: false);

    /// <summary>Parses a signer key string (as Go's note.NewSigner does); the signer owns the key it decodes.</summary>
    public static NoteSigner Parse(string signerKey)
    {
        var parts = signerKey.Split('+', 5); // base64 may hold '+' too
        if (parts.Length != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY") throw Bad("expected PRIVATE+KEY+<name>+<hash>+<key>");
        var (name, hash, key) = NoteVerifier.ParseKeyFields(parts[2], parts[3], parts[4], "seed", Bad);
        try
        {
            var signingKey = Ed25519SigningKey.FromSeed(key.AsSpan(1));
            var signer = new NoteSigner(name, signingKey, ownsKey: true);
            if (signer.KeyHash != hash)
            {
                signer.Dispose();
                throw Bad("the key hash does not match the name and key");
            }
            return signer;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        static BadInputException Bad(string why) => new($"malformed note signer key: {why}", path: "signer key");
    }

    /// <summary>The secret signer key string (Go's <c>note.NewSigner</c> reads it).</summary>
    public string ToKeyString()
    {
        var seed = _key.ExportSeed();
        try
        {
            return $"PRIVATE+KEY+{Name}+{KeyHash:x8}+{Convert.ToBase64String([NoteVerifier.AlgorithmEd25519, .. seed])}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    internal byte[] Sign(ReadOnlySpan<byte> text) => _key.Sign(text);

    public void Dispose()
    {
        if (_ownsKey) _key.Dispose();
    }
}

/// <summary>One signature line of a note: key name, key hash and the base64 of (key hash ‖ signature).</summary>
public readonly record struct NoteSignature(string Name, uint KeyHash, string Base64);

/// <summary>A note's text and its signatures, split into those verified by a known key and those by keys not known.</summary>
public sealed record Note(string Text, IReadOnlyList<NoteSignature> Signatures, IReadOnlyList<NoteSignature> UnverifiedSignatures);

/// <summary>Why a signed note was not accepted.</summary>
public enum NoteError
{
    None,
    /// <summary>Not UTF-8, control characters, no blank line before signatures, a bad signature line.</summary>
    Malformed,
    /// <summary>More signature lines than <see cref="SignedNote.MaxSignatures"/>.</summary>
    TooManySignatures,
    /// <summary>Well formed, but no signature is by a known key (a note signed by another key).</summary>
    NoKnownSignature,
    /// <summary>A signature by a known key does not verify: the text or the signature was changed.</summary>
    InvalidSignature,
    /// <summary>Two known keys share a name and key hash.</summary>
    AmbiguousKey,
}

/// <summary>The outcome of opening a signed note: the note, or the named reason it was refused.</summary>
public sealed record NoteOpening(Note? Note, NoteError Error, string Message)
{
    public bool IsValid => Error == NoteError.None;
}

/// <summary>C2SP signed notes: text, a blank line, then lines <c>— &lt;name&gt; &lt;base64(key hash ‖ signature)&gt;</c>.</summary>
public static class SignedNote
{
    /// <summary>Go's note package refuses notes with more; C2SP asks verifiers to accept at least 16.</summary>
    public const int MaxSignatures = 100;

    private const string SignaturePrefix = "— ";

    /// <summary>Signs <paramref name="text"/> (which must end in a newline) with each signer.</summary>
    public static string Sign(string text, params IReadOnlyList<NoteSigner> signers) => Sign(new Note(text, [], []), signers);

    /// <summary>Adds signatures to a note, keeping its existing ones except those by the same keys (Go's note.Sign).</summary>
    public static string Sign(Note note, params IReadOnlyList<NoteSigner> signers)
    {
        if (!note.Text.EndsWith('\n')) throw new BadInputException("a note's text must end with a newline");
        var text = Encoding.UTF8.GetBytes(note.Text);
        if (!IsWellFormedText(text)) throw new BadInputException("a note's text must be UTF-8 without control characters other than newline");
        var output = new StringBuilder(note.Text).Append('\n');
        var signing = new HashSet<(string, uint)>();
        foreach (var signer in signers) signing.Add((signer.Name, signer.KeyHash));
        foreach (var existing in note.Signatures.Concat(note.UnverifiedSignatures))
        {
            if (signing.Contains((existing.Name, existing.KeyHash))) continue;
            if (!IsValidName(existing.Name) || !TryDecodeSignature(existing.Base64, out var hash, out _) || hash != existing.KeyHash)
                throw new BadInputException($"existing signature by '{existing.Name}' is malformed");
            output.Append(SignaturePrefix).Append(existing.Name).Append(' ').Append(existing.Base64).Append('\n');
        }
        foreach (var signer in signers)
        {
            var signature = signer.Sign(text);
            var line = new byte[4 + signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(line, signer.KeyHash);
            signature.CopyTo(line, 4);
            output.Append(SignaturePrefix).Append(signer.Name).Append(' ').Append(Convert.ToBase64String(line)).Append('\n');
        }
        return output.ToString();
    }

    public static NoteOpening Open(string message, params IReadOnlyList<NoteVerifier> known) => Open(Encoding.UTF8.GetBytes(message), known);

    /// <summary>Parses a signed note and verifies the signatures of known keys; signatures of unknown keys are kept, unverified.</summary>
    public static NoteOpening Open(ReadOnlySpan<byte> message, params IReadOnlyList<NoteVerifier> known)
    {
        var parsed = Split(message);
        if (parsed.Error != NoteError.None) return new NoteOpening(null, parsed.Error, parsed.Message);

        var verified = new List<NoteSignature>();
        var unverified = new List<NoteSignature>();
        var seen = new HashSet<(string, uint)>();
        var seenUnverified = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (signature, raw) in parsed.Signatures)
        {
            var matches = known.Where(k => k.Name == signature.Name && k.KeyHash == signature.KeyHash).ToList();
            if (matches.Count == 0)
            {
                // C2SP: ignore signatures from unknown keys, even when they share a name or a key hash with a known one.
                if (seenUnverified.Add($"{signature.Name} {signature.Base64}")) unverified.Add(signature);
                continue;
            }
            if (matches.Skip(1).Any(m => !m.Key.Equals(matches[0].Key)))
                return new NoteOpening(null, NoteError.AmbiguousKey, $"ambiguous key {signature.Name}+{signature.KeyHash:x8}");
            if (!seen.Add((signature.Name, signature.KeyHash))) continue;
            if (!matches[0].Key.Verify(parsed.Text, raw))
                return new NoteOpening(null, NoteError.InvalidSignature, $"invalid signature for key {signature.Name}+{signature.KeyHash:x8}");
            verified.Add(signature);
        }
        var note = new Note(Encoding.UTF8.GetString(parsed.Text), verified, unverified);
        return verified.Count == 0
            ? new NoteOpening(note, NoteError.NoKnownSignature, "note has no signature by a known key")
            : new NoteOpening(note, NoteError.None, "ok");
    }

    /// <summary>Parses one signature line (<c>— &lt;name&gt; &lt;base64&gt;</c>, with or without its newline); null when malformed.</summary>
    public static NoteSignature? ParseSignatureLine(string line)
    {
        if (line.EndsWith('\n')) line = line[..^1];
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal) || line.Contains('\n')) return null;
        var rest = line[SignaturePrefix.Length..];
        var space = rest.IndexOf(' ');
        if (space < 0) return null;
        var name = rest[..space];
        var base64 = rest[(space + 1)..];
        return IsValidName(name) && TryDecodeSignature(base64, out var hash, out _) ? new NoteSignature(name, hash, base64) : null;
    }

    /// <summary>True for a key name C2SP allows: non-empty, no Unicode spaces, no '+'.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('+')) return false;
        foreach (var rune in name.EnumerateRunes())
            if (Rune.IsWhiteSpace(rune) || rune == Rune.ReplacementChar) return false;
        return true;
    }

    private sealed record Parsed(NoteError Error, string Message, byte[] Text, List<(NoteSignature Signature, byte[] Raw)> Signatures);

    private static Parsed Split(ReadOnlySpan<byte> message)
    {
        static Parsed Fail(NoteError error, string why) => new(error, why, [], []);
        if (!IsWellFormedText(message)) return Fail(NoteError.Malformed, "malformed note: not UTF-8, or control characters other than newline");
        var split = message.LastIndexOf("\n\n"u8);
        if (split < 0) return Fail(NoteError.Malformed, "malformed note: no blank line before the signatures");
        var text = message[..(split + 1)];
        var block = message[(split + 2)..];
        if (block.IsEmpty || block[^1] != (byte)'\n') return Fail(NoteError.Malformed, "malformed note: no signature lines, or the last does not end with a newline");

        var signatures = new List<(NoteSignature, byte[])>();
        foreach (var line in Encoding.UTF8.GetString(block[..^1]).Split('\n'))
        {
            if (signatures.Count == MaxSignatures) return Fail(NoteError.TooManySignatures, $"malformed note: more than {MaxSignatures} signatures");
            if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal)) return Fail(NoteError.Malformed, "malformed note: a signature line must start with an em dash and a space");
            var rest = line[SignaturePrefix.Length..];
            var space = rest.IndexOf(' ');
            var name = space < 0 ? rest : rest[..space];
            var base64 = space < 0 ? "" : rest[(space + 1)..];
            if (!IsValidName(name) || !TryDecodeSignature(base64, out var hash, out var raw))
                return Fail(NoteError.Malformed, $"malformed note: bad signature line for '{name}'");
            signatures.Add((new NoteSignature(name, hash, base64), raw));
        }
        return new Parsed(NoteError.None, "ok", text.ToArray(), signatures);
    }

    private static bool TryDecodeSignature(string base64, out uint keyHash, out byte[] signature)
    {
        keyHash = 0;
        signature = [];
        if (base64.Length == 0) return false;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return false;
        }
        // Convert tolerates whitespace inside base64; a signature line does not.
        if (bytes.Length < 5 || Convert.ToBase64String(bytes) != base64) return false;
        keyHash = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        signature = bytes[4..];
        return true;
    }

    // UTF-8, and no ASCII control characters other than newline.
    private static bool IsWellFormedText(ReadOnlySpan<byte> bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) return false;
        foreach (var b in bytes)
            if (b < 0x20 && b != (byte)'\n') return false;
        return true;
    }
}
