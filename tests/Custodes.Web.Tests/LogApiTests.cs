using System.Net;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Attestation;
using Custodes.Testing;
using Custodes.Transparency;
using Custodes.Web.Api;

namespace Custodes.Web.Tests;

/// <summary>Fetches tiles from the running server, as a verifier does.</summary>
internal sealed class HttpTiles(HttpClient client) : ITileReader
{
    public async ValueTask<byte[][]> ReadTilesAsync(Tile[] tiles, CancellationToken cancellationToken = default)
    {
        var data = new byte[tiles.Length][];
        for (var i = 0; i < tiles.Length; i++) data[i] = await client.GetByteArrayAsync("/log/" + tiles[i].Path, cancellationToken);
        return data;
    }
}

public sealed class LogApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static async Task<NoteVerifier> PublishedLogKeyAsync(HttpClient client)
    {
        using var keys = JsonDocument.Parse(await client.GetStringAsync("/.well-known/custodes/keys"));
        return NoteVerifier.Parse(keys.RootElement.GetProperty("log").GetProperty("verifier_key").GetString()!);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Tiles_entry_bundles_and_the_checkpoint_are_served_as_C2SP_tlog_tiles(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var attest = new Attestations(server.Installation);
        await attest.FillAsync(500, "other");
        var letter = await attest.IssueAsync();
        await attest.FillAsync(100, "later");
        var client = server.Client();

        var logKey = await PublishedLogKeyAsync(client);
        var checkpointResponse = await client.GetAsync("/log/checkpoint");
        Assert.Equal("text/plain; charset=utf-8", checkpointResponse.Content.Headers.ContentType?.ToString());
        var opened = Checkpoint.Open(await checkpointResponse.Content.ReadAsStringAsync(), logKey);
        Assert.True(opened.IsValid, opened.Message);
        var tree = opened.Checkpoint!;
        Assert.Equal(601, tree.Size);

        // Full tiles are immutable, partial ones are not cached; what the tree does not hold yet is 404.
        var full = await client.GetAsync("/log/tile/0/001");
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(LogApi.Immutable, full.Headers.CacheControl?.ToString());
        Assert.Equal(Tile.FullWidth * 32, (await full.Content.ReadAsByteArrayAsync()).Length);
        var partial = await client.GetAsync("/log/tile/0/002.p/89");
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.True(partial.Headers.CacheControl?.NoCache);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/log/tile/1/000.p/2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/log/tile/0/002")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/log/tile/0/002.p/90")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/log/tile/1/000")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/log/tile/entries/003")).StatusCode);
        foreach (var malformed in new[] { "0/x001", "0/01", "0/001.p/256", "0/001.p/0", "64/000", "entries/abc", "0" })
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/log/tile/{malformed}")).StatusCode);

        // The served tiles prove the letter's inclusion and hash to the signed root.
        var tiles = new TileHashReader(tree.Size, tree.RootHash, new HttpTiles(client));
        Assert.Equal(tree.RootHash, await MerkleLog.TreeHashAsync(tree.Size, tiles));
        var leaf = MerkleHash.OfLeaf(Letter.LogEntry(letter.Bundle.Envelope));
        var proof = await MerkleLog.ProveInclusionAsync(tree.Size, letter.LogIndex, tiles);
        Assert.Equal(ProofCheck.Ok, MerkleLog.CheckInclusion(proof, tree.Size, tree.RootHash, letter.LogIndex, leaf));

        // The entry bundle holds the letter's entry, length-prefixed, at its place; full bundles are immutable too.
        var bundleResponse = await client.GetAsync("/log/tile/entries/001");
        Assert.Equal(LogApi.Immutable, bundleResponse.Headers.CacheControl?.ToString());
        var entries = EntryBundle.Decode(await bundleResponse.Content.ReadAsByteArrayAsync(), Tile.FullWidth);
        Assert.Equal(Letter.LogEntry(letter.Bundle.Envelope), entries[(int)(letter.LogIndex - 256)].ToArray());
        Assert.Equal(89, EntryBundle.Decode(await client.GetByteArrayAsync("/log/tile/entries/002.p/89")).Count);

        // The same bytes again come from memory.
        Assert.Equal(await client.GetByteArrayAsync("/log/tile/0/001"), await client.GetByteArrayAsync("/log/tile/0/001"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Well_known_keys_list_the_firm_key_and_the_log_key_and_the_checkpoint_verifies_with_it(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var attest = new Attestations(server.Installation);
        await attest.IssueAsync();
        var client = server.Client();
        using var keys = JsonDocument.Parse(await client.GetStringAsync("/.well-known/custodes/keys"));
        var firm = Assert.Single(keys.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(attest.Key.PublicKey.KeyId, firm.GetProperty("key_id").GetString());
        Assert.Equal("Ana Ruiz", firm.GetProperty("signer_name").GetString());
        Assert.Equal(Attestations.Issuer, firm.GetProperty("organization").GetString());
        Assert.Equal(attest.Key.PublicKey, Ed25519PublicKey.FromPem(firm.GetProperty("public_key_pem").GetString()!));
        Assert.Equal(JsonValueKind.Null, firm.GetProperty("not_after").ValueKind);
        var log = keys.RootElement.GetProperty("log");
        var verifier = NoteVerifier.Parse(log.GetProperty("verifier_key").GetString()!);
        Assert.Equal(log.GetProperty("origin").GetString(), verifier.Name);
        Assert.True(Checkpoint.Open(await client.GetStringAsync("/log/checkpoint"), verifier).IsValid);

        // A checkpoint signed by any other key does not open with the published key.
        using var other = Ed25519SigningKey.Generate();
        var forged = new CheckpointSigner(NoteSigner.Create(verifier.Name, other)).Sign(verifier.Name, 1, MerkleHash.EmptyTree);
        Assert.Equal(NoteError.NoKnownSignature, Checkpoint.Open(forged, verifier).Error);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Letter_status_is_public_and_follows_revocation(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var attest = new Attestations(server.Installation);
        var letter = await attest.IssueAsync();
        var client = server.Client();

        using (var valid = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/letters/{letter.LetterId}/status")))
        {
            Assert.Equal("valid", valid.RootElement.GetProperty("status").GetString());
            Assert.Equal(letter.LogIndex, valid.RootElement.GetProperty("log_index").GetInt64());
            Assert.Equal(JsonValueKind.Null, valid.RootElement.GetProperty("revoked_at").ValueKind);
        }
        var revoked = await attest.RevokeAsync(letter.LetterId, "Scope misstated", attest.Key);
        using (var status = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/letters/{letter.LetterId}/status")))
        {
            var root = status.RootElement;
            Assert.Equal("revoked", root.GetProperty("status").GetString());
            Assert.Equal("Scope misstated", root.GetProperty("reason").GetString());
            Assert.Equal(revoked.RevocationIndex, root.GetProperty("revocation_index").GetInt64());
            Assert.True(root.GetProperty("revoked_at").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));
        }
        // The revocation is an entry of its own, signed by the firm; the letter's entry is untouched.
        var (revocation, envelope) = Revocation.FromLogEntry((await attest.Log.ReadEntryAsync(revoked.RevocationIndex))!);
        Assert.Equal(letter.LetterId, revocation.LetterId);
        Assert.Equal(DsseCheck.Ok, envelope!.Verify(attest.Key.PublicKey));
        Assert.Equal(Letter.LogEntry(letter.Bundle.Envelope), await attest.Log.ReadEntryAsync(letter.LogIndex));

        using var unknown = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/letters/{Guid.NewGuid()}/status"));
        Assert.Equal("unknown", unknown.RootElement.GetProperty("status").GetString());
        Assert.Equal(LetterBundle.MediaTypeV1, (await client.GetAsync($"/api/v1/letters/{letter.LetterId}")).Content.Headers.ContentType?.MediaType);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_empty_log_has_no_checkpoint_yet(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var client = server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/log/checkpoint")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/log/tile/0/000.p/1")).StatusCode);
        using var keys = JsonDocument.Parse(await client.GetStringAsync("/.well-known/custodes/keys"));
        Assert.Equal(0, keys.RootElement.GetProperty("log").GetProperty("size").GetInt64());
        Assert.Empty(keys.RootElement.GetProperty("keys").EnumerateArray());
    }
}
