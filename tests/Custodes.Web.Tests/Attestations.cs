using System.Text;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Organizations;
using Custodes.Application.Transparency;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.Transparency;

namespace Custodes.Web.Tests;

/// <summary>The attestation use cases on a running server's installation, as the CLI runs them beside the server.</summary>
internal sealed class Attestations : IDisposable
{
    public const string Issuer = "Northgate Security Assessors LLC";

    private readonly Installation _installation;

    public Attestations(Installation installation)
    {
        _installation = installation;
        var audit = new AuditTrail(TimeProvider.System);
        Log = new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), TimeProvider.System);
        var registry = new SigningKeyRegistry(installation, audit, TimeProvider.System);
        Issue = new IssueLetter(installation, audit, Log, registry, TimeProvider.System);
        Revoke = new RevokeLetter(installation, audit, Log, registry, TimeProvider.System);
        Letters = new LetterStore(installation, TimeProvider.System);
    }

    public Ed25519SigningKey Key { get; } = Ed25519SigningKey.Generate();
    public TransparencyLog Log { get; }
    public IssueLetter Issue { get; }
    public RevokeLetter Revoke { get; }
    public LetterStore Letters { get; }

    /// <summary>Revokes a letter as the issuing firm's owner (as the operator does at the command line).</summary>
    public async Task<RevokedLetter> RevokeAsync(Guid letter, string reason, Ed25519SigningKey? key = null) =>
        await Revoke.HandleAsync(Tenant.Operator((await Letters.FindAsync(letter))!.IssuerOrganizationId), new RevokeLetterRequest(letter, reason, key));

    public static string ExamplePath => Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json");

    /// <summary>Issues a letter for the example assessment as <paramref name="issuer"/>, an assessor firm created first when the installation has none of that name.</summary>
    public async Task<IssuedLetter> IssueAsync(string issuer = Issuer)
    {
        await using (var db = _installation.OpenDb())
            if (!(await OrganizationStore.MatchNameAsync(db, issuer, default)).Any(o => o.Kind == OrganizationKinds.Assessor))
                await new OrganizationStore(_installation, new AuditTrail(TimeProvider.System), TimeProvider.System).CreateAsync(issuer, OrganizationKinds.Assessor, "test");
        return await IssueAsIsAsync(issuer);
    }

    /// <summary>Issues as <paramref name="issuer"/> exactly as named, creating nothing.</summary>
    public Task<IssuedLetter> IssueAsIsAsync(string issuer) => Issue.HandleAsync(new IssueLetterRequest
    {
        Assessment = DocumentFiles.ReadAssessment(ExamplePath),
        Source = ExamplePath,
        Key = Key,
        Issuer = issuer,
        SignerName = "Ana Ruiz",
        Actor = "test",
    });

    /// <summary>Appends filler entries (other firms' letters, say) in batches.</summary>
    public async Task FillAsync(int count, string tag)
    {
        for (var done = 0; done < count; done += 100)
            await Log.AppendAsync([.. Enumerable.Range(done, Math.Min(100, count - done)).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"{{\"{tag}\":{i}}}"))]);
    }

    public void Dispose() => Key.Dispose();
}
