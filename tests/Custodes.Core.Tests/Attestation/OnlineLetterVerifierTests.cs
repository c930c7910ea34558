using System.Text;
using Custodes.Attestation;
using Custodes.Transparency;

namespace Custodes.Core.Tests.Attestation;

/// <summary>A log server in memory: what it serves can be honest, forked, rolled back, or signed by another key.</summary>
internal sealed class FakeLogClient(MemoryLog tiles, IReadOnlyList<byte[]> entries, string checkpoint, RemoteLetterStatus? status) : ILogClient
{
    public async ValueTask<byte[][]> ReadTilesAsync(Tile[] wanted, CancellationToken cancellationToken = default)
    {
        var data = new byte[wanted.Length][];
        for (var i = 0; i < wanted.Length; i++) data[i] = await wanted[i].ReadDataAsync(tiles, cancellationToken);
        return data;
    }

    public Task<string> CheckpointAsync(CancellationToken cancellationToken = default) => Task.FromResult(checkpoint);

    public Task<string> VerifierKeyAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<RemoteLetterStatus?> StatusAsync(Guid letterId, CancellationToken cancellationToken = default) => Task.FromResult(status);

    public Task<byte[]> EntryBundleAsync(Tile tile, CancellationToken cancellationToken = default) =>
        Task.FromResult(EntryBundle.Encode([.. entries.Skip((int)tile.Index * Tile.FullWidth).Take(tile.Width).Select(e => (ReadOnlyMemory<byte>)e)]));
}

public sealed class OnlineLetterVerifierTests : IDisposable
{
    private readonly LetterFixture _letter = new(before: 300, after: 10);
    private readonly List<byte[]> _entries = [];
    private static readonly RemoteLetterStatus Valid = new("valid", null, null, null);

    public OnlineLetterVerifierTests()
    {
        for (var i = 0; i < 300; i++) _entries.Add(Encoding.UTF8.GetBytes($"{{\"other\":{i}}}"));
        _entries.Add(_letter.Entry);
        for (var i = 0; i < 10; i++) _entries.Add(Encoding.UTF8.GetBytes($"{{\"later\":{i}}}"));
    }

    public void Dispose() => _letter.Dispose();

    private void Grow(int count, string tag = "grown")
    {
        for (var i = 0; i < count; i++)
        {
            var entry = Encoding.UTF8.GetBytes($"{{\"{tag}\":{i}}}");
            _entries.Add(entry);
            _letter.Log.Append(entry);
        }
    }

    private string Sign(MemoryLog log, NoteSigner? signer = null) => new CheckpointSigner(signer ?? _letter.LogSigner).Sign(LetterFixture.Origin, log.Size, log.TreeHash());

    private Task<(LetterVerification Verification, OnlineFindings Findings)> VerifyAsync(ILogClient client) =>
        OnlineLetterVerifier.VerifyAsync(_letter.Bytes, _letter.SigningKey.PublicKey, LetterFixture.IssuedAt.AddDays(30), _letter.LogKey, client);

    private static string[] Codes(LetterVerification v) => [.. v.Errors.Select(LetterErrors.CodeOf)];

    [Fact]
    public async Task A_log_that_extends_the_letters_checkpoint_and_says_not_revoked_makes_the_letter_valid()
    {
        Grow(600);
        var (verification, findings) = await VerifyAsync(new FakeLogClient(_letter.Log, _entries, Sign(_letter.Log), Valid));
        Assert.True(verification.Valid, string.Join("\n", verification.Errors));
        Assert.False(verification.Revoked);
        Assert.Equal("ok", findings.Consistency);
        Assert.Equal(311, findings.CheckpointSize);
        Assert.Equal(911, findings.CurrentSize);
    }

    [Fact]
    public async Task A_forked_log_is_named_even_when_its_checkpoint_is_signed_by_the_log_key()
    {
        // Another history that also holds the letter, signed by the same log key.
        var fork = new MemoryLog();
        var forkEntries = new List<byte[]>();
        for (var i = 0; i < 400; i++)
        {
            var entry = i == 300 ? _letter.Entry : Encoding.UTF8.GetBytes($"{{\"forged\":{i}}}");
            forkEntries.Add(entry);
            fork.Append(entry);
        }
        var (verification, findings) = await VerifyAsync(new FakeLogClient(fork, forkEntries, Sign(fork), Valid));
        Assert.False(verification.Valid);
        Assert.Equal([LogErrors.Forked], Codes(verification));
        Assert.Equal("bad", findings.Consistency);
    }

    [Fact]
    public async Task A_current_checkpoint_by_another_key_is_named()
    {
        Grow(5);
        using var stranger = Ed25519SigningKey.Generate();
        using var signer = NoteSigner.Create(LetterFixture.Origin, stranger);
        var (verification, _) = await VerifyAsync(new FakeLogClient(_letter.Log, _entries, Sign(_letter.Log, signer), Valid));
        Assert.Equal([LogErrors.CheckpointWrongKey], Codes(verification));
        Assert.False(verification.Valid);
    }

