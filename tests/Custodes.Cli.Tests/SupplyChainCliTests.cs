using System.Text.Json;

namespace Custodes.Cli.Tests;

public sealed class SupplyChainCliTests
{
    private static readonly string Portfolio = Cli.Sample("portfolio", "dental-msp.yaml");

    [Fact]
    public async Task Blast_radius_json_has_exactly_the_contract_fields()
    {
        var json = await Cli.Json("supply-chain", "blast-radius", "frontrange-it", "--portfolio", Portfolio, "--json");
        Assert.Equal(["root", "customers", "total_customers", "total_endpoints"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("frontrange-it", json.GetProperty("root").GetString());
        Assert.Equal(10, json.GetProperty("total_customers").GetInt32());
        var first = json.GetProperty("customers")[0];
        Assert.Equal(["id", "via", "endpoints", "data"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("dental-001", first.GetProperty("id").GetString());
        Assert.Equal(["frontrange-it", "frontrange-vsa"], first.GetProperty("via").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(12, first.GetProperty("endpoints").GetInt32());
        Assert.Equal(["PHI", "PII"], first.GetProperty("data").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Blast_radius_of_an_unknown_id_exits_2()
    {
        var (code, output, error) = await Cli.Run("supply-chain", "blast-radius", "nobody", "--portfolio", Portfolio, "--json");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("unknown organization or tool 'nobody'", error);
    }

    [Fact]
    public async Task Portfolio_validate_names_the_file_line_and_path_of_a_problem()
    {
        var file = Path.Combine(Path.GetTempPath(), $"custodes-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, File.ReadAllText(Portfolio).Replace("provider: vaultline,", "provider: vaultlin,", StringComparison.Ordinal));
        try
        {
            var (code, _, error) = await Cli.Run("portfolio", "validate", file);
            Assert.Equal(2, code);
            Assert.Contains($"{file}:", error);
            Assert.Contains("$.relationships[0].provider: unknown organization 'vaultlin'", error);
        }
        finally
        {
            File.Delete(file);
        }
        var ok = await Cli.Json("portfolio", "validate", Portfolio, "--json");
        Assert.True(ok.GetProperty("valid").GetBoolean());
        Assert.Equal(1, ok.GetProperty("subcontracts").GetInt32());
    }

    [Fact]
    public async Task Portfolio_export_writes_json_that_validates()
    {
        var file = Path.Combine(Path.GetTempPath(), $"custodes-{Guid.NewGuid():N}.json");
        try
        {
            var (code, _, error) = await Cli.Run("portfolio", "export", "--portfolio", Portfolio, "--out", file);
            Assert.True(code == 0, error);
            var json = await Cli.Json("portfolio", "validate", file, "--json");
            Assert.Equal(15, json.GetProperty("relationships").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task What_if_ranks_the_cui_customer_first_when_the_cloud_msp_is_compromised()
    {
        var json = await Cli.Json("supply-chain", "what-if", "stratus-cloud", "--portfolio", Portfolio, "--json");
        var first = json.GetProperty("customers")[0];
        Assert.Equal("aerotech-machining", first.GetProperty("id").GetString());
        Assert.Equal("critical", first.GetProperty("tier").GetString());
        Assert.Equal("domain-admin", first.GetProperty("access").GetString());
    }

    [Fact]
    public async Task Concentration_lists_the_backup_subcontractor_first()
    {
        var json = await Cli.Json("supply-chain", "concentration", "--portfolio", Portfolio, "--top", "3", "--json");
        Assert.Equal("vaultline", json.GetProperty("ranked")[0].GetProperty("id").GetString());
        Assert.Equal(3, json.GetProperty("ranked").GetArrayLength());
    }

    [Fact]
    public async Task Inherit_raises_the_practices_score_while_the_msps_letter_holds()
    {
        var effective = Path.Combine(Path.GetTempPath(), $"custodes-{Guid.NewGuid():N}.json");
        try
        {
            var json = await Cli.Json("supply-chain", "inherit", "--portfolio", Portfolio,
                "--assessment", Cli.Sample("portfolio", "dental-001-assessment.yaml"),
                "--crm", Cli.Sample("portfolio", "crm-frontrange-it.yaml"),
                "--letters", Cli.Sample("portfolio", "letters.yaml"), "--as-of", "2026-12-01", "--out", effective, "--json");
            var own = await Cli.Json("score", Cli.Sample("portfolio", "dental-001-assessment.yaml"), "--json");
            Assert.True(json.GetProperty("score").GetProperty("score").GetInt32() > own.GetProperty("score").GetInt32());
            var inherited = json.GetProperty("inheritance").GetProperty("requirements").EnumerateArray().ToArray();
            Assert.Contains(inherited, r => r.GetProperty("id").GetString() == "3.8.9" && r.GetProperty("holds").GetBoolean());
            Assert.Contains(inherited, r => r.GetProperty("id").GetString() == "3.13.1" && r.GetProperty("responsibility").GetString() == "shared");
            var rescored = await Cli.Json("score", effective, "--json");
            Assert.Equal(json.GetProperty("score").GetProperty("score").GetInt32(), rescored.GetProperty("score").GetInt32());
        }
        finally
        {
            File.Delete(effective);
        }
    }

    [Fact]
    public async Task Compare_shows_the_revoked_letter_of_the_cloud_msp()
    {
        var json = await Cli.Json("supply-chain", "compare", "aerotech-machining", "--portfolio", Portfolio, "--letters", Cli.Sample("portfolio", "letters.yaml"), "--as-of", "2026-12-01", "--json");
        var provider = json.GetProperty("providers")[0];
        Assert.Equal("stratus-cloud", provider.GetProperty("provider").GetString());
        Assert.Equal("revoked", provider.GetProperty("attestation").GetString());
    }

    [Fact]
    public async Task Compare_with_org_puts_candidates_beside_the_current_provider_in_the_documented_JSON_shape()
    {
        var dir = Cli.TempDirectory();
        Assert.Equal(0, (await Cli.RunAsync("demo", "--data-dir", dir, "--json")).ExitCode);
        var json = await Cli.Json("supply-chain", "compare", "summit-ridge", "--org", "Smile Dental Group", "--data-dir", dir, "--json");
        Assert.Equal(["customer", "as_of", "replacing", "own_score", "own_cmmc_level2", "current_score", "current_cmmc_level2", "candidates"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("smile-dental", json.GetProperty("customer").GetString());
        var replacing = json.GetProperty("replacing");
        Assert.Equal(["provider", "name", "attestation", "letter_id", "valid_until", "score", "cmmc_level2", "covers", "organizations"], replacing.EnumerateObject().Select(p => p.Name));
        Assert.Equal("granite-peak", replacing.GetProperty("provider").GetString());
        var candidate = Assert.Single(json.GetProperty("candidates").EnumerateArray());
        Assert.Equal(["candidate", "name", "page", "remote", "attestation", "letter_id", "issuer", "assessed_on", "valid_until", "score", "cmmc_level2", "unverified",
            "publishes_matrix", "claims", "covers", "effective_score", "effective_cmmc_level2", "score_change", "organizations", "organizations_after"],
            candidate.EnumerateObject().Select(p => p.Name));
        Assert.Equal("summit-ridge", candidate.GetProperty("candidate").GetString());
        Assert.Equal("/trust/summit-ridge", candidate.GetProperty("page").GetString());
        Assert.Equal("valid", candidate.GetProperty("attestation").GetString());
        Assert.True(candidate.GetProperty("score").GetInt32() > replacing.GetProperty("score").GetInt32());
        Assert.Equal(2, candidate.GetProperty("organizations").GetInt32());
        Assert.Equal(candidate.GetProperty("effective_score").GetInt32() - json.GetProperty("current_score").GetInt32(), candidate.GetProperty("score_change").GetInt32());

        // A candidate that is not published here is named in the refusal, with exit 2.
        var unknown = await Cli.RunAsync("supply-chain", "compare", "nobody-here", "--org", "Smile Dental Group", "--data-dir", dir, "--json");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("nobody-here", unknown.Stderr);
    }
}
