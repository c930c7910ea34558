using Custodes.Application.Keys;
using Custodes.Attestation;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Transparency;

/// <summary>Settings of the installation's transparency log (<c>Custodes:Log</c>).</summary>
public sealed class LogOptions
{
    public const string Section = "Custodes:Log";

    /// <summary>The log's name in checkpoints (e.g. <c>assessor.example/log</c>); default <c>custodes.local/log/&lt;8 hex of the log key id&gt;</c>.</summary>
    public string? Origin { get; set; }

    /// <summary>The environment variable holding the passphrase of an encrypted <c>keys/log.key</c>; none by default (the server signs unattended).</summary>
    public string? KeyPassphraseVariable { get; set; }
}

/// <summary>Checks that the origin fits on a checkpoint's first line and that the passphrase variable is a variable name.</summary>
public sealed class LogOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<LogOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, LogOptions o) => new Hosting.OptionsProblems(LogOptions.Section)
        .Require(string.IsNullOrEmpty(o.Origin) || !o.Origin.Any(char.IsWhiteSpace) && !o.Origin.Any(char.IsControl), nameof(o.Origin),
            $"'{o.Origin}' is not a log name without spaces, such as assessor.example/log")
        .Require(string.IsNullOrEmpty(o.KeyPassphraseVariable) || o.KeyPassphraseVariable.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'),
            nameof(o.KeyPassphraseVariable), $"'{o.KeyPassphraseVariable}' is not the name of an environment variable, such as CUSTODES_LOG_PASSPHRASE")
        .Result;
}

/// <summary>Who the log is: its origin and the Ed25519 note key that signs its checkpoints.</summary>
public sealed class LogIdentity(string origin, NoteSigner signer)
{
    public string Origin { get; } = origin;
    public NoteSigner Signer { get; } = signer;
    public NoteVerifier Verifier => Signer.Verifier;
    public CheckpointSigner CheckpointSigner { get; } = new(signer);
}

/// <summary>The log's own key in the installation's <c>keys/log.key</c> (created on first use) and the origin it signs as.</summary>
/// <remarks>
/// The log key is not a firm's key: it only says "this log had this tree". The first checkpoint records origin and verifier
/// key in the database; a node with another key file or another origin refuses to append, rather than sign a second history.
/// </remarks>
public sealed class LogKeys(Installation installation, ISigningKeyProvider keys, LogOptions options)
{
    public const string KeyFile = "log.key";
    public const string DefaultOriginPrefix = "custodes.local/log/";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private LogIdentity? _identity;

    public string KeyPath => Path.Combine(installation.KeysDirectory, KeyFile);

    public async Task<LogIdentity> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_identity is { } known) return known;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_identity is { } again) return again;
            var key = LoadOrCreate();
            string? recorded;
            await using (var db = installation.OpenDb())
                recorded = await db.LogState.AsNoTracking().Where(s => s.Id == 1).Select(s => s.Origin).FirstOrDefaultAsync(cancellationToken);
            var origin = (string.IsNullOrEmpty(options.Origin) ? null : options.Origin) ?? recorded ?? DefaultOriginPrefix + key.PublicKey.KeyId[..8];
            return _identity = new LogIdentity(origin, NoteSigner.Create(origin, key));
        }
        finally
        {
            _gate.Release();
        }
    }

    private Ed25519SigningKey LoadOrCreate()
    {
        var path = KeyPath;
        if (!File.Exists(path))
        {
            installation.EnsureDirectory(installation.KeysDirectory);
            using var fresh = Ed25519SigningKey.Generate();
            try
            {
                KeyFiles.WritePrivate(path, fresh.ToPem(options.KeyPassphraseVariable is { Length: > 0 } v ? Environment.GetEnvironmentVariable(v) : null));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use that one.
            }
        }
        return keys.Load(new KeyReference(path, string.IsNullOrEmpty(options.KeyPassphraseVariable) ? null : options.KeyPassphraseVariable));
    }
}
