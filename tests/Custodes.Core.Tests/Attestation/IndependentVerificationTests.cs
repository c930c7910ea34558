using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Attestation;
using Custodes.Testing;
using Custodes.Testing.Independent;
using Custodes.Transparency;

namespace Custodes.Core.Tests.Attestation;

/// <summary>The Go checker, built once per test run.</summary>
public sealed class GoChecker() : GoProgram("tlogcheck", "Attestation/Independent/tlogcheck.go");

// Our formats checked by implementations we did not write: Go's x/mod sumdb note/tlog and Python's cryptography.
public sealed class IndependentVerificationTests(GoChecker go) : IClassFixture<GoChecker>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("custodes-independent-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Go_tlog_and_note_verify_our_checkpoint_proofs_tiles_and_entry_bundles()
    {
        using var letter = new LetterFixture(before: 300, after: 399);
        var log = letter.Log;
        Assert.Equal(700, log.Size);
        var root = log.TreeHash();

        // Tiles and entry bundles as the server will publish them for this tree: full tiles and the latest partial ones.
        var entries = new List<byte[]>();
        for (var i = 0; i < log.Size; i++) entries.Add(i == letter.Index ? letter.Entry : Encoding.UTF8.GetBytes(i < letter.Index ? $"{{\"other\":{i}}}" : $"{{\"later\":{i - letter.Index - 1}}}"));
        Assert.All(Enumerable.Range(0, entries.Count), i => Assert.Equal(log[MerkleLog.StoredHashIndex(0, i)], MerkleHash.OfLeaf(entries[i])));
        foreach (var tile in Tile.NewTiles(0, log.Size).GroupBy(t => (t.Level, t.Index)).Select(g => g.MaxBy(t => t.Width)))
        {
            Write(tile.Path, await tile.ReadDataAsync(log));
            if (tile.Level == 0)
            {
                var bundle = EntryBundle.Encode([.. entries.Skip((int)tile.Index * Tile.FullWidth).Take(tile.Width).Select(e => (ReadOnlyMemory<byte>)e)]);
                Write(Tile.Entries(tile.Index, tile.Width).Path, bundle);
            }
        }

        long[] indexes = [0, 1, 255, 256, 511, 512, 699, letter.Index];
        long[] oldSizes = [1, 2, 255, 256, 300, 699, 700];
        var input = new JsonObject
        {
            ["verifier_key"] = letter.LogKey.KeyString,
            ["checkpoint"] = letter.Checkpoint,
            ["inclusion"] = new JsonArray([.. indexes.Select(i => new JsonObject
            {
                ["size"] = log.Size,
                ["index"] = i,
                ["entry"] = Convert.ToBase64String(entries[(int)i]),
                ["proof"] = new JsonArray([.. log.ProveInclusion(log.Size, i).Select(h => (JsonNode)h.ToBase64())]),
            })]),
            ["consistency"] = new JsonArray([.. oldSizes.Select(old => new JsonObject
            {
                ["old_size"] = old,
                ["old_root"] = log.TreeHash(old).ToBase64(),
                ["proof"] = new JsonArray([.. log.ProveConsistency(log.Size, old).Select(h => (JsonNode)h.ToBase64())]),
            })]),
            ["tile_dir"] = _dir.FullName,
            ["prove_indexes"] = new JsonArray([.. indexes.Select(i => (JsonNode)i)]),
        };
        var casePath = Path.Combine(_dir.FullName, "case.json");
        File.WriteAllText(casePath, input.ToJsonString());

        var run = ExternalTools.Capture(go.Binary, [casePath], _dir.FullName);
        Assert.Null(ExternalTools.CheckFailure("Go tlogcheck", run));
        var output = JsonNode.Parse(run.Stdout)!["go"]!;

        // Go computes the same proofs from our tiles as we do from our stored hashes.
        foreach (var i in indexes)
            Assert.Equal(log.ProveInclusion(log.Size, i).Select(h => h.ToBase64()), output["proofs_from_tiles"]![i.ToString(System.Globalization.CultureInfo.InvariantCulture)]!.AsArray().Select(h => (string)h!));
        Assert.Equal(log.ProveConsistency(log.Size, oldSizes[0]).Select(h => h.ToBase64()), output["consistency_from_tiles"]!.AsArray().Select(h => (string)h!));

        // And the other way: a checkpoint Go signed opens with our note code and Go's verifier key string.
        var goKey = NoteVerifier.Parse((string)output["verifier_key"]!);
        var opened = Checkpoint.Open((string)output["checkpoint"]!, goKey);
        Assert.True(opened.IsValid, opened.Message);
        Assert.Equal(root, opened.Checkpoint!.RootHash);
        Assert.Equal(log.Size, opened.Checkpoint.Size);
    }

    [Fact]
    public void Python_cryptography_verifies_our_DSSE_signature_and_loads_our_keys_and_we_load_its()
    {
        var python = ExternalTools.Find("python3", "/usr/bin/python3")
            ?? throw new InvalidOperationException("python3 is not installed: the independent DSSE check needs it");
        var probe = ExternalTools.Capture(python, ["-c", "import cryptography; print(cryptography.__version__)"], _dir.FullName);
        Assert.True(probe.Code == 0, $"Python's cryptography is missing (apt-get install python3-cryptography; scripts/test.sh installs it):\n{probe.Stderr}");

        using var letter = new LetterFixture(0, 0);
        const string passphrase = "correct horse battery staple";
        File.WriteAllText(Path.Combine(_dir.FullName, "envelope.json"), letter.Envelope.ToJson().ToJsonString());
        File.WriteAllText(Path.Combine(_dir.FullName, "signing.pub"), letter.SigningKey.PublicKey.ToPem());
        File.WriteAllText(Path.Combine(_dir.FullName, "signing.key"), letter.SigningKey.ToPem());
        File.WriteAllText(Path.Combine(_dir.FullName, "signing-encrypted.key"), letter.SigningKey.ToPem(passphrase));
        File.WriteAllText(Path.Combine(_dir.FullName, "passphrase"), passphrase);

        var script = Path.Combine(AppContext.BaseDirectory, "Attestation", "Independent", "dssecheck.py");
        Assert.Null(ExternalTools.CheckFailure("Python dssecheck", ExternalTools.Capture(python, [script, _dir.FullName], _dir.FullName)));

        var pythonPublic = Ed25519PublicKey.FromPem(File.ReadAllText(Path.Combine(_dir.FullName, "python.pub")));
        using var pythonKey = Ed25519SigningKey.FromPem(File.ReadAllText(Path.Combine(_dir.FullName, "python.key")));
        using var pythonEncrypted = Ed25519SigningKey.FromPem(File.ReadAllText(Path.Combine(_dir.FullName, "python-encrypted.key")), passphrase);
        Assert.Equal(pythonPublic, pythonKey.PublicKey);
        Assert.Equal(pythonPublic, pythonEncrypted.PublicKey);
        var envelope = DsseEnvelope.FromJson(JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.FullName, "python-envelope.json"))).RootElement);
        Assert.Equal(pythonPublic.KeyId, envelope.Signatures[0].KeyId);
        Assert.Equal(DsseCheck.Ok, envelope.Verify(pythonPublic));
    }

    private void Write(string path, byte[] data)
    {
        var file = Path.Combine(_dir.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, data);
    }
}
