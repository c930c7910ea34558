using System.Security.Cryptography;
using System.Text;
using Custodes.Application.Accounts;

namespace Custodes.Web.Tests;

public sealed class TotpTests
{
    // RFC 6238 Appendix B: seeds are the ASCII strings below (20, 32 and 64 bytes), 8 digits, 30-second steps.
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    [Theory]
    [InlineData(59L, "94287082", "46119246", "90693936")]
    [InlineData(1111111109L, "07081804", "68084774", "25091201")]
    [InlineData(1111111111L, "14050471", "67062674", "99943326")]
    [InlineData(1234567890L, "89005924", "91819424", "93441116")]
    [InlineData(2000000000L, "69279037", "90698825", "38618901")]
    [InlineData(20000000000L, "65353130", "77737706", "47863826")]
    public void Codes_match_the_RFC_6238_test_vectors(long unixTime, string sha1, string sha256, string sha512)
    {
        var step = Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixTime));
        Assert.Equal(sha1, Totp.Compute(Sha1Seed, step, 8, HashAlgorithmName.SHA1));
        Assert.Equal(sha256, Totp.Compute(Sha256Seed, step, 8, HashAlgorithmName.SHA256));
        Assert.Equal(sha512, Totp.Compute(Sha512Seed, step, 8, HashAlgorithmName.SHA512));
    }

    [Fact]
    public void A_code_is_accepted_one_step_either_side_of_now_and_not_two()
    {
        var key = RandomNumberGenerator.GetBytes(20);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var step = Totp.StepAt(now);
        Assert.Equal(step - 1, Totp.Match(key, Totp.Compute(key, step - 1), now));
        Assert.Equal(step + 1, Totp.Match(key, Totp.Compute(key, step + 1), now));
        Assert.Null(Totp.Match(key, Totp.Compute(key, step - 2), now));
        Assert.Null(Totp.Match(key, "12345", now));
    }

    [Fact]
    public void Base32_round_trips_and_matches_RFC_4648()
    {
        Assert.Equal("MZXW6YTBOI", Base32.Encode("foobar"u8));
        Assert.Equal("foobar"u8.ToArray(), Base32.Decode("MZXW6YTBOI======"));
        var bytes = RandomNumberGenerator.GetBytes(20);
        Assert.Equal(bytes, Base32.Decode(Base32.Encode(bytes)));
    }

    [Fact]
    public void The_otpauth_uri_names_issuer_account_and_secret()
    {
        var uri = Totp.Uri("Custodes", "ana@firm.example", "JBSWY3DPEHPK3PXP");
        Assert.StartsWith("otpauth://totp/Custodes:ana%40firm.example?secret=JBSWY3DPEHPK3PXP&issuer=Custodes", uri);
    }
}
