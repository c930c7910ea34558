using System.Diagnostics;
using System.Text.Json;

namespace Custodes.Testing;

/// <summary>Tools we did not write, used to check our files: poppler's pdftotext, Python jsonschema against NIST's OSCAL schemas, Go's x/mod and Python's cryptography.</summary>
public static class ExternalTools
{
    public static string RepoRoot { get; } = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, "Custodes.slnx")))
        ?? throw new InvalidOperationException("cannot find the repository root (Custodes.slnx) above the test directory");

    /// <summary>NIST's OSCAL 1.2.1 JSON schemas, examples and the SP 800-171 r3 catalog, kept in the repository (tests/fixtures/oscal/README.md names their source).</summary>
    public static string OscalReference { get; } = Path.Combine(RepoRoot, "tests", "fixtures", "oscal");

    public static string? Find(string name, params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>Runs a program and captures its exit code and output, whatever they are (3-minute limit).</summary>
    public static (int Code, string Stdout, string Stderr) Capture(string program, IEnumerable<string> arguments, string workingDirectory, Dictionary<string, string>? environment = null)
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
    public static string? CheckFailure(string tool, (int Code, string Stdout, string Stderr) run)
    {
        if (!run.Stdout.TrimStart().StartsWith('{')) return $"{tool} printed no result (exit {run.Code}):\n{run.Stdout}\n{run.Stderr}";
        var checks = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("checks").EnumerateObject().ToList();
        if (checks.Count == 0) return $"{tool} ran no checks (exit {run.Code})";
        var failed = checks.Where(c => c.Value.GetString() != "ok").Select(c => $"{c.Name}: {c.Value.GetString()}").ToList();
        return failed.Count == 0 && run.Code == 0 ? null : $"{tool} rejected our output (exit {run.Code}):\n{string.Join("\n", failed)}\n{run.Stderr}";
    }

    /// <summary>Runs a program; a non-zero exit fails with its stderr.</summary>
    public static string Run(string program, params string[] args)
    {
        var (code, stdout, stderr) = Capture(program, args, Environment.CurrentDirectory);
        if (code != 0) throw new InvalidOperationException($"{program} exited {code}: {stderr}");
        return stdout;
    }

    /// <summary>The text of a PDF (pdftotext, layout kept).</summary>
    public static string PdfText(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"custodes-pdf-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            return Run("pdftotext", "-layout", file, "-");
        }
        finally { File.Delete(file); }
    }

    /// <summary>What the QR codes of a PDF say, one line each (pdftoppm renders every page, zbarimg reads them).</summary>
    public static string PdfQrCode(byte[] pdf)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"custodes-qr-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "page.pdf"), pdf);
            Run("pdftoppm", "-png", "-r", "150", Path.Combine(dir, "page.pdf"), Path.Combine(dir, "page"));
            var pages = Directory.GetFiles(dir, "page-*.png").Order(StringComparer.Ordinal).ToArray();
            // zbarimg exits 4 for a page without a code; what it read from the others is on stdout all the same.
            var (code, stdout, stderr) = Capture("zbarimg", ["--quiet", "--raw", .. pages], dir);
            if (code is not (0 or 4)) throw new InvalidOperationException($"zbarimg exited {code}: {stderr}");
            return stdout.Trim();
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>Validation errors of an OSCAL document (model: ssp, assessment-results, poam) by NIST's JSON schema, with Python jsonschema
    /// (the core tests' validate_oscal.py: Draft 7, patterns through the regex module). Empty when valid.</summary>
    public static IReadOnlyList<string> OscalErrors(string model, byte[] document)
    {
        var script = Path.Combine(RepoRoot, "tests", "Custodes.Core.Tests", "Reports", "validate_oscal.py");
        var file = Path.Combine(Path.GetTempPath(), $"custodes-oscal-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(file, document);
        try
        {
            var line = Run("/usr/bin/python3", script, Path.Combine(OscalReference, $"oscal_{model}_schema.json"), file).Trim();
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        }
        finally { File.Delete(file); }
    }

    private static string? FindUp(string start, Func<string, bool> found)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (found(dir.FullName)) return dir.FullName;
        return null;
    }
}
