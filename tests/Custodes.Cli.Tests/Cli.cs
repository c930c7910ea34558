namespace Custodes.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what it writes where.</summary>
internal static class Cli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    /// <summary>Writes a temporary file with the given text; the path is returned.</summary>
    public static string TempFile(string text, string extension = ".json")
    {
        var path = Path.Combine(Path.GetTempPath(), $"custodes-cli-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, text);
        return path;
    }

    public static string TempDirectory() => Path.Combine(Path.GetTempPath(), $"custodes-cli-{Guid.NewGuid():N}");
}
