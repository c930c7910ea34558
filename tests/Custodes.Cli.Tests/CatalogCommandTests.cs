using System.Text.Json;

namespace Custodes.Cli.Tests;

public sealed class CatalogCommandTests
{
    [Theory]
    [InlineData("nist-sp800-171r2", 110, 320, "3.1.1")]
    [InlineData("nist-sp800-171r3", 97, 0, "03.01.01")]
    [InlineData("cmmc-l1", 17, 59, "AC.L1-3.1.1")]
    [InlineData("cmmc-l2", 110, 320, "AC.L2-3.1.1")]
    public async Task Catalog_list_prints_every_requirement_of_the_framework(string framework, int requirements, int objectives, string firstId)
    {
        var result = await Cli.RunAsync("catalog", "list", framework, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(framework, json.RootElement.GetProperty("framework").GetString());
        var list = json.RootElement.GetProperty("requirements").EnumerateArray().ToArray();
        Assert.Equal(requirements, list.Length);
        Assert.Equal(objectives, list.Sum(r => r.GetProperty("objectives").GetArrayLength()));
        Assert.Equal(firstId, list[0].GetProperty("id").GetString());
        foreach (var name in new[] { "id", "family_id", "family", "text", "points", "objectives" })
            Assert.True(list[0].TryGetProperty(name, out _), name);
    }

    [Fact]
    public async Task R2_entries_carry_DoD_points()
    {
        using var json = JsonDocument.Parse((await Cli.RunAsync("catalog", "list", "nist-sp800-171r2", "--json")).Stdout);
        var first = json.RootElement.GetProperty("requirements")[0];
        Assert.Equal(5, first.GetProperty("points").GetInt32());
        Assert.Equal("AC", first.GetProperty("family_id").GetString());
        Assert.Equal("Access Control", first.GetProperty("family").GetString());
    }

    [Fact]
    public async Task Catalog_show_lists_the_objectives()
    {
        var result = await Cli.RunAsync("catalog", "show", "nist-sp800-171r2", "3.5.3", "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("3.5.3[d]", result.Stdout);
        Assert.Equal(2, (await Cli.RunAsync("catalog", "show", "nist-sp800-171r2", "3.99.1")).ExitCode);
    }
}
