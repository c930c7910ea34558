using System.Text;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Core.Tests.Attestation;

// The vectors are Go's golang.org/x/mod/sumdb/note tests (note_test.go) and the C2SP signed-note/tlog-checkpoint examples.
public sealed class SignedNoteTests
{
    private const string PeterSigner = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string PeterKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string EnochKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private const string Text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string PeterSig = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private const string EnochSig = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    // Go slices the signature line at byte 60; the em dash is 3 UTF-8 bytes but one C# char.
    private const int GoByte60 = 58;

    private static readonly NoteSignature Peter = new("PeterNeumann", 0xc74f20a3, "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=");
    private static readonly NoteSignature Enoch = new("EnochRoot", 0xaf0cfe78, "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=");

    [Fact]
    public void Signs_Go_notes_example_byte_for_byte()
    {
        using var signer = NoteSigner.Parse(PeterSigner);
        Assert.Equal(Text + "\n" + PeterSig, SignedNote.Sign(Text, signer));
        Assert.Equal(PeterKey, signer.Verifier.KeyString);
        Assert.Equal(PeterSigner, signer.ToKeyString());
    }

    [Fact]
    public void Signing_again_replaces_the_signers_earlier_signature()
    {
        using var signer = NoteSigner.Parse(PeterSigner);
        var note = new Note(Text, [new NoteSignature("PeterNeumann", 0xc74f20a3, "BADSIGN=")], []);
        Assert.Equal(Text + "\n" + PeterSig, SignedNote.Sign(note, signer));
    }

    [Fact]
    public void Cosigning_keeps_other_signatures_first()
    {
        using var key = Ed25519SigningKey.Generate();
        using var enoch = NoteSigner.Create("EnochRoot", key);
        var signed = SignedNote.Sign(new Note(Text, [Peter], []), enoch);
        Assert.StartsWith(Text + "\n" + PeterSig + "— EnochRoot ", signed);
        var opened = SignedNote.Open(signed, NoteVerifier.Parse(PeterKey), enoch.Verifier);
        Assert.True(opened.IsValid);
        Assert.Equal(2, opened.Note!.Signatures.Count);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("abc\u0001\n")]
    public void Text_without_final_newline_or_with_controls_cannot_be_signed(string text)
    {
        using var signer = NoteSigner.Parse(PeterSigner);
        Assert.Throws<BadInputException>(() => SignedNote.Sign(text, signer));
    }

    [Fact]
    public void Existing_signature_with_a_bad_name_or_hash_cannot_be_carried()
    {
        Assert.Throws<BadInputException>(() => SignedNote.Sign(new Note(Text, [new NoteSignature("a+b", 0, "ABCD")], [])));
        Assert.Throws<BadInputException>(() => SignedNote.Sign(new Note(Text, [new NoteSignature("PeterNeumann", 0xc74f20a3, "BADHASH=")], [])));
    }

    [Fact]
    public void Verifier_key_has_the_C2SP_key_hash_of_name_newline_0x01_key()
    {
        var verifier = NoteVerifier.Parse(PeterKey);
        Assert.Equal("PeterNeumann", verifier.Name);
        Assert.Equal(0xc74f20a3u, verifier.KeyHash);
        Assert.Equal(PeterKey, NoteVerifier.Create("PeterNeumann", verifier.Key).KeyString);
    }

    [Fact]
    public void Every_mangling_of_a_verifier_key_is_rejected()
    {
        var b = PeterKey;
        for (var i = 0; i <= b.Length; i++)
        for (var j = i + 1; j <= b.Length; j++)
            if (i != 0 || j != b.Length) AssertBad(b[i..j]);
        for (var i = 0; i < b.Length; i++) AssertBad(b[..i] + (char)(b[i] + 1) + b[(i + 1)..]);
        AssertBad("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="); // wrong length key, adjusted hash
        AssertBad("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"); // unknown algorithm, adjusted hash

        static void AssertBad(string key)
        {
            var error = Assert.Throws<BadInputException>(() => NoteVerifier.Parse(key));
            Assert.StartsWith("malformed note verifier key", error.Message);
        }
    }

