using System.Security.Cryptography;
using Custodes.Catalogs;

namespace Custodes.Core.Tests.Catalogs;

public sealed class CatalogTests
{
    [Theory]
    [InlineData("nist-sp800-171r2.json", "2789288bdcd1d4b610067ab85b647d56381d406335318a3704750898a146e77c")]
    [InlineData("nist-sp800-171a-objectives.json", "b91f9b2785fb8581bc7e0667e0349df8f066880bd0dfeee3f6f0f549e06dbdd3")]
    [InlineData("nist-sp800-171r3.json", "ccb96881a6240bf7c18962a76f921119ff743f095f08780f8fb069d564fd8dce")]
    [InlineData("nist-sp800-171-r2-to-r3.json", "1e14314c713cae2a6bd1724f0b45e3f8f40e9f0c18305626c06958882b6f4304")]
    public void Embedded_data_matches_the_reference_hashes(string file, string sha256) =>
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(CatalogSet.ReadRaw(file))));

    [Fact]
    public void R2_has_110_requirements_in_14_families_with_320_objectives()
    {
        var r2 = CatalogSet.NistR2;
        Assert.Equal(110, r2.Requirements.Count);
        Assert.Equal(14, r2.Families.Count);
        Assert.Equal(320, r2.Requirements.Sum(r => r.Objectives.Count));
        Assert.Equal(320, r2.Objectives.Count);
    }

    [Fact]
    public void R2_points_follow_the_DoD_methodology_distribution()
    {
        var points = CatalogSet.NistR2.Requirements.GroupBy(r => r.Points!.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(44, points[5]);
        Assert.Equal(14, points[3]);
        Assert.Equal(51, points[1]);
        Assert.Equal(1, points[0]);
        Assert.Equal(313, CatalogSet.NistR2.Requirements.Sum(r => r.Points!.Value));
        Assert.Equal(0, CatalogSet.NistR2.Find("3.12.4")!.Points);
    }

    [Fact]
    public void Only_MFA_and_FIPS_crypto_carry_partial_credit_of_three()
    {
        var partial = CatalogSet.NistR2.Requirements.Where(r => r.PartialCredit is not null).ToArray();
        Assert.Equal(["3.5.3", "3.13.11"], partial.Select(r => r.Id));
        Assert.All(partial, r => Assert.Equal(3, r.PartialCredit!.Points));
        Assert.Equal("mfa-remote-and-privileged-only", partial[0].PartialCredit!.Value);
        Assert.Equal("encryption-not-fips-validated", partial[1].PartialCredit!.Value);
    }

    [Fact]
    public void Cmmc_level1_is_the_17_FAR_requirements_with_L1_ids()
    {
        var l1 = CatalogSet.Get(Frameworks.CmmcL1);
        Assert.Equal(17, l1.Requirements.Count);
        Assert.Equal("AC.L1-3.1.1", l1.Requirements[0].CmmcId);
        Assert.Same(l1.Requirements[0], l1.Find("AC.L1-3.1.1"));
    }

    [Fact]
    public void Cmmc_level2_cites_all_110_as_L2_practices()
    {
        var l2 = CatalogSet.Get(Frameworks.CmmcL2);
        Assert.Equal(110, l2.Requirements.Count);
        Assert.All(l2.Requirements, r => Assert.Contains(".L2-", r.CmmcId));
        Assert.Equal("AC.L2-3.1.1", l2.Find("3.1.1")!.CmmcId);
        Assert.Equal("3.1.1", l2.Find("AC.L2-3.1.1")!.Id);
    }

    [Fact]
    public void R3_has_97_active_requirements_in_17_families()
    {
        var r3 = CatalogSet.NistR3;
        Assert.Equal(97, r3.Requirements.Count);
        Assert.Equal(17, r3.Families.Count);
        Assert.Null(r3.Find("03.01.13"));
        Assert.Equal(["3.1.1", "3.13.3"], r3.Find("03.01.01")!.R2Predecessors);
    }

    [Fact]
    public void R2_requirements_carry_their_r3_mapping()
    {
        var mapping = CatalogSet.NistR2.Find("3.1.13")!.R3!;
        Assert.Equal(["03.13.08"], mapping.Targets);
        Assert.Equal("subset", mapping.Relationship);
        Assert.Empty(CatalogSet.NistR2.Find("3.5.6")!.R3!.Targets);
    }
}
