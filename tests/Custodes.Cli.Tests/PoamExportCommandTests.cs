using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Catalogs;
using Custodes.Cli;

namespace Custodes.Cli.Tests;

/// <summary><c>export oscal-poam</c> follows contracts §9: every requirement not met is an item; only an assessment with everything met has no POA&amp;M (exit 2).</summary>
public sealed class PoamExportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("custodes-cli-poam-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, params (string Id, JsonNode Value)[] except)
    {
        var requirements = new JsonObject();
        foreach (var r in CatalogSet.Get(Frameworks.NistR2).Requirements) requirements[r.Id] = "met";
        foreach (var (id, value) in except) requirements[id] = value;
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, new JsonObject
        {
            ["schema"] = "custodes.assessment/v1", ["framework"] = "nist-sp800-171r2", ["organization"] = "Example MSP LLC",
            ["assessed_on"] = "2026-10-01", ["ssp"] = true, ["requirements"] = requirements,
        }.ToJsonString());
        return path;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_conditional_assessment_without_poam_entries_exports_its_unmet_requirement()
    {
        var file = Write("fips.json", ("3.13.11", new JsonObject { ["status"] = "not-met", ["partial"] = "encryption-not-fips-validated" }));
        var (scoreCode, score, _) = await Run("score", file, "--json");
        Assert.Equal(0, scoreCode);
        Assert.Equal("conditional", JsonDocument.Parse(score).RootElement.GetProperty("cmmc").GetProperty("level2").GetProperty("status").GetString());

        var (code, _, stderr) = await Run("export", "oscal-poam", file, "--out", Path.Combine(_dir, "poam.json"));
        Assert.True(code == 0, stderr);
        var items = JsonNode.Parse(File.ReadAllBytes(Path.Combine(_dir, "poam.json")))!["plan-of-action-and-milestones"]!["poam-items"]!.AsArray();
        Assert.StartsWith("3.13.11 ", Assert.Single(items)!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_assessment_with_every_requirement_met_has_no_poam_and_exits_2()
    {
        var file = Write("met.json", ("3.1.22", JsonValue.Create("not-applicable")));
        var (code, stdout, stderr) = await Run("export", "oscal-poam", file, "--out", Path.Combine(_dir, "poam.json"));
        Assert.Equal(2, code);
        Assert.Contains("every requirement is met", stderr);
        Assert.DoesNotContain("Wrote", stdout);
        Assert.False(File.Exists(Path.Combine(_dir, "poam.json")));
    }
}
