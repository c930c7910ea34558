using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Custodes.Attestation;
using Custodes.Transparency;

namespace Custodes.Bench.Attestation;

/// <summary>Offline verification of a letter (signature, statement, checkpoint note, inclusion proof) against one bare Ed25519 check.</summary>
[MemoryDiagnoser]
public class LetterVerificationBenchmarks
{
    private Ed25519SigningKey _key = null!;
    private Ed25519SigningKey _logSigningKey = null!;
    private NoteSigner _logSigner = null!;
    private byte[] _bundle = null!;
    private byte[] _pae = null!;
    private byte[] _signature = null!;
    private DateTimeOffset _at;

    [GlobalSetup]
    public void Setup()
    {
        _key = Ed25519SigningKey.Generate();
        _logSigningKey = Ed25519SigningKey.Generate();
        _logSigner = NoteSigner.Create("assessor.example/custodes", _logSigningKey);

        var issuedAt = new DateTimeOffset(2026, 10, 2, 14, 0, 0, TimeSpan.Zero);
        _at = issuedAt.AddDays(30);
        var predicate = new LetterPredicate
        {
            LetterId = Guid.NewGuid(),
            Issuer = "Northwind Assessors LLC",
            SubjectOrganization = "Example MSP LLC",
            Framework = "nist-sp800-171r2",
            Scope = "Corporate network, RMM platform, PSA, backup infrastructure",
            AssessedOn = new DateOnly(2026, 10, 1),
            IssuedAt = issuedAt,
            ValidUntil = issuedAt.AddDays(365),
            Score = JsonDocument.Parse("97").RootElement,
            Cmmc = JsonDocument.Parse("""{"level1":{"status":"final","blocking":[]},"level2":{"status":"conditional","poam_ineligible":[],"closeout_due":"2027-03-30"}}""").RootElement,
            Counts = JsonDocument.Parse("""{"met":104,"not_met":4,"not_applicable":2,"unassessed":0}""").RootElement,
            Statement = "Northwind Assessors LLC attests that Example MSP LLC scored 97 of 110.",
        };
        var envelope = Letter.Sign(Letter.CreateStatement(predicate, JsonDocument.Parse("{}").RootElement), _key);

        // The letter sits in the middle of a log of 100,000 letters: a 17-hash proof.
        var log = new MemoryLog();
        for (var i = 0; i < 50_000; i++) log.Append(Encoding.UTF8.GetBytes($"{{\"entry\":{i}}}"));
        var index = log.Append(Letter.LogEntry(envelope));
        for (var i = 0; i < 49_999; i++) log.Append(Encoding.UTF8.GetBytes($"{{\"later\":{i}}}"));
        var checkpoint = new CheckpointSigner(_logSigner).Sign("assessor.example/custodes", log.Size, log.TreeHash());
        _bundle = Letter.Bundle(envelope, "assessor.example/custodes", index, log.ProveInclusion(log.Size, index), checkpoint).ToUtf8Bytes();

        _pae = DsseEnvelope.Pae(envelope.PayloadType, envelope.Payload.Span);
        _signature = envelope.Signatures[0].Sig.ToArray();
        if (!Verify().Valid) throw new InvalidOperationException("the benchmark letter does not verify");
    }

    [Benchmark(Baseline = true, Description = "one Ed25519 verify (baseline)")]
    public bool Ed25519Verify() => _key.PublicKey.Verify(_pae, _signature);

    [Benchmark(Description = "verify letter offline, with log key")]
    public LetterVerification Verify() => LetterVerifier.Verify(_bundle, _key.PublicKey, _at, _logSigner.Verifier);

    [Benchmark(Description = "verify letter offline, no log key")]
    public LetterVerification VerifyWithoutLogKey() => LetterVerifier.Verify(_bundle, _key.PublicKey, _at);

    [GlobalCleanup]
    public void Cleanup()
    {
        _logSigner.Dispose();
        _logSigningKey.Dispose();
        _key.Dispose();
    }
}
