using System.Text.Json;

namespace Custodes.Cli.Tests;

public sealed class ScoreCommandTests
{
    [Fact]
    public async Task Score_json_has_the_contract_shape_and_nothing_else_on_stdout()
    {
        var result = await Cli.RunAsync("score", Cli.Sample("assessments", "example-msp.json"), "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal(["framework", "score", "max", "min", "complete", "counts", "deductions", "requirements", "cmmc", "errors"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(103, root.GetProperty("score").GetInt32());
        Assert.Equal(["met", "not_met", "not_applicable", "unassessed"], root.GetProperty("counts").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["level1", "level2"], root.GetProperty("cmmc").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["status", "poam_ineligible", "closeout_due"], root.GetProperty("cmmc").GetProperty("level2").EnumerateObject().Select(p => p.Name));
        Assert.Equal("conditional", root.GetProperty("cmmc").GetProperty("level2").GetProperty("status").GetString());
        Assert.Equal("2027-03-30", root.GetProperty("cmmc").GetProperty("level2").GetProperty("closeout_due").GetString());
        Assert.Equal(110, root.GetProperty("requirements").EnumerateObject().Count());
    }

    [Fact]
    public async Task Fail_under_exits_1_when_the_score_is_below_the_threshold()
    {
        Assert.Equal(0, (await Cli.RunAsync("score", Cli.Sample("assessments", "example-msp.json"), "--fail-under", "103")).ExitCode);
        Assert.Equal(1, (await Cli.RunAsync("score", Cli.Sample("assessments", "example-msp.json"), "--fail-under", "104")).ExitCode);
    }

    [Fact]
    public async Task Bad_input_exits_2_naming_file_path_and_line_on_stderr_only()
    {
        var file = Cli.TempFile("{\"schema\": \"custodes.assessment/v1\", \"framework\": \"nist-sp800-171r2\", \"organization\": \"X\",\n\"requirements\": {\"3.1.1\": {\"status\": \"met\", \"partial\": \"mfa-remote-and-privileged-only\"}}}");
        var result = await Cli.RunAsync("score", file, "--json");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains($"{file}:2: $.requirements['3.1.1'].partial:", result.Stderr);
    }

    [Fact]
    public async Task A_missing_file_exits_2()
    {
        var result = await Cli.RunAsync("score", "/nonexistent/assessment.json", "--json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such file", result.Stderr);
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        Assert.Equal(2, (await Cli.RunAsync("score")).ExitCode);
        Assert.Equal(2, (await Cli.RunAsync("no-such-command")).ExitCode);
        Assert.Equal(2, (await Cli.RunAsync("catalog", "list", "nist-800-53")).ExitCode);
    }

    [Fact]
    public async Task Without_json_a_person_gets_a_readable_summary()
    {
        var result = await Cli.RunAsync("score", Cli.Sample("assessments", "example-msp.json"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("SPRS score: 103 of 110", result.Stdout);
        Assert.Contains("CMMC Level 2: conditional", result.Stdout);
    }
}