    [Fact]
    public void Verifier_key_errors_say_what_is_wrong()
    {
        Assert.Contains("unknown key algorithm", Assert.Throws<BadInputException>(() => NoteVerifier.Parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).Message);
        Assert.Contains("does not match", Assert.Throws<BadInputException>(() => NoteVerifier.Parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).Message);
        Assert.Contains("name", Assert.Throws<BadInputException>(() => NoteVerifier.Parse("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).Message);
    }

    [Fact]
    public void Every_mangling_of_a_signer_key_is_rejected()
    {
        var b = PeterSigner;
        for (var i = 0; i <= b.Length; i++)
        for (var j = i + 1; j <= b.Length; j++)
            if (i != 0 || j != b.Length) Assert.Throws<BadInputException>(() => NoteSigner.Parse(b[i..j]));
        for (var i = 0; i < b.Length; i++) Assert.Throws<BadInputException>(() => NoteSigner.Parse(b[..i] + (char)(b[i] + 1) + b[(i + 1)..]));
    }

    [Fact]
    public void Generated_signer_and_verifier_agree_and_reject_corruption()
    {
        using var key = Ed25519SigningKey.Generate();
        using var signer = NoteSigner.Create("EnochRoot", key);
        var verifier = NoteVerifier.Parse(signer.Verifier.KeyString);
        Assert.Equal(signer.KeyHash, verifier.KeyHash);
        using var reparsed = NoteSigner.Parse(signer.ToKeyString());
        Assert.Equal(signer.Verifier, reparsed.Verifier);

        var signed = SignedNote.Sign("hi\n", signer);
        Assert.True(SignedNote.Open(signed, verifier).IsValid);
        Assert.Equal(NoteError.InvalidSignature, SignedNote.Open(signed.Replace("hi\n", "ho\n"), verifier).Error);
    }

    [Fact]
    public void Opens_a_note_verifying_known_keys_and_keeping_unknown_ones_unverified()
    {
        var peter = NoteVerifier.Parse(PeterKey);
        var enoch = NoteVerifier.Parse(EnochKey);
        var message = Text + "\n" + PeterSig + EnochSig;

        var one = SignedNote.Open(message, peter);
        Assert.True(one.IsValid);
        Assert.Equal(Text, one.Note!.Text);
        Assert.Equal([Peter], one.Note.Signatures);
        Assert.Equal([Enoch], one.Note.UnverifiedSignatures);

        var both = SignedNote.Open(message, peter, enoch);
        Assert.Equal([Peter, Enoch], both.Note!.Signatures);
        Assert.Empty(both.Note.UnverifiedSignatures);

        var none = SignedNote.Open(message);
        Assert.Equal(NoteError.NoKnownSignature, none.Error);
        Assert.Equal([Peter, Enoch], none.Note!.UnverifiedSignatures);
    }

    [Fact]
    public void A_signature_that_shares_only_the_name_or_only_the_hash_with_a_known_key_is_ignored()
    {
        var peter = NoteVerifier.Parse(PeterKey);
        var otherHash = PeterSig.Replace("x08g", "xxxx");
        var otherName = PeterSig.Replace("PeterNeumann", "CarmenSandiego");
        Assert.Equal(NoteError.NoKnownSignature, SignedNote.Open(Text + "\n" + otherHash, peter).Error);
        Assert.Equal(NoteError.NoKnownSignature, SignedNote.Open(Text + "\n" + otherName, peter).Error);
        Assert.True(SignedNote.Open(Text + "\n" + otherName + PeterSig, peter).IsValid);
    }

    [Fact]
    public void Two_different_known_keys_with_one_name_and_hash_are_ambiguous()
    {
        var enoch = NoteVerifier.Parse(EnochKey);
        using var impostorKey = Ed25519SigningKey.Generate();
        var impostor = new NoteVerifier("EnochRoot", 0xaf0cfe78u, impostorKey.PublicKey);
        Assert.Equal(NoteError.AmbiguousKey, SignedNote.Open(Text + "\n" + EnochSig, enoch, impostor).Error);
        Assert.True(SignedNote.Open(Text + "\n" + EnochSig, enoch, enoch).IsValid); // the same key twice is not ambiguous
        Assert.True(SignedNote.Open(Text + "\n" + PeterSig, NoteVerifier.Parse(PeterKey), enoch, impostor).IsValid); // unused ambiguity
    }

    [Fact]
    public void More_than_100_signatures_is_refused()
    {
        var peter = NoteVerifier.Parse(PeterKey);
        Assert.Equal(NoteError.TooManySignatures, SignedNote.Open(Text + "\n" + string.Concat(Enumerable.Repeat(PeterSig, 101)), peter).Error);
        Assert.Equal(NoteError.TooManySignatures, SignedNote.Open(Text + "\n" + string.Concat(Enumerable.Repeat(PeterSig, 101))).Error);
        Assert.True(SignedNote.Open(Text + "\n" + string.Concat(Enumerable.Repeat(PeterSig, 100)), peter).IsValid);
    }

    [Fact]
    public void A_changed_signature_of_a_known_key_is_an_invalid_signature()
    {
        var opened = SignedNote.Open(Text + "\n" + PeterSig[..GoByte60] + "ABCD" + PeterSig[GoByte60..], NoteVerifier.Parse(PeterKey));
        Assert.Equal(NoteError.InvalidSignature, opened.Error);
        Assert.Equal("invalid signature for key PeterNeumann+c74f20a3", opened.Message);
    }

    [Fact]
    public void Repeated_signatures_are_kept_once()
    {
        var enochAbcd = new NoteSignature("EnochRoot", 0xaf0cfe78, "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n" + "ABCD" + "2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=");
        var opened = SignedNote.Open(Text + "\n" + PeterSig + PeterSig + EnochSig + EnochSig + EnochSig[..GoByte60] + "ABCD" + EnochSig[GoByte60..], NoteVerifier.Parse(PeterKey));
        Assert.True(opened.IsValid);
        Assert.Equal([Peter], opened.Note!.Signatures);
        Assert.Equal([Enoch, enochAbcd], opened.Note.UnverifiedSignatures);
    }

    [Theory]
    [InlineData(Text)]
    [InlineData(Text + "\n")]
    [InlineData(Text + "\n" + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=")]
    [InlineData("\u0001" + Text + "\n" + PeterSig)]
    [InlineData(Text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")]
    [InlineData(Text + "\n" + PeterSig + "Unexpected line.\n")]
    [InlineData(Text + "\n" + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")]
    [InlineData(Text + "\n" + "— PeterNeumann\n")]
    [InlineData(Text + "\n" + "— PeterNeumann AAAA\n")]
    public void Malformed_notes_are_refused_as_malformed(string message) =>
        Assert.Equal(NoteError.Malformed, SignedNote.Open(message, NoteVerifier.Parse(PeterKey)).Error);

    [Fact]
    public void A_note_that_is_not_UTF_8_is_malformed() =>
        Assert.Equal(NoteError.Malformed, SignedNote.Open([0xff, .. Encoding.UTF8.GetBytes(Text + "\n" + PeterSig)], NoteVerifier.Parse(PeterKey)).Error);

    [Fact]
    public void Parses_the_C2SP_checkpoint_example()
    {
        const string example = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
        var opened = SignedNote.Open(example);
        Assert.Equal(NoteError.NoKnownSignature, opened.Error);
        var checkpoint = Checkpoint.Parse(opened.Note!.Text);
        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.Size);
        Assert.Equal("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", checkpoint.RootHash.ToBase64());
        Assert.Equal(opened.Note.Text, checkpoint.ToNoteText());
        Assert.Equal("example.com/behind-the-sofa", opened.Note.UnverifiedSignatures[0].Name);
    }

    [Fact]
    public void Signed_checkpoint_is_origin_size_root_blank_line_and_an_em_dash_signature()
    {
        using var key = Ed25519SigningKey.Generate();
        using var noteSigner = NoteSigner.Create("assessor.example/log", key);
        var signer = new CheckpointSigner(noteSigner);
        var root = MerkleHash.OfLeaf("x"u8);
        var signed = signer.Sign("assessor.example/log", 42, root);
        var lines = signed.Split('\n');
        Assert.Equal(["assessor.example/log", "42", root.ToBase64(), ""], lines[..4]);
        Assert.StartsWith("— assessor.example/log ", lines[4]);
        Assert.Equal(4 + 64, Convert.FromBase64String(lines[4]["— assessor.example/log ".Length..]).Length);
        Assert.Equal("", lines[5]);

        var opened = Checkpoint.Open(signed, signer.Verifier);
        Assert.True(opened.IsValid);
        Assert.Equal(42, opened.Checkpoint!.Size);
        Assert.Equal(root, opened.Checkpoint.RootHash);
    }

    [Fact]
    public void Checkpoint_signed_by_another_key_is_refused_by_name()
    {
        using var logKey = Ed25519SigningKey.Generate();
        using var otherKey = Ed25519SigningKey.Generate();
        using var other = NoteSigner.Create("assessor.example/log", otherKey);
        var signed = new CheckpointSigner(other).Sign("assessor.example/log", 1, MerkleHash.OfLeaf([]));
        var opened = Checkpoint.Open(signed, NoteVerifier.Create("assessor.example/log", logKey.PublicKey));
        Assert.Equal(NoteError.NoKnownSignature, opened.Error);
        Assert.Null(opened.Checkpoint);
    }

    [Fact]
    public void Checkpoint_keeps_extension_lines()
    {
        var checkpoint = new Checkpoint("o", 0, MerkleHash.EmptyTree, ["ext one", "ext two"]);
        var parsed = Checkpoint.Parse(checkpoint.ToNoteText());
        Assert.Equal(["ext one", "ext two"], parsed.Extensions);
        Assert.Equal("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\next two\n", checkpoint.ToNoteText());
    }

    [Theory]
    [InlineData("o\n1\n")]
    [InlineData("o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")]
    [InlineData("\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("o\n01\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("o\n-1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("o\n0x10\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")]
    [InlineData("o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFUA\n")]
    [InlineData("o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF==\n")]
    [InlineData("o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n")]
    public void Malformed_checkpoint_text_is_bad_input(string text)
    {
        var error = Assert.Throws<BadInputException>(() => Checkpoint.Parse(text));
        Assert.StartsWith("malformed checkpoint", error.Message);
    }
}
