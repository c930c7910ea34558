using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Core.Tests.Attestation;

public sealed class LetterVerifierTests : IDisposable
{
    private readonly LetterFixture _letter = new();

    public void Dispose() => _letter.Dispose();

    private JsonNode LetterJson() => JsonNode.Parse(_letter.Bytes)!;

    private static byte[] Bytes(JsonNode json) => Encoding.UTF8.GetBytes(json.ToJsonString());

    private static void AssertOnlyError(LetterVerification result, string code)
    {
        Assert.False(result.Valid);
        Assert.Equal([code], result.Errors.Select(LetterErrors.CodeOf));
    }

    [Fact]
    public void Issued_letter_verifies_offline_with_the_fields_of_attest_verify()
    {
        var result = _letter.Verify();
        Assert.Empty(result.Errors);
        Assert.True(result.Valid);
        var json = JsonSerializer.SerializeToElement(result, Json.Options);
        Assert.Equal(["valid", "signature", "expired", "revoked", "inclusion", "issuer", "subject_organization", "score", "valid_until", "errors"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            """{"valid":true,"signature":"ok","expired":false,"revoked":null,"inclusion":"ok","issuer":"Northwind Assessors LLC","subject_organization":"Example MSP LLC","score":97,"valid_until":"2027-10-02T14:00:00Z","errors":[]}""",
            JsonSerializer.Serialize(result, Json.Options));
    }

    [Fact]
    public void Without_the_log_key_a_proof_to_a_checkpoint_of_unknown_signer_is_unchecked_and_with_it_bad()
    {
        // The real letter in a one-entry tree of its holder's own, under the real origin, signed by a key nobody trusts.
        var forged = new MemoryLog();
        var index = forged.Append(_letter.Entry);
        using var forgerKey = Ed25519SigningKey.Generate();
        using var forger = NoteSigner.Create(LetterFixture.Origin, forgerKey);
        var checkpoint = new CheckpointSigner(forger).Sign(LetterFixture.Origin, forged.Size, forged.TreeHash());
        var bytes = Letter.Bundle(_letter.Envelope, LetterFixture.Origin, index, forged.ProveInclusion(forged.Size, index), checkpoint).ToUtf8Bytes();

        var offline = _letter.Verify(bytes, withLogKey: false);
        Assert.Equal(InclusionStatus.Unchecked, offline.Inclusion);
        Assert.Equal("unchecked", JsonSerializer.SerializeToElement(offline, Json.Options).GetProperty("inclusion").GetString());
        Assert.Equal(InclusionStatus.Unchecked, _letter.Verify(withLogKey: false).Inclusion); // the genuine letter too: nothing vouches for its checkpoint

        var withKey = _letter.Verify(bytes);
        AssertOnlyError(withKey, LetterErrors.CheckpointWrongKey);
        Assert.Equal(InclusionStatus.Bad, withKey.Inclusion);
    }

    [Fact]
    public void Letter_file_has_the_contract_shape()
    {
        var json = LetterJson();
        Assert.Equal(["mediaType", "envelope", "transparency"], json.AsObject().Select(p => p.Key));
        Assert.Equal("application/vnd.custodes.letter.v1+json", (string?)json["mediaType"]);
        Assert.Equal("application/vnd.in-toto+json", (string?)json["envelope"]!["payloadType"]);
        Assert.Equal(["origin", "index", "inclusion_proof", "checkpoint"], json["transparency"]!.AsObject().Select(p => p.Key));
        Assert.Equal(42, (long)json["transparency"]!["index"]!);
        var reread = LetterBundle.Parse(_letter.Bytes);
        Assert.Equal(_letter.Entry, Letter.LogEntry(reread.Envelope));
    }

    [Fact]
    public void Log_entry_is_the_canonical_JSON_of_the_envelope()
    {
        var envelope = LetterJson()["envelope"]!;
        Assert.Equal(CanonicalJson.Serialize(envelope), _letter.Entry);
        Assert.StartsWith("{\"payload\":\"", Encoding.UTF8.GetString(_letter.Entry));
    }

    [Fact]
    public void Signature_fails_when_one_payload_byte_changes()
    {
        var json = LetterJson();
        var payload = Convert.FromBase64String((string)json["envelope"]!["payload"]!);
        payload[^2] ^= 0x01;
        json["envelope"]!["payload"] = Convert.ToBase64String(payload);
        var result = _letter.Verify(Bytes(json));
        Assert.False(result.Valid);
        Assert.Equal(SignatureStatus.Bad, result.Signature);
        Assert.Equal([LetterErrors.SignatureInvalid, LetterErrors.InclusionProofMismatch], result.Errors.Select(LetterErrors.CodeOf));
        Assert.Null(result.Issuer); // an unverified letter claims nothing
    }

    [Fact]
    public void Letter_checked_with_another_key_is_signature_wrong_key()
    {
        using var other = Ed25519SigningKey.Generate();
        var result = LetterVerifier.Verify(_letter.Bytes, other.PublicKey, LetterFixture.IssuedAt, _letter.LogKey);
        AssertOnlyError(result, LetterErrors.SignatureWrongKey);
        Assert.Equal(SignatureStatus.Bad, result.Signature);
        Assert.Equal(InclusionStatus.Ok, result.Inclusion);
    }

    [Fact]
    public void Letter_after_its_valid_until_is_expired()
    {
        var result = _letter.Verify(at: LetterFixture.ValidUntil.AddSeconds(1));
        AssertOnlyError(result, LetterErrors.LetterExpired);
        Assert.True(result.Expired);
        Assert.Equal(SignatureStatus.Ok, result.Signature);
        Assert.True(_letter.Verify(at: LetterFixture.ValidUntil).Valid);
    }

    [Fact]
    public void Truncated_inclusion_proof_is_named_truncated()
    {
        var json = LetterJson();
        var proof = json["transparency"]!["inclusion_proof"]!.AsArray();
        proof.RemoveAt(proof.Count - 1);
        var result = _letter.Verify(Bytes(json));
        AssertOnlyError(result, LetterErrors.InclusionProofTruncated);
        Assert.Equal(InclusionStatus.Bad, result.Inclusion);
        Assert.Equal(SignatureStatus.Ok, result.Signature);
    }

    [Fact]
    public void Inclusion_proof_with_an_extra_hash_is_named_too_long()
    {
        var json = LetterJson();
        json["transparency"]!["inclusion_proof"]!.AsArray().Add(MerkleHash.EmptyTree.ToBase64());
        AssertOnlyError(_letter.Verify(Bytes(json)), LetterErrors.InclusionProofTooLong);
    }

    [Fact]
    public void Inclusion_proof_with_a_changed_hash_is_a_mismatch()
    {
        var json = LetterJson();
        var proof = json["transparency"]!["inclusion_proof"]!.AsArray();
        proof[0] = MerkleLogTests.Flip(MerkleHash.FromBase64((string)proof[0]!), 3).ToBase64();
        AssertOnlyError(_letter.Verify(Bytes(json)), LetterErrors.InclusionProofMismatch);
    }

    [Fact]
    public void Letter_at_another_index_is_a_mismatch_and_past_the_tree_is_out_of_range()
    {
        var json = LetterJson();
        json["transparency"]!["index"] = 43;
        AssertOnlyError(_letter.Verify(Bytes(json)), LetterErrors.InclusionProofMismatch);
        json["transparency"]!["index"] = _letter.Log.Size;
        AssertOnlyError(_letter.Verify(Bytes(json)), LetterErrors.InclusionIndexOutOfRange);
    }

    [Fact]
    public void Checkpoint_signed_by_another_key_is_checkpoint_wrong_key()
    {
        using var otherKey = Ed25519SigningKey.Generate();
        using var other = NoteSigner.Create(LetterFixture.Origin, otherKey);
        var json = LetterJson();
        json["transparency"]!["checkpoint"] = new CheckpointSigner(other).Sign(LetterFixture.Origin, _letter.Log.Size, _letter.Log.TreeHash());
        var result = _letter.Verify(Bytes(json));
        AssertOnlyError(result, LetterErrors.CheckpointWrongKey);
        Assert.Equal(InclusionStatus.Bad, result.Inclusion);
    }

    [Fact]
    public void Checkpoint_changed_after_signing_is_checkpoint_signature_invalid()
    {
        var json = LetterJson();
        var forged = new MemoryLog();
        forged.Append(_letter.Entry);
        var text = _letter.Checkpoint.Replace($"\n{_letter.Log.Size}\n{_letter.Log.TreeHash()}\n", $"\n1\n{forged.TreeHash()}\n");
        json["transparency"]!["checkpoint"] = text;
        json["transparency"]!["index"] = 0;
        json["transparency"]!["inclusion_proof"] = new JsonArray();
        AssertOnlyError(_letter.Verify(Bytes(json)), LetterErrors.CheckpointSignatureInvalid);
    }

    [Fact]
    public void Without_the_log_key_a_forged_checkpoint_still_must_match_the_proof()
    {
        Assert.True(_letter.Verify(withLogKey: false).Valid);
        var json = LetterJson();
        json["transparency"]!["checkpoint"] = _letter.Checkpoint.Replace(_letter.Log.TreeHash().ToBase64(), MerkleHash.EmptyTree.ToBase64());
        AssertOnlyError(_letter.Verify(Bytes(json), withLogKey: false), LetterErrors.InclusionProofMismatch);
    }

    [Fact]
    public void Checkpoint_of_another_log_is_an_origin_mismatch()
    {
        var json = LetterJson();
        json["transparency"]!["origin"] = "elsewhere.example/log";
        AssertOnlyError(_letter.Verify(Bytes(json)), LetterErrors.CheckpointOriginMismatch);
    }

    [Fact]
    public void Malformed_checkpoint_is_named_malformed()
    {
        var json = LetterJson();
        json["transparency"]!["checkpoint"] = "not a note";
        AssertOnlyError(_letter.Verify(Bytes(json)), LetterErrors.CheckpointMalformed);
        AssertOnlyError(_letter.Verify(Bytes(json), withLogKey: false), LetterErrors.CheckpointMalformed);
    }

    [Fact]
    public void A_note_that_is_no_checkpoint_is_unsigned_by_the_log_or_else_malformed()
    {
        var json = LetterJson();
        json["transparency"]!["checkpoint"] = "assessor.example/custodes\n53\n\n— x AAAAAAA=\n";
        AssertOnlyError(_letter.Verify(Bytes(json)), LetterErrors.CheckpointWrongKey);
        AssertOnlyError(_letter.Verify(Bytes(json), withLogKey: false), LetterErrors.CheckpointMalformed);
    }

    [Fact]
    public void Letter_without_transparency_is_inclusion_absent_and_not_valid()
    {
        var json = LetterJson();
        json.AsObject().Remove("transparency");
        var result = _letter.Verify(Bytes(json));
        AssertOnlyError(result, LetterErrors.InclusionAbsent);
        Assert.Equal(InclusionStatus.Absent, result.Inclusion);
        Assert.Equal(SignatureStatus.Ok, result.Signature);
    }

    [Theory]
    [InlineData("""{"origin":"o","index":-1,"inclusion_proof":[],"checkpoint":"c"}""")]
    [InlineData("""{"origin":"o","index":1.5,"inclusion_proof":[],"checkpoint":"c"}""")]
    [InlineData("""{"origin":"o","index":1,"inclusion_proof":["AAAA"],"checkpoint":"c"}""")]
    [InlineData("""{"origin":"o","index":1,"inclusion_proof":"x","checkpoint":"c"}""")]
    [InlineData("""{"origin":"o","index":1,"inclusion_proof":[]}""")]
    [InlineData("[]")]
    public void Malformed_transparency_is_named(string transparency)
    {
        var json = LetterJson();
        json["transparency"] = JsonNode.Parse(transparency);
        AssertOnlyError(_letter.Verify(Bytes(json)), LetterErrors.TransparencyMalformed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"mediaType\":1}")]
    [InlineData("{} trailing")]
    public void Not_a_letter_is_bundle_malformed(string text)
    {
        var result = _letter.Verify(Encoding.UTF8.GetBytes(text));
        AssertOnlyError(result, LetterErrors.BundleMalformed);
        Assert.Equal(SignatureStatus.Bad, result.Signature);
    }

    [Fact]
    public void Another_media_type_is_named()
    {
        var json = LetterJson();
        json["mediaType"] = "application/vnd.custodes.letter.v2+json";
        AssertOnlyError(_letter.Verify(Bytes(json)), LetterErrors.MediaTypeUnknown);
    }

    [Fact]
    public void Missing_or_mistyped_envelope_is_envelope_malformed()
    {
        var json = LetterJson();
        json["envelope"]!["signatures"] = "none";
        var result = _letter.Verify(Bytes(json));
        Assert.Equal([LetterErrors.EnvelopeMalformed, LetterErrors.InclusionProofMismatch], result.Errors.Select(LetterErrors.CodeOf));
        json.AsObject().Remove("envelope");
        Assert.Contains(LetterErrors.EnvelopeMalformed, _letter.Verify(Bytes(json)).Errors.Select(LetterErrors.CodeOf));
        Assert.False(_letter.Verify(Bytes(json)).Valid);
    }

    [Fact]
    public void Envelope_without_signatures_is_signature_missing()
    {
        var json = LetterJson();
        json["envelope"]!["signatures"] = new JsonArray();
        Assert.Equal(LetterErrors.SignatureMissing, LetterErrors.CodeOf(_letter.Verify(Bytes(json)).Errors[0]));
    }

    // Letters the right key signed but that are not letters: each is named, and none is valid.
    [Theory]
    [InlineData("application/json", "{}", LetterErrors.PayloadTypeUnexpected)]
    [InlineData("application/vnd.in-toto+json", "not json", LetterErrors.StatementMalformed)]
    [InlineData("application/vnd.in-toto+json", """{"_type":"https://in-toto.io/Statement/v0.1","subject":[{"name":"x","digest":{}}],"predicateType":"urn:custodes:letter:v1","predicate":{}}""", LetterErrors.StatementMalformed)]
    [InlineData("application/vnd.in-toto+json", """{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"x","digest":{}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{}}""", LetterErrors.PredicateTypeUnexpected)]
    [InlineData("application/vnd.in-toto+json", """{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"x","digest":{}}],"predicateType":"urn:custodes:letter:v1","predicate":{"issuer":"x"}}""", LetterErrors.PredicateMalformed)]
    public void Signed_content_that_is_not_a_letter_is_named(string payloadType, string payload, string code)
    {
        var envelope = DsseEnvelope.Sign(payloadType, Encoding.UTF8.GetBytes(payload), _letter.SigningKey);
        var log = new MemoryLog();
        log.Append(Letter.LogEntry(envelope));
        var bundle = Letter.Bundle(envelope, LetterFixture.Origin, 0, [], new CheckpointSigner(_letter.LogSigner).Sign(LetterFixture.Origin, 1, log.TreeHash()));
        var result = _letter.Verify(bundle.ToUtf8Bytes());
        AssertOnlyError(result, code);
        Assert.Equal(SignatureStatus.Ok, result.Signature);
        Assert.Null(result.Issuer);
    }

    [Fact]
    public void Strict_parse_of_a_damaged_letter_file_names_the_file_and_path()
    {
        var json = LetterJson();
        json["transparency"]!["inclusion_proof"]![0] = "nope";
        var error = Assert.Throws<BadInputException>(() => LetterBundle.Parse(Bytes(json), "letter.json"));
        Assert.Equal("letter.json", error.File);
        Assert.Equal("$.transparency.inclusion_proof[0]", error.Path);
    }

    [Fact]
    public void Revocation_found_online_makes_the_result_invalid()
    {
        var online = _letter.Verify() with { Revoked = true, Errors = [$"{LetterErrors.LetterRevoked}: revoked by entry 60"] };
        Assert.False(online.Valid);
        Assert.True((_letter.Verify() with { Revoked = false }).Valid);
    }

    // ---- No damage is ever a silent valid, and none escapes as an exception ------------------------

    [Fact]
    public void Every_single_bit_flip_in_the_letter_file_is_caught_or_changes_nothing_it_means()
    {
        var original = LetterBundle.Parse(_letter.Bytes);
        var stillValid = 0;
        for (var at = 0; at < _letter.Bytes.Length; at++)
        for (var bit = 0; bit < 8; bit++)
        {
            var bytes = (byte[])_letter.Bytes.Clone();
            bytes[at] ^= (byte)(1 << bit);
            var result = _letter.Verify(bytes);
            var unforeseen = result.Errors.FirstOrDefault(e => e.Contains("unforeseen failure", StringComparison.Ordinal));
            Assert.True(unforeseen is null, $"flip at {at} bit {bit}: {unforeseen}");
            if (!result.Valid) continue;
            // Still valid: the flip must have changed nothing the letter means (whitespace between tokens, say).
            stillValid++;
            var damaged = LetterBundle.Parse(bytes);
            Assert.Equal(_letter.Entry, CanonicalJson.Serialize(JsonNode.Parse(bytes)!["envelope"]));
            Assert.Equal(original.Transparency, damaged.Transparency! with { InclusionProof = original.Transparency!.InclusionProof });
            Assert.Equal(original.Transparency.InclusionProof, damaged.Transparency.InclusionProof);
        }
        Assert.True(stillValid < _letter.Bytes.Length, $"{stillValid} flips left the letter valid");
    }
}
