using System.Text;
using System.Text.Json;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Core.Tests.Attestation;

public sealed class DsseTests
{
    [Fact]
    public void PAE_is_DSSEv1_then_byte_lengths_and_values_separated_by_spaces()
    {
        // The DSSE protocol's own example.
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world",
            Encoding.UTF8.GetString(DsseEnvelope.Pae("http://example.com/HelloWorld", "hello world"u8)));
        Assert.Equal("DSSEv1 0  0 ", Encoding.UTF8.GetString(DsseEnvelope.Pae("", [])));
        // Lengths count UTF-8 bytes, not characters.
        Assert.Equal("DSSEv1 2 é 3 €", Encoding.UTF8.GetString(DsseEnvelope.Pae("é", "€"u8)));
    }

    [Fact]
    public void Signed_envelope_verifies_with_its_key_and_names_it_by_key_id()
    {
        using var key = Ed25519SigningKey.Generate();
        var envelope = DsseEnvelope.Sign("application/vnd.in-toto+json", "{}"u8.ToArray(), key);
        Assert.Equal(key.PublicKey.KeyId, envelope.Signatures[0].KeyId);
        Assert.Equal(DsseCheck.Ok, envelope.Verify(key.PublicKey));
        Assert.True(key.PublicKey.Verify(DsseEnvelope.Pae(envelope.PayloadType, envelope.Payload.Span), envelope.Signatures[0].Sig.Span));
    }

    [Fact]
    public void Signature_fails_when_one_payload_byte_changes()
    {
        using var key = Ed25519SigningKey.Generate();
        var envelope = DsseEnvelope.Sign("application/vnd.in-toto+json", "{\"a\":1}"u8.ToArray(), key);
        var payload = envelope.Payload.ToArray();
        payload[5] ^= 0x01;
        Assert.Equal(DsseCheck.InvalidSignature, (envelope with { Payload = payload }).Verify(key.PublicKey));
    }

    [Fact]
    public void Signature_fails_when_the_payload_type_changes()
    {
        using var key = Ed25519SigningKey.Generate();
        var envelope = DsseEnvelope.Sign("application/vnd.in-toto+json", "{}"u8.ToArray(), key);
        Assert.Equal(DsseCheck.InvalidSignature, (envelope with { PayloadType = "application/json" }).Verify(key.PublicKey));
    }

    [Fact]
    public void Another_key_is_told_apart_from_a_bad_signature()
    {
        using var key = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var envelope = DsseEnvelope.Sign("t", "x"u8.ToArray(), key);
        Assert.Equal(DsseCheck.WrongKey, envelope.Verify(other.PublicKey));
        Assert.Equal(DsseCheck.NoSignatures, (envelope with { Signatures = [] }).Verify(key.PublicKey));
    }

    [Fact]
    public void Key_id_is_only_a_hint()
    {
        using var key = Ed25519SigningKey.Generate();
        var envelope = DsseEnvelope.Sign("t", "x"u8.ToArray(), key);
        var renamed = envelope with { Signatures = [envelope.Signatures[0] with { KeyId = "someone-else" }] };
        Assert.Equal(DsseCheck.Ok, renamed.Verify(key.PublicKey));
        var forged = envelope with { Signatures = [new DsseSignature(key.PublicKey.KeyId, new byte[64])] };
        Assert.Equal(DsseCheck.InvalidSignature, forged.Verify(key.PublicKey));
    }

    [Fact]
    public void Envelope_JSON_has_the_DSSE_member_names_and_reads_back()
    {
        using var key = Ed25519SigningKey.Generate();
        var envelope = DsseEnvelope.Sign("application/vnd.in-toto+json", "{}"u8.ToArray(), key);
        var json = envelope.ToJson();
        Assert.Equal(["payloadType", "payload", "signatures"], json.Select(p => p.Key));
        Assert.Equal("e30=", (string?)json["payload"]);
        Assert.Equal(["keyid", "sig"], json["signatures"]![0]!.AsObject().Select(p => p.Key));
        var back = DsseEnvelope.FromJson(JsonSerializer.SerializeToElement(json));
        Assert.Equal(DsseCheck.Ok, back.Verify(key.PublicKey));
        Assert.Equal(Letter.LogEntry(envelope), Letter.LogEntry(back));
    }

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("""{"payload":"e30=","signatures":[]}""", "$.payloadType")]
    [InlineData("""{"payloadType":"t","payload":"%%","signatures":[]}""", "$.payload")]
    [InlineData("""{"payloadType":"t","payload":"e30=","signatures":{}}""", "$.signatures")]
    [InlineData("""{"payloadType":"t","payload":"e30=","signatures":[{"keyid":"k"}]}""", "$.signatures[0].sig")]
    public void Malformed_envelope_is_bad_input_naming_the_path(string json, string path) =>
        Assert.Equal(path, Assert.Throws<BadInputException>(() => DsseEnvelope.FromJson(JsonDocument.Parse(json).RootElement)).Path);

    [Fact]
    public void Statement_is_in_toto_v1_with_one_subject_digested_from_the_canonical_assessment()
    {
        using var fixture = new LetterFixture(0, 0);
        var statement = fixture.Statement;
        var json = JsonDocument.Parse(statement.ToCanonicalJson()).RootElement;
        Assert.Equal("https://in-toto.io/Statement/v1", json.GetProperty("_type").GetString());
        Assert.Equal("urn:custodes:letter:v1", json.GetProperty("predicateType").GetString());
        var subject = Assert.Single(json.GetProperty("subject").EnumerateArray());
        Assert.Equal("Example MSP LLC", subject.GetProperty("name").GetString());
        // SHA-256 of {"organization":"Example MSP LLC","schema":"custodes.assessment/v1"}: member order does not matter.
        var canonical = """{"organization":"Example MSP LLC","schema":"custodes.assessment/v1"}"""u8.ToArray();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(canonical)), subject.GetProperty("digest").GetProperty("sha256").GetString());
        Assert.Equal(statement.ToCanonicalJson(), fixture.Envelope.Payload.ToArray());
        Assert.Equal(statement.ToCanonicalJson(), InTotoStatement.Parse(fixture.Envelope.Payload.Span).ToCanonicalJson());
    }

    [Fact]
    public void Letter_predicate_has_the_contract_fields_in_snake_case()
    {
        var json = LetterFixture.SamplePredicate().ToJson();
        Assert.Equal(
            ["letter_id", "issuer", "subject_organization", "framework", "scope", "assessed_on", "issued_at", "valid_until", "score", "cmmc", "counts", "statement"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-10-01", json.GetProperty("assessed_on").GetString());
        Assert.Equal("2026-10-02T14:00:00Z", json.GetProperty("issued_at").GetString());
        Assert.Equal("2027-10-02T14:00:00Z", json.GetProperty("valid_until").GetString());
        Assert.Equal("0b7f6c1e-9a51-4b8e-a8f3-2d3c4e5f6a7b", json.GetProperty("letter_id").GetString());
        Assert.Equal(LetterFixture.SamplePredicate() with { Score = default, Cmmc = default, Counts = default },
            LetterPredicate.FromJson(json) with { Score = default, Cmmc = default, Counts = default });
    }

    [Theory]
    [InlineData("issued_at", "\"2026-10-02T14:00:00\"")]
    [InlineData("valid_until", "\"2027-10-02\"")]
    [InlineData("letter_id", "\"not-a-uuid\"")]
    [InlineData("issuer", "null")]
    public void Letter_predicate_with_a_bad_field_is_bad_input(string field, string value)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(LetterFixture.SamplePredicate().ToJson().GetRawText())!;
        json[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        Assert.Throws<BadInputException>(() => LetterPredicate.FromJson(JsonSerializer.SerializeToElement(json)));
    }
}
