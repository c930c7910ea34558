using Custodes.Application.Keys;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Application.Witness;

/// <summary>The installation's witness key (<c>keys/witness.key</c>) and its published vkey (<c>keys/witness.vkey</c>, which holds the name).</summary>
/// <remarks>Apart from the log key on purpose: C2SP asks for a distinct key per cosigner, and a witness vouches for other logs.</remarks>
public sealed class WitnessKeys(Installation installation, ISigningKeyProvider keys)
{
    public const string KeyFile = "witness.key";
    public const string VkeyFile = "witness.vkey";

    private Cosigner? _cosigner;

    public string KeyPath => Path.Combine(installation.KeysDirectory, KeyFile);
    public string VkeyPath => Path.Combine(installation.KeysDirectory, VkeyFile);

    public bool Exists => File.Exists(KeyPath) && File.Exists(VkeyPath);

    /// <summary>Creates the witness key under <paramref name="name"/>; refuses to replace one (logs trust its vkey).</summary>
    public CosignerVerifier Create(string name)
    {
        if (!SignedNote.IsValidName(name)) throw new BadInputException($"'{name}' cannot name a witness: use a URL-like name without spaces or '+', e.g. witness.example.org/custodes", path: "witness name");
        if (File.Exists(KeyPath)) throw new ConflictException($"this installation already has a witness key ({KeyPath}): logs trust its vkey, so it is never replaced ('custodes witness init' again prints it)");
        installation.EnsureDirectory(installation.KeysDirectory);
        using var key = Ed25519SigningKey.Generate();
        var verifier = CosignerVerifier.Create(name, key.PublicKey);
        KeyFiles.WritePrivate(KeyPath, key.ToPem());
        File.WriteAllText(VkeyPath, verifier.KeyString + "\n");
        return verifier;
    }

    private CosignerVerifier? _verifier;

    /// <summary>The published vkey, or null when no witness key was created (looked for again until one is: init may follow serve).</summary>
    public CosignerVerifier? Verifier => _verifier ??= Exists ? CosignerVerifier.Parse(File.ReadAllText(VkeyPath)) : null;

    /// <summary>The cosigner, loaded once; fails when the key and the vkey beside it disagree.</summary>
    public Cosigner Load()
    {
        if (_cosigner is { } known) return known;
        var vkey = Verifier ?? throw new ConflictException("this installation is not a witness: run 'custodes witness init --name <name>' first");
        var key = keys.Load(new KeyReference(KeyPath));
        if (!key.PublicKey.Equals(vkey.Key))
            throw new EnvironmentFailureException($"{KeyPath} does not hold the key of {VkeyPath}: restore the pair from backup");
        return _cosigner = new Cosigner(vkey.Name, key);
    }
}
