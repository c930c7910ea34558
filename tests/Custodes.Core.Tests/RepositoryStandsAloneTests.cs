using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Custodes.Testing;

namespace Custodes.Core.Tests;

/// <summary>A user clones only this repository: what the product and its tests need is in it, with provenance.</summary>
public sealed partial class RepositoryStandsAloneTests
{
    private static readonly string Root = ExternalTools.RepoRoot;

    // Code, tests, scripts and build files: documentation may mention the design repository by name, nothing may read it.
    private static readonly string[] CodeExtensions = [".cs", ".cshtml", ".csproj", ".props", ".targets", ".sh", ".py", ".go", ".json", ".yaml", ".yml", ".js"];

    [Fact]
    public void No_source_test_or_script_reads_the_design_folder_beside_the_checkout()
    {
        var offenders = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Where(f => CodeExtensions.Contains(Path.GetExtension(f)) || Path.GetFileName(f) is "custodes" or "run")
            .Where(f => f != ThisFile())
            .Where(f => DesignFolder().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Root, f))
            .ToList();
        Assert.True(offenders.Count == 0, "files that reach outside the repository for reference data: " + string.Join(", ", offenders));
    }

    [Theory]
    [InlineData("oscal_ssp_schema.json", "3027ffb23ba94a8ca4e43ce9417cf2b02f27b7c36d8a4ead8fe2905483c6d10a")]
    [InlineData("oscal_assessment-results_schema.json", "4f9e277a177adbcca9527612ce450a33dc6096773fa229d413d801d196c61985")]
    [InlineData("oscal_poam_schema.json", "c02062bbc6f5092012286cbc6161b643eb6aecfbb918cb5790be777860da2c11")]
    [InlineData("oscal_catalog_schema.json", "c0ae626d6bafe318db68692152d0cbbebf29ba7226b1596a5513cc5d1754504d")]
    [InlineData("oscal_complete_schema.json", "f53c67f5f64cc49c9b3512834d2baa2f8da841cf2cc0c361e6d77ecce0f3d077")]
    [InlineData("examples/ssp-example.json", "8c56ad91ff4763d9e43fd18931204925d22b6d3adcecaa08a7520e26c0b09de1")]
    [InlineData("examples/ifa_assessment-results-example.json", "13bde5421ac9f8986e293b74e7caa025fd1f61a4c55d94bb68dce44417ff0eb6")]
    [InlineData("examples/ifa_plan-of-action-and-milestones.json", "39df1a345ec5aaf6a377fdb65576b8cb05d9e3a1f4d239893b072bce685a8915")]
    [InlineData("NIST_SP800-171_rev3_catalog.xml", "4c4767e75c25990fc516820cd54358346c9851514ada093a2bf89d20374c8bab")]
    public void Kept_OSCAL_reference_files_are_the_upstream_bytes_their_provenance_names(string file, string sha256)
    {
        var path = Path.Combine(ExternalTools.OscalReference, file);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        Assert.Contains(sha256, File.ReadAllText(Path.Combine(ExternalTools.OscalReference, "README.md")));
    }

    private static bool IsBuildOutput(string path) =>
        path.Split(Path.DirectorySeparatorChar) is var parts
        && parts.Any(p => p is "bin" or "obj" or ".git" or ".build" or "BenchmarkDotNet.Artifacts" or "node_modules" or "TestResults");

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    [GeneratedRegex(@"\.\./shared|shared[/\\]reference|""shared"",\s*""reference""")]
    private static partial Regex DesignFolder();
}
