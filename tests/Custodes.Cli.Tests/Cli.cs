using System.Text.Json;

namespace Custodes.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what it writes where; finds the repository's sample files.</summary>
internal static class Cli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static string Root { get; } = FindRoot();

    public static string Sample(params string[] parts) => Path.Combine([Root, "samples", .. parts]);

    public static async Task<Result> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var result = await RunAsync(args);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>
    /// Runs the built <c>custodes</c> in a process of its own, with extra environment variables and a working directory: how the
    /// settings a real installation has (environment, <c>appsettings.json</c>) reach a command, without touching this process's.
    /// </summary>
    public static async Task<Result> RunProcessAsync(IReadOnlyDictionary<string, string> environment, string? workingDirectory, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "custodes.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command that must succeed and parses its JSON output.</summary>
    public static async Task<JsonElement> Json(params string[] args)
    {
        var (code, output, error) = await Run(args);
        Assert.True(code == 0, $"exit {code}: {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>Writes a temporary file with the given text; the path is returned.</summary>
    public static string TempFile(string text, string extension = ".json")
    {
        var path = Path.Combine(Path.GetTempPath(), $"custodes-cli-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, text);
        return path;
    }

    public static string TempDirectory() => Path.Combine(Path.GetTempPath(), $"custodes-cli-{Guid.NewGuid():N}");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Custodes.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Custodes.slnx) not found above the test binaries");
    }
}
