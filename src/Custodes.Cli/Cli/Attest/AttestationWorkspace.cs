using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Organizations;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;

namespace Custodes.Cli.Attest;

/// <summary>The attestation use cases of one installation, wired the way the web app wires them.</summary>
public sealed class AttestationWorkspace
{
    /// <summary>The server's configuration key for the log origin, read from the environment as ASP.NET Core reads it.</summary>
    public const string OriginVariable = "Custodes__Log__Origin";

    public AttestationWorkspace(Installation installation, AuditTrail audit, OrganizationStore organizations, TimeProvider clock)
    {
        KeyProvider = new FileSigningKeyProvider();
        var options = new LogOptions
        {
            Origin = NullIfEmpty(Environment.GetEnvironmentVariable(OriginVariable)),
            KeyPassphraseVariable = NullIfEmpty(Environment.GetEnvironmentVariable("Custodes__Log__KeyPassphraseVariable")),
        };
        LogKeys = new LogKeys(installation, KeyProvider, options);
        Log = new TransparencyLog(installation, LogKeys, clock);
        Registry = new SigningKeyRegistry(installation, audit, clock);
        Letters = new LetterStore(installation, clock);
        Issue = new IssueLetter(installation, audit, Log, Registry, clock);
        Portfolios = new PortfolioStore(installation, audit, clock);
        ProviderLetters = new ProviderLetters(installation, Registry);
        LetterChanges = new LetterChanges(installation, Portfolios, ProviderLetters, audit, clock);
        Revoke = new RevokeLetter(installation, audit, Log, Registry, clock, LetterChanges);
    }

    public ISigningKeyProvider KeyProvider { get; }
    public LogKeys LogKeys { get; }
    public TransparencyLog Log { get; }
    public SigningKeyRegistry Registry { get; }
    public LetterStore Letters { get; }
    public IssueLetter Issue { get; }
    public RevokeLetter Revoke { get; }
    /// <summary>Supply-chain portfolios, their providers' letters, and the recompute after a letter changes (a revocation triggers it).</summary>
    public PortfolioStore Portfolios { get; }
    public ProviderLetters ProviderLetters { get; }
    public LetterChanges LetterChanges { get; }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
