using System.Text;
using Custodes.Application.Keys;
using Custodes.Application.Transparency;
using Custodes.Attestation;
using Custodes.Testing;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Tests;

public sealed class TransparencyLogTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    internal static TransparencyLog Log(Installation installation, string? origin = null) =>
        new(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions { Origin = origin }), TimeProvider.System);

    private static ReadOnlyMemory<byte>[] Entries(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"{{\"entry\":{i}}}"))];

    [Theory, MemberData(nameof(Providers))]
    public async Task Batches_store_exactly_the_hashes_MemoryLog_computes_and_one_signed_checkpoint_each(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var log = Log(test.Installation);
        var memory = new MemoryLog();
        var next = 0;
        foreach (var size in new[] { 1, 2, 253, 1, 300, 7, 512 })
        {
            var batch = Entries(next, size);
            var result = await log.AppendAsync(batch);
            Assert.Equal(next, result.FirstIndex);
            foreach (var entry in batch) memory.Append(entry.Span);
            next += size;
            Assert.Equal(memory.Size, result.Size);
            Assert.Equal(memory.TreeHash(), result.RootHash);
        }

        await using var db = test.Installation.OpenDb();
        var stored = await db.LogHashes.AsNoTracking().OrderBy(h => h.StoredIndex).ToListAsync();
        Assert.Equal(MerkleLog.StoredHashCount(memory.Size), stored.Count);
        Assert.All(stored, h => Assert.Equal(memory[h.StoredIndex], new MerkleHash(h.Hash)));

        var identity = await log.Keys.GetAsync();
        var checkpoints = await db.LogCheckpoints.AsNoTracking().OrderBy(c => c.Size).ToListAsync();
        Assert.Equal(7, checkpoints.Count);
        foreach (var row in checkpoints)
        {
            var opened = Checkpoint.Open(row.Note, identity.Verifier);
            Assert.True(opened.IsValid, opened.Message);
            Assert.Equal(memory.TreeHash(row.Size), opened.Checkpoint!.RootHash);
            Assert.Equal(identity.Origin, opened.Checkpoint.Origin);
        }
        Assert.StartsWith(LogKeys.DefaultOriginPrefix, identity.Origin);
        Assert.True((await new LogAudit(log).VerifyAsync()).Valid);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Proofs_from_the_database_are_the_proofs_of_MemoryLog(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var log = Log(test.Installation);
        var memory = new MemoryLog();
        var entries = Entries(0, 700);
        await log.AppendAsync(entries[..300]);
        await log.AppendAsync(entries[300..]);
        foreach (var e in entries) memory.Append(e.Span);
        foreach (var index in new long[] { 0, 1, 255, 256, 299, 699 })
            Assert.Equal(memory.ProveInclusion(700, index), await log.ProveInclusionAsync(700, index));
        foreach (var old in new long[] { 1, 255, 256, 300, 699, 700 })
            Assert.Equal(memory.ProveConsistency(700, old), await log.ProveConsistencyAsync(700, old));
        var tile = await log.ReadTileAsync(new Tile(0, 1, Tile.FullWidth), 700);
        Assert.Equal(await new Tile(0, 1, Tile.FullWidth).ReadDataAsync(memory), tile);
        Assert.Null(await log.ReadTileAsync(new Tile(0, 2, Tile.FullWidth), 700));
        var bundle = EntryBundle.Decode((await log.ReadTileAsync(Tile.Entries(2, 188), 700))!, 188);
        Assert.Equal(entries[512].ToArray(), bundle[0].ToArray());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Concurrent_appenders_never_fork_the_log(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        // Separate log objects, as separate processes would have: the database is the only thing they share.
        const int writers = 6, batches = 8;
        await Log(test.Installation).AppendAsync(Entries(-1, 1)); // creates the key before the race
        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var log = Log(test.Installation);
            var mine = new List<LogAppendResult>();
            for (var b = 0; b < batches; b++) mine.Add(await log.AppendAsync(Entries(w * 1000 + b * 10, 1 + (w + b) % 3)));
            return mine;
        })));
        var all = results.SelectMany(r => r).OrderBy(r => r.FirstIndex).ToList();
        var expected = 1L;
        foreach (var r in all)
        {
            Assert.Equal(expected, r.FirstIndex); // batches tile the index space with no gap and no overlap
            expected += r.Count;
        }
        var audit = await new LogAudit(Log(test.Installation)).VerifyAsync();
        Assert.True(audit.Valid, string.Join("\n", audit.Errors));
        Assert.Equal(expected, audit.Size);
        Assert.Equal(writers * batches + 1, audit.CheckpointsChecked);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_audit_names_a_changed_entry(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var log = Log(test.Installation);
        await log.AppendAsync(Entries(0, 20));
        await using (var db = test.Installation.OpenDb())
            await db.Database.ExecuteSqlRawAsync("UPDATE log_entries SET data = {0} WHERE idx = 7", Encoding.UTF8.GetBytes("{\"entry\":\"forged\"}"));
        var audit = await new LogAudit(log).VerifyAsync();
        Assert.False(audit.Valid);
        Assert.StartsWith(LogErrors.HashMismatch + ": entry 7", audit.Errors[0]);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_saved_checkpoint_of_another_history_is_a_fork_and_one_by_another_key_is_named(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var log = Log(test.Installation);
        await log.AppendAsync(Entries(0, 10));
        var identity = await log.Keys.GetAsync();

        // What an auditor saved earlier from this log verifies as a prefix.
        var honest = (await log.CheckpointAsync(10))!.Note;
        await log.AppendAsync(Entries(10, 5));
        var ok = await new LogAudit(log).VerifyAsync(honest);
        Assert.True(ok.Valid, string.Join("\n", ok.Errors));
        Assert.Equal(10, ok.SavedCheckpointSize);

        // The log key signed a different tree of 10 entries: the log forked.
        var other = new MemoryLog();
        foreach (var e in Entries(100, 10)) other.Append(e.Span);
        var forked = identity.CheckpointSigner.Sign(identity.Origin, 10, other.TreeHash());
        var fork = await new LogAudit(log).VerifyAsync(forked);
        Assert.Equal([LogErrors.Forked], fork.Errors.Select(LetterErrors.CodeOf));

        // A checkpoint the log never signed, however plausible.
        using var stranger = Ed25519SigningKey.Generate();
        var foreign = new CheckpointSigner(NoteSigner.Create(identity.Origin, stranger)).Sign(identity.Origin, 10, (await log.TreeHashAsync(10)));
        var wrongKey = await new LogAudit(log).VerifyAsync(foreign);
        Assert.Equal([LogErrors.CheckpointWrongKey], wrongKey.Errors.Select(LetterErrors.CodeOf));

        // A log that is now shorter than a checkpoint it signed lost entries.
        var future = identity.CheckpointSigner.Sign(identity.Origin, 99, other.TreeHash());
        Assert.Equal([LogErrors.RolledBack], (await new LogAudit(log).VerifyAsync(future)).Errors.Select(LetterErrors.CodeOf));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_node_configured_with_another_origin_refuses_to_append(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await Log(test.Installation, "assessor.example/log").AppendAsync(Entries(0, 1));
        var renamed = Log(test.Installation, "elsewhere.example/log");
        var error = await Assert.ThrowsAsync<Common.EnvironmentFailureException>(() => renamed.AppendAsync(Entries(1, 1)));
        Assert.Contains("never changes its name", error.Message);
        Assert.Equal(1, await Log(test.Installation).SizeAsync());
        Assert.Equal("assessor.example/log", (await Log(test.Installation).Keys.GetAsync()).Origin);
    }
}
