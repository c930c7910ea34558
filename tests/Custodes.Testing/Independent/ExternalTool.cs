using System.Diagnostics;
using System.Text.Json;

namespace Custodes.Testing.Independent;

/// <summary>Runs programs we did not write (Go's x/mod, Python's cryptography) against our output.</summary>
public static class ExternalTool
{
    public static string? Find(string name, params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static (int Code, string Stdout, string Stderr) Run(string program, IEnumerable<string> arguments, string workingDirectory, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 3 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Why a checker's run is not a clean pass, or null when it is: the checkers print <c>{"checks": {"name": "ok" | "reason"}}</c>
    /// and exit 0 only when every check is ok.
    /// </summary>
    public static string? Failure(string tool, (int Code, string Stdout, string Stderr) run)
    {
        if (!run.Stdout.TrimStart().StartsWith('{')) return $"{tool} printed no result (exit {run.Code}):\n{run.Stdout}\n{run.Stderr}";
        var checks = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("checks").EnumerateObject().ToList();
        if (checks.Count == 0) return $"{tool} ran no checks (exit {run.Code})";
        var failed = checks.Where(c => c.Value.GetString() != "ok").Select(c => $"{c.Name}: {c.Value.GetString()}").ToList();
        return failed.Count == 0 && run.Code == 0 ? null : $"{tool} rejected our output (exit {run.Code}):\n{string.Join("\n", failed)}\n{run.Stderr}";
    }
}
