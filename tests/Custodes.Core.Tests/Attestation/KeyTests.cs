using System.Security.Cryptography;
using System.Text;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Core.Tests.Attestation;

public sealed class KeyTests
{
    // RFC 8032 §7.1 test 1: secret key, public key, and the signature of the empty message.
    private const string Rfc8032Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private const string Rfc8032Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private const string Rfc8032Signature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    [Fact]
    public void Signs_the_RFC_8032_test_vector()
    {
        using var key = Ed25519SigningKey.FromSeed(Convert.FromHexString(Rfc8032Seed));
        Assert.Equal(Rfc8032Public, Convert.ToHexStringLower(key.PublicKey.Raw));
        Assert.Equal(Rfc8032Signature, Convert.ToHexStringLower(key.Sign([])));
        Assert.True(key.PublicKey.Verify([], Convert.FromHexString(Rfc8032Signature)));
    }

    [Fact]
    public void Private_key_PEM_is_the_RFC_8410_PKCS8_encoding()
    {
        using var key = Ed25519SigningKey.FromSeed(Convert.FromHexString(Rfc8032Seed));
        var pem = key.ToPem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", pem);
        var der = Convert.FromBase64String(pem.Split('\n')[1]);
        Assert.Equal("302e020100300506032b657004220420" + Rfc8032Seed, Convert.ToHexStringLower(der));
    }

    [Fact]
    public void Public_key_PEM_is_SubjectPublicKeyInfo_and_key_id_is_the_SHA_256_of_its_DER()
    {
        using var key = Ed25519SigningKey.FromSeed(Convert.FromHexString(Rfc8032Seed));
        var pem = key.PublicKey.ToPem();
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", pem);
        Assert.Equal("302a300506032b6570032100" + Rfc8032Public, Convert.ToHexStringLower(key.PublicKey.SpkiDer));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.PublicKey.SpkiDer)), key.PublicKey.KeyId);
        Assert.Equal(key.PublicKey, Ed25519PublicKey.FromPem(pem));
    }

    [Fact]
    public void Private_key_round_trips_through_PEM()
    {
        using var key = Ed25519SigningKey.Generate();
        using var again = Ed25519SigningKey.FromPem(key.ToPem());
        Assert.Equal(key.PublicKey, again.PublicKey);
        Assert.True(key.PublicKey.Verify("x"u8, again.Sign("x"u8)));
    }

    [Fact]
    public void Encrypted_private_key_round_trips_with_its_passphrase_only()
    {
        using var key = Ed25519SigningKey.Generate();
        var pem = key.ToPem("correct horse battery staple");
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", pem);
        using var again = Ed25519SigningKey.FromPem(pem, "correct horse battery staple");
        Assert.Equal(key.PublicKey, again.PublicKey);

        var wrong = Assert.Throws<BadInputException>(() => Ed25519SigningKey.FromPem(pem, "Tr0ub4dor&3", "signing.key"));
        Assert.Contains("wrong passphrase", wrong.Message);
        Assert.Equal("signing.key", wrong.File);
        Assert.Contains("passphrase is needed", Assert.Throws<BadInputException>(() => Ed25519SigningKey.FromPem(pem)).Message);
    }

    [Fact]
    public void Encrypted_key_uses_PBES2_with_PBKDF2_and_AES_256_CBC()
    {
        using var key = Ed25519SigningKey.Generate();
        var pem = key.ToPem("pw");
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        var hex = Convert.ToHexStringLower(der);
        Assert.Contains("06092a864886f70d01050d", hex); // id-PBES2
        Assert.Contains("06092a864886f70d01050c", hex); // id-PBKDF2
        Assert.Contains("060960864801650304012a", hex); // aes256-CBC
        Assert.Contains("06082a864886f70d0209", hex); // hmacWithSHA256
    }

    [Fact]
    public void Non_Ed25519_keys_are_bad_input_naming_the_algorithm()
    {
        using var rsa = RSA.Create(2048);
        Assert.Contains("an RSA key, not Ed25519", Assert.Throws<BadInputException>(() => Ed25519SigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem())).Message);
        Assert.Contains("an RSA key, not Ed25519", Assert.Throws<BadInputException>(() => Ed25519PublicKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem())).Message);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Contains("an EC key, not Ed25519", Assert.Throws<BadInputException>(() => Ed25519SigningKey.FromPem(ec.ExportPkcs8PrivateKeyPem())).Message);
        Assert.Contains("'EC PRIVATE KEY' PEM block is not supported", Assert.Throws<BadInputException>(() => Ed25519SigningKey.FromPem(ec.ExportECPrivateKeyPem())).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/Vpg\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMCwCAQAwBQYDK2VwBCAEHp1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn8=\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n")]
    public void Malformed_private_key_PEM_is_bad_input(string pem) =>
        Assert.Throws<BadInputException>(() => Ed25519SigningKey.FromPem(pem, file: "signing.key"));

    [Fact]
    public void Public_and_private_PEM_mixed_up_say_so()
    {
        using var key = Ed25519SigningKey.Generate();
        Assert.Contains("this is a private key", Assert.Throws<BadInputException>(() => Ed25519PublicKey.FromPem(key.ToPem())).Message);
        Assert.Contains("this is a public key", Assert.Throws<BadInputException>(() => Ed25519SigningKey.FromPem(key.PublicKey.ToPem())).Message);
    }

    [Theory]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHUR==\n-----END PUBLIC KEY-----\n")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMCkwBQYDK2VwAyAA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHUQ==\n-----END PUBLIC KEY-----\n")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VxAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n")]
    public void Malformed_public_key_PEM_is_bad_input(string pem) =>
        Assert.Throws<BadInputException>(() => Ed25519PublicKey.FromPem(pem, "signing.pub"));

    [Fact]
    public void A_signature_fails_when_one_message_byte_changes()
    {
        using var key = Ed25519SigningKey.Generate();
        var message = Encoding.UTF8.GetBytes("attestation");
        var signature = key.Sign(message);
        message[0] ^= 1;
        Assert.False(key.PublicKey.Verify(message, signature));
        Assert.False(key.PublicKey.Verify(message, signature[..63]));
    }
}
