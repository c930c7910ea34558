using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Cli.Tests;

public sealed class PortfolioImportTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static string[] Store(TestInstallation test, params string[] args) =>
        [.. args, "--data-dir", test.DataDirectory, .. test.Database is null ? Array.Empty<string>() : ["--db", test.Database]];

    [Theory, MemberData(nameof(Providers))]
    public async Task Blast_radius_reads_the_imported_portfolio(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var import = await Cli.RunAsync(Store(test, "portfolio", "import", Cli.Sample("portfolio", "dental-msp.yaml"), "--json"));
        Assert.Equal(0, import.ExitCode);
        using (var json = JsonDocument.Parse(import.Stdout)) Assert.Equal(1, json.RootElement.GetProperty("version").GetInt64());

        var fromStore = await Cli.RunAsync(Store(test, "supply-chain", "blast-radius", "frontrange-it", "--json"));
        var fromFile = await Cli.RunAsync("supply-chain", "blast-radius", "frontrange-it", "--portfolio", Cli.Sample("portfolio", "dental-msp.yaml"), "--json");
        Assert.Equal(0, fromStore.ExitCode);
        Assert.Equal(fromFile.Stdout, fromStore.Stdout);
        using var radius = JsonDocument.Parse(fromStore.Stdout);
        Assert.Equal("frontrange-it", radius.RootElement.GetProperty("root").GetString());
        Assert.True(radius.RootElement.GetProperty("total_customers").GetInt32() > 0);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Blast_radius_and_concentration_read_the_stored_graph_snapshot_as_the_web_app_does(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "portfolio", "import", Cli.Sample("portfolio", "dental-msp.yaml")))).ExitCode);
        // Without the relationship rows, only the graph snapshot stored with the import still knows who reaches whom.
        await using (var db = test.Installation.OpenDb()) await db.PortfolioRelationships.ExecuteDeleteAsync();

        string[][] queries = [["blast-radius", "vaultline"], ["what-if", "frontrange-vsa"], ["concentration"]];
        foreach (var query in queries)
        {
            var fromStore = await Cli.RunAsync(Store(test, ["supply-chain", .. query, "--json"]));
            var fromFile = await Cli.RunAsync(["supply-chain", .. query, "--portfolio", Cli.Sample("portfolio", "dental-msp.yaml"), "--json"]);
            Assert.Equal(0, fromStore.ExitCode);
            Assert.Equal(fromFile.Stdout, fromStore.Stdout);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_invalid_portfolio_is_not_stored_and_the_previous_one_stays(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "portfolio", "import", Cli.Sample("portfolio", "dental-msp.yaml")))).ExitCode);
        var cycle = Cli.TempFile("""
            schema: custodes.portfolio/v1
            organizations:
              - {id: a, name: A, kind: msp}
              - {id: b, name: B, kind: msp}
            relationships:
              - {customer: a, provider: b}
              - {customer: b, provider: a}
            """, ".yaml");
        var bad = await Cli.RunAsync(Store(test, "portfolio", "import", cycle));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("cycle", bad.Stderr);
        var export = await Cli.RunAsync(Store(test, "portfolio", "export", "--format", "json"));
        Assert.Contains("frontrange-it", export.Stdout);
    }

    [Fact]
    public async Task Without_a_stored_portfolio_blast_radius_says_how_to_import_one()
    {
        var result = await Cli.RunAsync("supply-chain", "blast-radius", "x", "--data-dir", Cli.TempDirectory());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("custodes portfolio import", result.Stderr);
    }
}