    [Fact]
    public async Task A_log_smaller_than_the_letters_checkpoint_rolled_back()
    {
        var shorter = new MemoryLog();
        foreach (var entry in _entries.Take(200)) shorter.Append(entry);
        var (verification, _) = await VerifyAsync(new FakeLogClient(shorter, _entries, Sign(shorter), Valid));
        Assert.Equal([LogErrors.RolledBack], Codes(verification));
    }

    [Fact]
    public async Task Tiles_that_do_not_hash_to_the_signed_root_are_named()
    {
        Grow(300);
        var other = new MemoryLog();
        for (var i = 0; i < _letter.Log.Size; i++) other.Append(Encoding.UTF8.GetBytes($"{{\"x\":{i}}}"));
        var (verification, _) = await VerifyAsync(new FakeLogClient(other, _entries, Sign(_letter.Log), Valid));
        Assert.Equal([LogErrors.TilesMismatch], Codes(verification));
    }

    [Fact]
    public async Task A_revocation_is_proved_from_its_entry_in_the_log()
    {
        var revocation = new Revocation
        {
            LetterId = _letter.Predicate.LetterId,
            Issuer = _letter.Predicate.Issuer,
            SubjectOrganization = _letter.Predicate.SubjectOrganization,
            LetterLogIndex = _letter.Index,
            LetterEntrySha256 = Revocation.EntrySha256(_letter.Entry),
            RevokedAt = LetterFixture.IssuedAt.AddDays(10),
            Reason = "Scope misstated",
        };
        var entry = revocation.ToLogEntry(_letter.SigningKey);
        var index = _letter.Log.Append(entry);
        _entries.Add(entry);
        var status = new RemoteLetterStatus("revoked", revocation.RevokedAt, "Scope misstated", index);
        var (verification, findings) = await VerifyAsync(new FakeLogClient(_letter.Log, _entries, Sign(_letter.Log), status));
        Assert.True(verification.Revoked);
        Assert.True(findings.RevocationProved);
        Assert.Equal([LetterErrors.LetterRevoked], Codes(verification));

        // A server that points at an entry that is not this letter's revocation is still believed (it says revoked), but not proved.
        var (lying, lyingFindings) = await VerifyAsync(new FakeLogClient(_letter.Log, _entries, Sign(_letter.Log), status with { RevocationIndex = 5 }));
        Assert.True(lying.Revoked);
        Assert.False(lyingFindings.RevocationProved);

        // Checked as of a day before the revocation, the letter was valid.
        var (before, _) = await OnlineLetterVerifier.VerifyAsync(_letter.Bytes, _letter.SigningKey.PublicKey, LetterFixture.IssuedAt.AddDays(9), _letter.LogKey,
            new FakeLogClient(_letter.Log, _entries, Sign(_letter.Log), status));
        Assert.True(before.Valid, string.Join("\n", before.Errors));
    }

    [Fact]
    public async Task A_server_that_knows_nothing_of_the_letter_cannot_vouch_it_is_not_revoked()
    {
        var (verification, _) = await VerifyAsync(new FakeLogClient(_letter.Log, _entries, Sign(_letter.Log), null));
        Assert.Null(verification.Revoked);
        Assert.Equal([LetterErrors.RevocationUnknown], Codes(verification));
        Assert.False(verification.Valid);
    }
    [Fact]
    public async Task A_superseded_letter_stays_valid_and_names_its_successor_and_an_early_end_expires_it_with_the_reason()
    {
        var newer = Guid.NewGuid();
        var superseded = new RemoteLetterStatus("valid", null, null, null, SupersededBy: newer, SupersededAt: LetterFixture.IssuedAt.AddDays(10));
        var (verification, _) = await VerifyAsync(new FakeLogClient(_letter.Log, _entries, Sign(_letter.Log), superseded));
        Assert.True(verification.Valid, string.Join("\n", verification.Errors));
        Assert.False(verification.Revoked);
        Assert.Equal(newer.ToString(), verification.SupersededBy);

        var ended = new RemoteLetterStatus("expired", null, null, null, ExpiredAt: LetterFixture.IssuedAt.AddDays(20), ExpiryReason: "the conditional CMMC status was not closed out");
        var (expired, _) = await VerifyAsync(new FakeLogClient(_letter.Log, _entries, Sign(_letter.Log), ended));
        Assert.False(expired.Valid);
        Assert.True(expired.Expired);
        Assert.Equal([LetterErrors.LetterExpired], Codes(expired));
        Assert.Contains("not closed out", expired.Errors[0]);

        // As of a day before the early end, it was in force.
        var (before, _) = await OnlineLetterVerifier.VerifyAsync(_letter.Bytes, _letter.SigningKey.PublicKey, LetterFixture.IssuedAt.AddDays(19), _letter.LogKey,
            new FakeLogClient(_letter.Log, _entries, Sign(_letter.Log), ended));
        Assert.True(before.Valid, string.Join("\n", before.Errors));
    }
}
