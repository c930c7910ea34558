using System.Diagnostics;
using Custodes.Testing;

namespace Custodes.Cli.Tests;

/// <summary>Files built to hurt the reader end in exit code 2 naming the limit, never in a crashed process.</summary>
public sealed class HostileInputTests
{
    // The attack from the security report: before the depth limit 'custodes score n.yaml' overflowed the stack and aborted (exit 134).
    private static readonly string NestedYaml = "a: " + new string('[', 25_000) + new string(']', 25_000);

    [Fact]
    public async Task Score_of_a_deeply_nested_yaml_file_exits_2_naming_the_depth_and_where()
    {
        var file = Cli.TempFile(NestedYaml, ".yaml");
        var result = await Cli.RunAsync("score", file, "--json");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains($"{file}:1: $.a[0][0]", result.Stderr);
        Assert.Contains("nested more than 64 levels deep", result.Stderr);
    }

    [Fact]
    public async Task The_custodes_process_itself_exits_2_on_the_nested_file_instead_of_aborting()
    {
        // The real executable, as the report ran it: a stack overflow ends a process in a way no in-process test can survive to see.
        var file = Cli.TempFile(NestedYaml, ".yaml");
        var cli = Path.Combine(AppContext.BaseDirectory, "custodes.dll");
        Assert.True(File.Exists(cli), $"{cli} is missing; the test project copies the CLI next to itself");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "score", file }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "custodes score did not finish in 60 s");
        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}: {await stderr}");
        Assert.Contains("nested more than 64 levels deep", await stderr);
        Assert.Equal("", await stdout);
    }

    [Fact]
    public async Task Import_xlsx_of_a_two_million_cell_workbook_exits_2_naming_the_limit()
    {
        var file = Path.Combine(Path.GetTempPath(), $"custodes-cli-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(file, HostileWorkbooks.Cells(20_000, 100));
        var result = await Cli.RunAsync("import", "xlsx", file, "--out", Path.ChangeExtension(file, ".json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(file, result.Stderr);
        Assert.Contains("more than 250,000 cells", result.Stderr);
        Assert.False(File.Exists(Path.ChangeExtension(file, ".json")));
    }

    [Fact]
    public async Task Import_xlsx_of_a_zip_bomb_exits_2_naming_the_ratio()
    {
        var file = Path.Combine(Path.GetTempPath(), $"custodes-cli-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(file, HostileWorkbooks.Bomb(8));
        var result = await Cli.RunAsync("import", "xlsx", file, "--out", Path.ChangeExtension(file, ".json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("more than 100:1", result.Stderr);
    }
}
