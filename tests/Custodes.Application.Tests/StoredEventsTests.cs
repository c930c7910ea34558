using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Custodes.Application.Watch;
using Custodes.Watch.Events;

namespace Custodes.Application.Tests;

/// <summary>The bytes each MSP's watch log hashes have one writer (<see cref="EventJson"/>): an event stored as a row and written
/// back is byte for byte the line the writer gives for the event, with every optional field present or absent, so stored logs
/// keep verifying.</summary>
public sealed class StoredEventsTests
{
    private static readonly WatchEvent Full = new()
    {
        Time = new DateTimeOffset(2019, 8, 29, 5, 12, 7, TimeSpan.FromHours(2)).AddTicks(5_000_000),
        Source = "kaseya-vsa", Msp = "msp-01", Tenant = "dental-001", Actor = "tech@msp.example", ActorIp = "203.0.113.7",
        Action = "script.run", Target = "WS-01",
        Detail = EventDetail.From([
            new DetailEntry("script", "Maint-0829"), new DetailEntry("count", "3", IsJson: true),
            new DetailEntry("args", """{"a":[1,2]}""", IsJson: true), new DetailEntry("site", "Zürich \"HQ\""),
        ]),
    };

    private static readonly WatchEvent Bare = new()
    {
        Time = new DateTimeOffset(2019, 8, 29, 3, 12, 7, TimeSpan.Zero), Source = "atera", Msp = "msp-01", Action = "login.failed",
    };

    public static TheoryData<string> Events => new() { nameof(Full), nameof(Bare), "tenant only", "detail only" };

    private static WatchEvent Named(string name) => name switch
    {
        nameof(Full) => Full,
        nameof(Bare) => Bare,
        "tenant only" => Bare with { Tenant = "dental-001" },
        _ => Bare with { Detail = EventDetail.Of(("script", "Maint-0829")) },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void A_stored_event_writes_back_the_bytes_the_event_writer_gives(string name)
    {
        var e = Named(name);
        var row = StoredEvents.ToRow(Guid.NewGuid(), 1, e, new ArrayBufferWriter<byte>());

        var stored = StoredEvents.Canonical(row, new ArrayBufferWriter<byte>()).ToArray();

        Assert.Equal(EventJson.Serialize(e), Encoding.UTF8.GetString(stored));
        Assert.Equal(e, StoredEvents.ToEvent(row));
    }

    [Fact]
    public void The_canonical_bytes_are_pinned_so_existing_logs_keep_their_hashes()
    {
        const string full = """{"time":"2019-08-29T03:12:07.5Z","source":"kaseya-vsa","msp":"msp-01","tenant":"dental-001","actor":"tech@msp.example","actor_ip":"203.0.113.7","action":"script.run","target":"WS-01","detail":{"script":"Maint-0829","count":3,"args":{"a":[1,2]},"site":"Zürich \"HQ\""}}""";
        const string bare = """{"time":"2019-08-29T03:12:07Z","source":"atera","msp":"msp-01","tenant":null,"actor":null,"actor_ip":null,"action":"login.failed","target":null,"detail":{}}""";

        Assert.Equal(full, EventJson.Serialize(Full));
        Assert.Equal(bare, EventJson.Serialize(Bare));
        var row = StoredEvents.ToRow(Guid.NewGuid(), 7, Full, new ArrayBufferWriter<byte>());
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(full)), SHA256.HashData(StoredEvents.Canonical(row, new ArrayBufferWriter<byte>())));
    }
}
