namespace Custodes.Cli.Tests;

/// <summary><c>custodes supply-chain recovery</c> (contracts §13).</summary>
public sealed class RecoveryCliTests
{
    private static readonly string Portfolio = Cli.Sample("portfolio", "dental-msp.yaml");

    [Fact]
    public async Task Recovery_json_has_the_contract_fields_first_and_the_hand_computed_schedule()
    {
        var json = await Cli.Json("supply-chain", "recovery", "frontrange-it", "--portfolio", Portfolio, "--as-of", "2026-12-01", "--json");
        Assert.Equal(["provider", "crews", "makespan_hours", "customers", "customers_without_usable_backup"], json.EnumerateObject().Take(5).Select(p => p.Name));
        Assert.Equal(("frontrange-it", 2, 106.5m, 5), (json.GetProperty("provider").GetString(), json.GetProperty("crews").GetInt32(),
            json.GetProperty("makespan_hours").GetDecimal(), json.GetProperty("customers_without_usable_backup").GetInt32()));
        var first = json.GetProperty("customers")[0];
        Assert.Equal(["id", "restore_hours", "start_hour", "done_hour", "backup", "risk"], first.EnumerateObject().Take(6).Select(p => p.Name));
        Assert.Equal(("dental-008", 15m, 0m, 15m, "tested", "low"), (first.GetProperty("id").GetString(), first.GetProperty("restore_hours").GetDecimal(),
            first.GetProperty("start_hour").GetDecimal(), first.GetProperty("done_hour").GetDecimal(), first.GetProperty("backup").GetString(), first.GetProperty("risk").GetString()));
        Assert.Equal(["dental-002", "dental-006"], json.GetProperty("rto_missed").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task More_crews_shorten_the_makespan()
    {
        var json = await Cli.Json("supply-chain", "recovery", "frontrange-it", "--portfolio", Portfolio, "--as-of", "2026-12-01", "--crews", "10", "--json");
        Assert.Equal((10, 45m), (json.GetProperty("crews").GetInt32(), json.GetProperty("makespan_hours").GetDecimal()));
    }

    [Fact]
    public async Task The_table_names_the_critical_customers_and_what_to_do()
    {
        var (code, output, _) = await Cli.Run("supply-chain", "recovery", "frontrange-it", "--portfolio", Portfolio, "--as-of", "2026-12-01");
        Assert.Equal(0, code);
        // The console wraps long lines at its width: compare the words, not the line breaks.
        var words = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
        Assert.Contains("restore them in 4.4 days", words);
        Assert.Contains("dental-003: no backup is described", words);
    }

    [Theory]
    [InlineData("frontrange-vsa", "is a tool")]
    [InlineData("dental-001", "not a provider")]
    [InlineData("nobody", "not an organization of the portfolio")]
    public async Task A_provider_that_cannot_recover_anyone_exits_2(string id, string message)
    {
        var (code, _, error) = await Cli.Run("supply-chain", "recovery", id, "--portfolio", Portfolio, "--json");
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task Bad_crews_or_date_exit_2()
    {
        Assert.Equal(2, (await Cli.Run("supply-chain", "recovery", "frontrange-it", "--portfolio", Portfolio, "--crews", "0")).Code);
        Assert.Equal(2, (await Cli.Run("supply-chain", "recovery", "frontrange-it", "--portfolio", Portfolio, "--as-of", "1 Dec")).Code);
    }
}
