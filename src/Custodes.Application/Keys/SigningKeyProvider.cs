using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Application.Keys;

/// <summary>Where a private key is and how to unlock it: a PKCS#8 PEM file and, for an encrypted one, the environment variable holding its passphrase.</summary>
public sealed record KeyReference(string Path, string? PassphraseVariable = null);

/// <summary>The one way private signing keys are read (firm keys and the log's key): passphrases never travel any other way.</summary>
public interface ISigningKeyProvider
{
    /// <summary>The key; a missing file, a wrong or missing passphrase is bad input naming the file.</summary>
    Ed25519SigningKey Load(KeyReference key);
}

/// <summary>Reads PEM key files, taking passphrases from the environment variable each reference names.</summary>
public sealed class FileSigningKeyProvider(Func<string, string?>? environment = null) : ISigningKeyProvider
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public Ed25519SigningKey Load(KeyReference key)
    {
        if (!File.Exists(key.Path)) throw new BadInputException("no such key file", key.Path);
        string? passphrase = null;
        if (key.PassphraseVariable is { } variable)
        {
            passphrase = _environment(variable);
            if (string.IsNullOrEmpty(passphrase)) throw new BadInputException($"the passphrase variable {variable} is not set", key.Path);
        }
        var pem = File.ReadAllText(key.Path);
        if (passphrase is null && pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            throw new BadInputException("the private key is encrypted: name the variable holding its passphrase with --passphrase-env VAR", key.Path);
        return Ed25519SigningKey.FromPem(pem, passphrase, key.Path);
    }
}

/// <summary>A firm's key pair on disk, as <c>custodes keys generate</c> writes it: <c>signing.key</c>, <c>signing.pub</c> and <c>signing.json</c> (the signer's name).</summary>
public static class KeyFiles
{
    public const string PrivateKeyFile = "signing.key";
    public const string PublicKeyFile = "signing.pub";
    /// <summary>Who the key belongs to: <c>{"key_id", "name", "created_at"}</c>; PEM files carry no names.</summary>
    public const string InfoFile = "signing.json";

    /// <summary>Generates a key pair into <paramref name="directory"/>; refuses to overwrite an existing key.</summary>
    public static Ed25519PublicKey Generate(string directory, string signerName, string? passphrase, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(signerName)) throw new BadInputException("the signer's name must name a person or the firm", path: "name");
        Directory.CreateDirectory(directory);
        var privatePath = Path.Combine(directory, PrivateKeyFile);
        if (File.Exists(privatePath)) throw new BadInputException("a signing key already exists here; generate into another directory (keys are never overwritten)", privatePath);
        using var key = Ed25519SigningKey.Generate();
        WritePrivate(privatePath, key.ToPem(passphrase));
        File.WriteAllText(Path.Combine(directory, PublicKeyFile), key.PublicKey.ToPem() + "\n");
        var info = new System.Text.Json.Nodes.JsonObject
        {
            ["key_id"] = key.PublicKey.KeyId,
            ["name"] = signerName.Trim(),
            ["created_at"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        File.WriteAllText(Path.Combine(directory, InfoFile), info.ToJsonString(Json.Indented) + "\n");
        return key.PublicKey;
    }

    /// <summary>The signer name recorded beside a key file (<c>signing.json</c> in the same directory), or null.</summary>
    public static string? SignerNameBeside(string keyFile)
    {
        var info = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(keyFile)) ?? ".", InfoFile);
        if (!File.Exists(info)) return null;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(info));
            return json.RootElement.TryGetProperty("name", out var name) && name.ValueKind == System.Text.Json.JsonValueKind.String ? name.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes a private key readable only by its owner, atomically: a reader never sees half a key.</summary>
    public static void WritePrivate(string path, string pem, bool overwrite = false)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(pem);
        try
        {
            File.Move(temp, path, overwrite);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
