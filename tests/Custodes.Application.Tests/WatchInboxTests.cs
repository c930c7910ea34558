using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Transparency;
using Custodes.Application.Watch;
using Custodes.Testing;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Tests;

/// <summary>The write-ahead inbox of watch ingestion: what was accepted is stored in the MSP's log exactly once, even when the
/// process stopped between the batches of one request, and an idempotency key answers its retries the same.</summary>
public sealed class WatchInboxTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private sealed record Watch(Stores Stores, Guid Msp, WatchInbox Inbox, WatchLog Log, WatchPipeline Pipeline);

    private static async Task<Watch> CreateAsync(DatabaseProvider provider, int maxBatch)
    {
        var stores = await Stores.CreateAsync(provider);
        var installation = stores.Installation;
        var msp = (await stores.NewTenantAsync("msp-01", "msp")).OrganizationId;
        var log = new WatchLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), TimeProvider.System);
        var msps = new WatchMspStore(installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        await msps.EnsureAsync(msp);
        var publisher = new AlertPublisher(new AlertStore(installation, new AuditTrail(TimeProvider.System), TimeProvider.System), []);
        return new Watch(stores, msp, new WatchInbox(installation, TimeProvider.System), log, new WatchPipeline(log, msps, publisher, TimeProvider.System, maxBatch: maxBatch));
    }

    private static List<WatchEvent> Events(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => new WatchEvent
    {
        Time = new DateTimeOffset(2025, 3, 3, 9, 0, 0, TimeSpan.Zero).AddSeconds(i).AddTicks(7), Source = "kaseya-vsa", Msp = "msp-01",
        Tenant = $"t{i % 3}", Actor = "tech1", Action = "login.success", Detail = EventDetail.Of(("n", $"{prefix}-{i}")),
    })];

    private static InboxRequest Request(Guid msp, List<WatchEvent> events, IReadOnlyList<QuarantineEntry>? quarantine = null, string? key = null) =>
        new(msp, events.Count, WatchInbox.Encode(events), quarantine ?? [], key, key is null ? null : WatchInbox.Fingerprint(null, null, null, [1, 2, 3]), key is null ? null : "{\"accepted\":5}");

    private static async Task<List<string>> StoredAsync(Watch watch)
    {
        await using var db = watch.Stores.Installation.OpenDb();
        var rows = await db.WatchEvents.AsNoTracking().Where(e => e.MspOrganizationId == watch.Msp).OrderBy(e => e.Seq).ToListAsync();
        return [.. rows.Select(r => StoredEvents.ToEvent(r).Detail.Single(d => d.Key == "n").Value)];
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_request_interrupted_between_its_batches_resumes_where_it_stopped_and_is_never_stored_twice(DatabaseProvider provider)
    {
        var watch = await CreateAsync(provider, maxBatch: 10);
        await using var _ = watch.Stores;
        var a = Events("a", 25);
        var b = Events("b", 5);
        var refused = new QuarantineEntry("request body", 26, "not json", "{");
        var receipts = await watch.Inbox.WriteAsync([Request(watch.Msp, a, [refused]), Request(watch.Msp, b, key: "retry-1")]);
        Assert.All(receipts, r => Assert.Equal(InboxOutcome.Accepted, r.Outcome));

        // The first batch of request a commits, then the process dies: the batch and a's progress are one transaction.
        await watch.Log.AppendAsync(watch.Msp, a[..10], [refused], [new InboxProgress(receipts[0].Id, 0, 10, Complete: false)]);

        var pending = await watch.Inbox.PendingAsync();
        Assert.Equal([receipts[0].Id, receipts[1].Id], pending.Select(p => p.Id));
        Assert.Equal(10, pending[0].StoredEvents);
        Assert.Equal(15, pending[0].Events.Count);
        Assert.Empty(pending[0].Quarantine); // stored with the first batch
        Assert.Equal("a-10", pending[0].Events[0].Detail.Single().Value);

        var segments = pending.Select(p => new InboxSegment(p.Id, p.StoredEvents, p.Events, p.Quarantine)).ToList();
        await watch.Pipeline.IngestAsync(watch.Msp, segments);
        Assert.Equal([.. a.Concat(b).Select(e => e.Detail.Single().Value)], await StoredAsync(watch));
        Assert.Empty(await watch.Inbox.PendingAsync());

        // Handing the same requests over again (a duplicate from any cause) stores nothing: the batch does not commit.
        await Assert.ThrowsAsync<InvalidOperationException>(() => watch.Pipeline.IngestAsync(watch.Msp, segments));
        Assert.Equal(30, (await StoredAsync(watch)).Count);

        var verified = await watch.Log.VerifyAsync(watch.Msp);
        Assert.True(verified.Ok, string.Join("; ", verified.Problems.Select(p => p.Describe())));
        Assert.Equal(30, verified.Events);
        await using var db = watch.Stores.Installation.OpenDb();
        Assert.Equal(1, await db.WatchQuarantine.CountAsync(q => q.MspOrganizationId == watch.Msp));
        // The unkeyed request is gone; the keyed one keeps only its answer, for its retries.
        var kept = await db.WatchInbox.AsNoTracking().SingleAsync();
        Assert.Equal(("retry-1", (byte[]?)null), (kept.IdempotencyKey, kept.Events));
        Assert.NotNull(kept.StoredAt);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_idempotency_key_is_answered_the_same_for_the_same_request_refused_for_another_and_forgotten_after_pruning(DatabaseProvider provider)
    {
        var watch = await CreateAsync(provider, maxBatch: 10);
        await using var _ = watch.Stores;
        var first = Request(watch.Msp, Events("a", 3), key: "k-1");
        var other = first with { Fingerprint = WatchInbox.Fingerprint(null, null, null, [9]), Answer = "{\"accepted\":1}" };

        // Both in one group commit, then again in a later one: one row, the first answer.
        var receipts = await watch.Inbox.WriteAsync([first, first, other]);
        Assert.Equal([InboxOutcome.Accepted, InboxOutcome.Replayed, InboxOutcome.KeyReused], receipts.Select(r => r.Outcome));
        Assert.Equal(first.Answer, receipts[1].Answer);
        var again = Assert.Single(await watch.Inbox.WriteAsync([first]));
        Assert.Equal((InboxOutcome.Replayed, first.Answer), (again.Outcome, again.Answer));
        Assert.Single(await watch.Inbox.PendingAsync());

        // The fingerprint covers how the body is read, not only the body.
        Assert.NotEqual(WatchInbox.Fingerprint("csv", null, null, [1]), WatchInbox.Fingerprint(null, "csv", null, [1]));
        Assert.Throws<Custodes.Common.BadInputException>(() => WatchInbox.ValidateKey(new string('k', 256)));
        Assert.Throws<Custodes.Common.BadInputException>(() => WatchInbox.ValidateKey("line\nbreak"));

        // A pending request is never pruned; a stored one is, after which its key is new again.
        Assert.Equal(0, await watch.Inbox.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1)));
        var pending = await watch.Inbox.PendingAsync();
        await watch.Pipeline.IngestAsync(watch.Msp, [.. pending.Select(p => new InboxSegment(p.Id, p.StoredEvents, p.Events, p.Quarantine))]);
        Assert.Equal(0, await watch.Inbox.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.NotNull(await watch.Inbox.FindAsync(watch.Msp, "k-1"));
        Assert.Equal(1, await watch.Inbox.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Null(await watch.Inbox.FindAsync(watch.Msp, "k-1"));
        Assert.Equal(InboxOutcome.Accepted, Assert.Single(await watch.Inbox.WriteAsync([other])).Outcome);
    }
}
