using System.Diagnostics;
using System.Text.Json;

namespace Custodes.Testing;

/// <summary>Tools we did not write, used to check our files: poppler's pdftotext, Python jsonschema against NIST's OSCAL schemas.</summary>
public static class ExternalTools
{
    public static string RepoRoot { get; } = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, "Custodes.slnx")))
        ?? throw new InvalidOperationException("cannot find the repository root (Custodes.slnx) above the test directory");

    /// <summary>shared/reference/oscal: beside the repository, or above a worktree.</summary>
    public static string OscalReference { get; } = FindUp(RepoRoot, d => Directory.Exists(Path.Combine(d, "shared", "reference", "oscal"))) is { } root
        ? Path.Combine(root, "shared", "reference", "oscal")
        : throw new InvalidOperationException("cannot find shared/reference/oscal beside or above the repository");

    /// <summary>Runs a program; a non-zero exit fails with its stderr.</summary>
    public static string Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
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
