using System.Diagnostics;
using System.Text.Json;
using Custodes.Assessments;
using Custodes.Reports;

namespace Custodes.Core.Tests.Reports;

/// <summary>The sample assessment, reference OSCAL schemas, and the external tools report tests use (Python jsonschema, poppler).</summary>
internal static class ReportFixtures
{
    public static string RepoRoot { get; } = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, "Custodes.slnx")))
        ?? throw new InvalidOperationException("cannot find the repository root (Custodes.slnx) above the test directory");

    /// <summary>The repository's copy of NIST's OSCAL schemas and examples (tests/fixtures/oscal).</summary>
    public static string OscalReference => Custodes.Testing.ExternalTools.OscalReference;

    public static string SamplePath => Path.Combine(RepoRoot, "tests", "fixtures", "reports-msp.json");

    private static readonly Lazy<ParsedAssessment> Parsed = new(() => DocumentFiles.ReadAssessment(SamplePath));

    public static ParsedAssessment Sample => Parsed.Value;

    public static ReportData SampleData => ReportData.From(Sample);

    public static string Schema(string model) => Path.Combine(OscalReference, $"oscal_{model}_schema.json");

    private static string? FindUp(string start, Func<string, bool> found)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (found(dir.FullName)) return dir.FullName;
        return null;
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "custodes-reports-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Validates documents against an OSCAL schema with Python's jsonschema (Draft 7, regex-module patterns); returns errors per file.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ValidateOscal(string schemaPath, params string[] files)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Reports", "validate_oscal.py");
        var output = Run("/usr/bin/python3", [script, schemaPath, .. files]);
        var result = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            result[doc.RootElement.GetProperty("file").GetString()!] =
                doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        }
        Assert.Equal(files.Length, result.Count);
        return result;
    }

    public static IReadOnlyList<string> ValidateOscal(string model, byte[] document)
    {
        var dir = TempDir();
        try
        {
            var file = Path.Combine(dir, model + ".json");
            File.WriteAllBytes(file, document);
            return ValidateOscal(Schema(model), file)[file];
        }
        finally { Directory.Delete(dir, true); }
    }

    public static string Run(string program, IEnumerable<string> args)
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
}
