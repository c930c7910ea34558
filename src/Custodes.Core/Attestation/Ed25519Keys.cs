using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Custodes.Common;
using Custodes.Transparency;
using NSec.Cryptography;

namespace Custodes.Attestation;

/// <summary>An Ed25519 private key: signs letters and checkpoints; stored as PKCS#8 PEM, optionally passphrase-encrypted.</summary>
public sealed class Ed25519SigningKey : IDisposable
{
    /// <summary>OID of Ed25519 (RFC 8410).</summary>
    public const string Oid = "1.3.101.112";

    /// <summary>PBKDF2-HMAC-SHA256 rounds for encrypted keys (OWASP's 2023 figure).</summary>
    public const int EncryptionIterations = 600_000;

    private readonly Key _key;

    private Ed25519SigningKey(Key key)
    {
        _key = key;
        PublicKey = new Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public Ed25519PublicKey PublicKey { get; }

    public static Ed25519SigningKey Generate() => new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>The key with this 32-byte RFC 8032 seed.</summary>
    public static Ed25519SigningKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32) throw new BadInputException($"an Ed25519 private key is 32 bytes, not {seed.Length}");
        return new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    /// <summary>Reads a PKCS#8 PEM private key (<c>PRIVATE KEY</c>, or <c>ENCRYPTED PRIVATE KEY</c> with its passphrase).</summary>
    public static Ed25519SigningKey FromPem(string pem, string? passphrase = null, string? file = null)
    {
        var (label, der) = Pem.Read(pem, file, "-----BEGIN PRIVATE KEY-----");
        Pkcs8PrivateKeyInfo info;
        switch (label)
        {
            case "PRIVATE KEY":
                info = Pem.Decode(() => Pkcs8PrivateKeyInfo.Decode(der, out _), file, "PKCS#8 private key");
                break;
            case "ENCRYPTED PRIVATE KEY":
                if (string.IsNullOrEmpty(passphrase)) throw new BadInputException("the private key is encrypted: its passphrase is needed", file);
                try
                {
                    info = Pkcs8PrivateKeyInfo.DecryptAndDecode(passphrase.AsSpan(), der, out _);
                }
                catch (CryptographicException e)
                {
                    throw new BadInputException("cannot decrypt the private key: wrong passphrase, or the file is damaged", file, inner: e);
                }
                break;
            case "PUBLIC KEY":
                throw new BadInputException("this is a public key; the private key (signing.key) is needed here", file);
            default:
                throw new BadInputException($"a '{label}' PEM block is not supported: expected an Ed25519 PKCS#8 key (-----BEGIN PRIVATE KEY-----)", file);
        }
        if (info.AlgorithmId.Value != Oid)
            throw new BadInputException($"the private key is {Pem.Describe(info.AlgorithmId)}, not Ed25519", file);
        var seed = Pem.Decode(() =>
        {
            var reader = new AsnReader(info.PrivateKeyBytes, AsnEncodingRules.DER);
            var bytes = reader.ReadOctetString();
            reader.ThrowIfNotEmpty();
            return bytes;
        }, file, "Ed25519 private key");
        try
        {
            return FromSeed(seed);
        }
        catch (BadInputException e)
        {
            throw e.InFile(file ?? "private key");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>PKCS#8 PEM; with a passphrase, encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) as OpenSSL reads it.</summary>
    public string ToPem(string? passphrase = null)
    {
        var seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            var curvePrivateKey = new AsnWriter(AsnEncodingRules.DER);
            curvePrivateKey.WriteOctetString(seed);
            var info = new Pkcs8PrivateKeyInfo(new System.Security.Cryptography.Oid(Oid), algorithmParameters: null, curvePrivateKey.Encode(), skipCopies: true);
            if (string.IsNullOrEmpty(passphrase)) return PemEncoding.WriteString("PRIVATE KEY", info.Encode());
            var encrypted = info.Encrypt(passphrase.AsSpan(), new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, EncryptionIterations));
            return PemEncoding.WriteString("ENCRYPTED PRIVATE KEY", encrypted);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The 32-byte RFC 8032 seed (for the signed-note signer key string).</summary>
    public byte[] ExportSeed() => _key.Export(KeyBlobFormat.RawPrivateKey);

    public byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(_key, data);

    public void Dispose() => _key.Dispose();
}

/// <summary>An Ed25519 public key: verifies signatures; stored as SubjectPublicKeyInfo PEM; named by its key id.</summary>
public sealed class Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    // SubjectPublicKeyInfo of an Ed25519 key is this fixed prefix and the 32 key bytes (RFC 8410 §4).
    private static readonly byte[] SpkiPrefix = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    private readonly byte[] _raw;
    private readonly PublicKey _key;

    public Ed25519PublicKey(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != 32) throw new BadInputException($"an Ed25519 public key is 32 bytes, not {raw.Length}");
        _raw = raw.ToArray();
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, _raw, KeyBlobFormat.RawPublicKey, out var key) || key is null)
            throw new BadInputException("the bytes are not an Ed25519 public key");
        _key = key;
        SpkiDer = [.. SpkiPrefix, .. _raw];
        KeyId = Convert.ToHexStringLower(SHA256.HashData(SpkiDer));
    }

    /// <summary>The 32 key bytes of RFC 8032.</summary>
    public ReadOnlySpan<byte> Raw => _raw;

    /// <summary>DER SubjectPublicKeyInfo.</summary>
    public byte[] SpkiDer { get; }

    /// <summary>Lowercase hex SHA-256 of <see cref="SpkiDer"/>: the DSSE <c>keyid</c> of contracts §4.</summary>
    public string KeyId { get; }

    public static Ed25519PublicKey FromPem(string pem, string? file = null)
    {
        var (label, der) = Pem.Read(pem, file, "-----BEGIN PUBLIC KEY-----");
        if (label is "PRIVATE KEY" or "ENCRYPTED PRIVATE KEY")
            throw new BadInputException("this is a private key; give the public key (signing.pub)", file);
        if (label != "PUBLIC KEY")
            throw new BadInputException($"a '{label}' PEM block is not supported: expected an Ed25519 public key (-----BEGIN PUBLIC KEY-----)", file);
        return FromSpki(der, file);
    }

    public static Ed25519PublicKey FromSpki(ReadOnlySpan<byte> der, string? file = null)
    {
        var bytes = der.ToArray();
        var (algorithm, key) = Pem.Decode(() =>
        {
            var reader = new AsnReader(bytes, AsnEncodingRules.DER);
            var spki = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var algorithmId = spki.ReadSequence();
            var oid = algorithmId.ReadObjectIdentifier();
            var bits = spki.ReadBitString(out var unused);
            spki.ThrowIfNotEmpty();
            return unused == 0 ? (oid, bits) : throw new AsnContentException("unused bits in the key");
        }, file, "SubjectPublicKeyInfo");
        if (algorithm != Ed25519SigningKey.Oid)
            throw new BadInputException($"the public key is {Pem.Describe(new System.Security.Cryptography.Oid(algorithm))}, not Ed25519", file);
        try
        {
            return new Ed25519PublicKey(key);
        }
        catch (BadInputException e) when (file is not null)
        {
            throw e.InFile(file);
        }
    }

    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", SpkiDer);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && SignatureAlgorithm.Ed25519.Verify(_key, data, signature);

    public bool Equals(Ed25519PublicKey? other) => other is not null && _raw.AsSpan().SequenceEqual(other._raw);

    public override bool Equals(object? obj) => Equals(obj as Ed25519PublicKey);

    public override int GetHashCode() => BitConverter.ToInt32(_raw);

    public override string ToString() => KeyId;
}

// PEM framing and DER decoding errors, turned into bad input that names the file.
internal static class Pem
{
    public static (string Label, byte[] Der) Read(string pem, string? file, string expected)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
            throw new BadInputException($"no PEM block found: expected {expected}", file);
        var label = pem[fields.Label];
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out var written) || written != der.Length)
            throw new BadInputException($"the {label} PEM block is not valid base64", file);
        return (label, der);
    }

    public static T Decode<T>(Func<T> decode, string? file, string what)
    {
        try
        {
            return decode();
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or FormatException)
        {
            throw new BadInputException($"malformed {what}: {e.Message}", file, inner: e);
        }
    }

    public static string Describe(System.Security.Cryptography.Oid oid) => oid.Value switch
    {
        "1.2.840.113549.1.1.1" => "an RSA key",
        "1.2.840.10045.2.1" => "an EC key",
        "1.3.101.113" => "an Ed448 key",
        "1.3.101.110" => "an X25519 key",
        _ => $"a key of algorithm {oid.Value}",
    };
}
