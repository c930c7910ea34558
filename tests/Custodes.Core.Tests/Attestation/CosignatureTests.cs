using System.Buffers.Binary;
using System.Text;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Core.Tests.Attestation;

// C2SP tlog-cosignature (Ed25519, cosignature/v1) and the tlog-witness add-checkpoint body.
public sealed class CosignatureTests
{
    private const string Body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    [Fact]
    public void A_witness_vkey_is_name_key_id_and_type_4_key_with_the_key_id_computed_as_the_spec_says()
    {
        using var key = Ed25519SigningKey.Generate();
        var witness = CosignerVerifier.Create("witness.example.com/w1", key.PublicKey);
        var expected = System.Security.Cryptography.SHA256.HashData([.. Encoding.UTF8.GetBytes("witness.example.com/w1\n"), 0x04, .. key.PublicKey.Raw]);
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(expected), witness.KeyId);
        Assert.Equal(witness, CosignerVerifier.Parse(witness.KeyString));
        Assert.StartsWith($"witness.example.com/w1+{witness.KeyId:x8}+", witness.KeyString);
        byte[] typed = [0x04, .. key.PublicKey.Raw];
        Assert.Equal(typed, Convert.FromBase64String(witness.KeyString.Split('+', 3)[2]));
    }

    [Fact]
    public void A_log_note_key_a_wrong_key_id_and_garbage_are_refused_as_witness_keys()
    {
        using var key = Ed25519SigningKey.Generate();
        var note = NoteVerifier.Create("log.example", key.PublicKey).KeyString;
        Assert.Contains("type 1", Assert.Throws<BadInputException>(() => CosignerVerifier.Parse(note)).Message);
        var vkey = CosignerVerifier.Create("w", key.PublicKey).KeyString;
        var parts = vkey.Split('+', 3);
        Assert.Contains("key id", Assert.Throws<BadInputException>(() => CosignerVerifier.Parse($"other+{parts[1]}+{parts[2]}")).Message);
        Assert.Throws<BadInputException>(() => CosignerVerifier.Parse("w+0000"));
        Assert.Throws<BadInputException>(() => CosignerVerifier.Parse("w+zzzzzzzz+BA=="));
    }

    [Fact]
    public void A_cosignature_signs_the_header_the_time_line_and_the_note_body_and_verifies_only_on_that_body()
    {
        using var key = Ed25519SigningKey.Generate();
        var cosigner = new Cosigner("witness.example.com/w1", key);
        var time = DateTimeOffset.FromUnixTimeSeconds(1679315147);
        var line = cosigner.Cosign(Body, time);
        var signature = SignedNote.ParseSignatureLine(line)!.Value;
        var blob = Convert.FromBase64String(signature.Base64);
        Assert.Equal(4 + 8 + 64, blob.Length);
        Assert.Equal(1679315147UL, BinaryPrimitives.ReadUInt64BigEndian(blob.AsSpan(4)));
        Assert.True(key.PublicKey.Verify(Encoding.UTF8.GetBytes("cosignature/v1\ntime 1679315147\n" + Body), blob.AsSpan(12)));
        Assert.Equal(time, cosigner.Verifier.FindCosignature(Body, [signature]));
        Assert.Null(cosigner.Verifier.FindCosignature(Body.Replace("20852163", "20852164"), [signature]));
        using var other = Ed25519SigningKey.Generate();
        Assert.Null(CosignerVerifier.Create("witness.example.com/w1", other.PublicKey).FindCosignature(Body, [signature]));
    }

    [Fact]
    public void One_key_under_two_names_counts_once_toward_a_quorum()
    {
        using var logKey = Ed25519SigningKey.Generate();
        using var witnessKey = Ed25519SigningKey.Generate();
        var note = SignedNote.Sign(Body, NoteSigner.Create("example.com/behind-the-sofa", logKey));
        var a = new Cosigner("w/a", witnessKey);
        var b = new Cosigner("w/b", witnessKey);
        var cosigned = note + a.Cosign(Body, DateTimeOffset.UtcNow) + b.Cosign(Body, DateTimeOffset.UtcNow);
        Assert.Single(WitnessedCheckpoint.FindCosigners(cosigned, [a.Verifier, b.Verifier]));
        var opened = WitnessedCheckpoint.Open(cosigned, NoteSigner.Create("example.com/behind-the-sofa", logKey).Verifier, [a.Verifier], out _);
        Assert.Single(opened!.Cosignatures);
    }

    [Fact]
    public void The_add_checkpoint_body_is_parsed_strictly()
    {
        var hash = MerkleHash.OfLeaf("a"u8).ToBase64();
        var request = AddCheckpointRequest.Parse(Encoding.UTF8.GetBytes($"old 20852014\n{hash}\n{hash}\n\n{Body}\n— x y\n"));
        Assert.Equal(20852014, request.OldSize);
        Assert.Equal(2, request.Proof.Count);
        Assert.StartsWith("example.com/behind-the-sofa\n", request.SignedCheckpoint);
        Assert.Equal(request, AddCheckpointRequest.Parse(Encoding.UTF8.GetBytes(request.ToBody())) with { Proof = request.Proof });
        foreach (var bad in new[] { $"old 01\n\n{Body}", $"old -1\n\n{Body}", $"old 1\n{Body}", "old 1\n\n", $"new 1\n\n{Body}", $"old 1\nnot-a-hash\n\n{Body}",
                     "old 1\n" + string.Concat(Enumerable.Repeat(hash + "\n", 64)) + "\n" + Body })
            Assert.Throws<BadInputException>(() => AddCheckpointRequest.Parse(Encoding.UTF8.GetBytes(bad)));
    }
}
