using System.Text;
using System.Text.Json;
using Custodes.Attestation;
using Custodes.Transparency;

namespace Custodes.Core.Tests.Attestation;

/// <summary>An issued letter in a small log: keys, log, bundle bytes — what the CLI's issue command will produce.</summary>
internal sealed class LetterFixture : IDisposable
{
    public const string Origin = "assessor.example/custodes";
    public static readonly DateTimeOffset IssuedAt = new(2026, 10, 2, 14, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ValidUntil = IssuedAt.AddDays(365);

    public LetterFixture(int before = 42, int after = 10)
    {
        SigningKey = Ed25519SigningKey.Generate();
        LogSigningKey = Ed25519SigningKey.Generate();
        LogSigner = NoteSigner.Create(Origin, LogSigningKey);
        for (var i = 0; i < before; i++) Log.Append(Encoding.UTF8.GetBytes($"{{\"other\":{i}}}"));

        Predicate = SamplePredicate();
        Statement = Letter.CreateStatement(Predicate, JsonDocument.Parse("""{"schema":"custodes.assessment/v1","organization":"Example MSP LLC"}""").RootElement);
        Envelope = Letter.Sign(Statement, SigningKey);
        Entry = Letter.LogEntry(Envelope);
        Index = Log.Append(Entry);
        for (var i = 0; i < after; i++) Log.Append(Encoding.UTF8.GetBytes($"{{\"later\":{i}}}"));

        Checkpoint = new CheckpointSigner(LogSigner).Sign(Origin, Log.Size, Log.TreeHash());
        Bundle = Letter.Bundle(Envelope, Origin, Index, Log.ProveInclusion(Log.Size, Index), Checkpoint);
        Bytes = Bundle.ToUtf8Bytes();
    }

    public Ed25519SigningKey SigningKey { get; }
    public Ed25519SigningKey LogSigningKey { get; }
    public NoteSigner LogSigner { get; }
    public NoteVerifier LogKey => LogSigner.Verifier;
    public MemoryLog Log { get; } = new();
    public LetterPredicate Predicate { get; }
    public InTotoStatement Statement { get; }
    public DsseEnvelope Envelope { get; }
    public byte[] Entry { get; }
    public long Index { get; }
    public string Checkpoint { get; }
    public LetterBundle Bundle { get; }
    public byte[] Bytes { get; }

    public LetterVerification Verify(byte[]? bytes = null, bool withLogKey = true, DateTimeOffset? at = null) =>
        LetterVerifier.Verify(bytes ?? Bytes, SigningKey.PublicKey, at ?? IssuedAt.AddDays(30), withLogKey ? LogKey : null);

    public static LetterPredicate SamplePredicate() => new()
    {
        LetterId = Guid.Parse("0b7f6c1e-9a51-4b8e-a8f3-2d3c4e5f6a7b"),
        Issuer = "Northwind Assessors LLC",
        SubjectOrganization = "Example MSP LLC",
        Framework = "nist-sp800-171r2",
        Scope = "Corporate network, RMM platform, PSA, backup infrastructure",
        AssessedOn = new DateOnly(2026, 10, 1),
        IssuedAt = IssuedAt,
        ValidUntil = ValidUntil,
        Score = JsonDocument.Parse("97").RootElement,
        Cmmc = JsonDocument.Parse("""{"level1":{"status":"final","blocking":[]},"level2":{"status":"conditional","poam_ineligible":[],"closeout_due":"2027-03-30"}}""").RootElement,
        Counts = JsonDocument.Parse("""{"met":104,"not_met":4,"not_applicable":2,"unassessed":0}""").RootElement,
        Statement = "Northwind Assessors LLC attests that Example MSP LLC scored 97 of 110.",
    };

    public void Dispose()
    {
        LogSigner.Dispose();
        LogSigningKey.Dispose();
        SigningKey.Dispose();
    }
}
