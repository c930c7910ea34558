using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Custodes.Testing;

namespace Custodes.Cli.Tests;

/// <summary><c>custodes report cmmc-workbook|artifact-hashes</c> and a letter tied to the artifacts (<c>attest issue --artifacts</c>), checked with tools we did not write.</summary>
public sealed class CmmcDeliverablesCliTests : IDisposable
{
    private const string PassphraseVariable = "CUSTODES_TEST_DELIVERABLES_PASSPHRASE";
    private readonly string _dir = Cli.TempDirectory();

    public CmmcDeliverablesCliTests()
    {
        Directory.CreateDirectory(_dir);
        Environment.SetEnvironmentVariable(PassphraseVariable, "a long signing-key passphrase");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string Sample = Path.Combine(Cli.Root, "tests", "fixtures", "reports-msp.json");

    [Fact]
    public async Task The_artifact_hash_list_is_checked_by_sha256sum_and_its_own_hash_is_in_the_letter()
    {
        var artifacts = Path.Combine(_dir, "artifacts");
        Directory.CreateDirectory(Path.Combine(artifacts, "policies"));
        File.WriteAllText(Path.Combine(artifacts, "policies", "access control policy.txt"), "Access is granted by role.\n");
        File.WriteAllText(Path.Combine(artifacts, "firewall-config.txt"), "deny all\n");
        File.WriteAllBytes(Path.Combine(artifacts, "screenshot.png"), [0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
        var list = Path.Combine(_dir, "artifacts.sha256");

        var made = await Cli.RunAsync("report", "artifact-hashes", "--from-dir", artifacts, "--out", list, "--json");
        Assert.True(made.ExitCode == 0, made.Stderr);
        var json = JsonDocument.Parse(made.Stdout).RootElement;
        Assert.Equal(3, json.GetProperty("artifacts").GetInt32());
        var listHash = json.GetProperty("sha256").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(list))), listHash);

        // GNU sha256sum checks every artifact against the list, and the list against its own hash.
        var sha256sum = ExternalTools.Find("sha256sum", "/usr/bin/sha256sum", "/bin/sha256sum") ?? throw new InvalidOperationException("sha256sum (coreutils) is needed");
        var artifactsOk = ExternalTools.Capture(sha256sum, ["-c", "--strict", list], artifacts);
        Assert.True(artifactsOk.Code == 0, artifactsOk.Stdout + artifactsOk.Stderr);
        Assert.Contains("policies/access control policy.txt: OK", artifactsOk.Stdout);
        var listOk = ExternalTools.Capture(sha256sum, ["-c", "--strict", list + ".hash"], _dir);
        Assert.True(listOk.Code == 0, listOk.Stdout + listOk.Stderr);

        // A changed artifact no longer matches.
        File.AppendAllText(Path.Combine(artifacts, "firewall-config.txt"), "allow any\n");
        var tampered = ExternalTools.Capture(sha256sum, ["-c", "--strict", list], artifacts);
        Assert.NotEqual(0, tampered.Code);
        Assert.Contains("firewall-config.txt: FAILED", tampered.Stdout);

        // The letter carries the list's hash, signed: a verifier sees exactly which artifacts were examined.
        var firm = await Cli.RunAsync("admin", "create-org", "Northgate Security Assessors LLC", "--kind", "assessor", "--data-dir", Path.Combine(_dir, "data"));
        Assert.True(firm.ExitCode == 0, firm.Stderr);
        var keys = await Cli.RunAsync("keys", "generate", "--out", Path.Combine(_dir, "keys"), "--name", "Ana Ruiz", "--passphrase-env", PassphraseVariable);
        Assert.True(keys.ExitCode == 0, keys.Stderr);
        var letter = Path.Combine(_dir, "letter.json");
        var issued = await Cli.RunAsync("attest", "issue", "--assessment", Cli.Sample("assessments", "example-msp.json"), "--key", Path.Combine(_dir, "keys", "signing.key"),
            "--passphrase-env", PassphraseVariable, "--issuer", "Northgate Security Assessors LLC", "--artifacts", list, "--out", letter, "--data-dir", Path.Combine(_dir, "data"));
        Assert.True(issued.ExitCode == 0, issued.Stderr);
        var verified = await Cli.RunAsync("attest", "verify", letter, "--key", Path.Combine(_dir, "keys", "signing.pub"), "--json");
        Assert.Equal(listHash, JsonDocument.Parse(verified.Stdout).RootElement.GetProperty("artifacts_sha256").GetString());
    }

    [Fact]
    public async Task A_file_that_is_not_an_artifact_hash_list_is_refused_with_its_line()
    {
        var bad = Path.Combine(_dir, "not-a-list.txt");
        File.WriteAllText(bad, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  empty.txt\nnot a hash line\n");
        var result = await Cli.RunAsync("attest", "issue", "--assessment", Cli.Sample("assessments", "example-msp.json"), "--key", Path.Combine(_dir, "missing.key"),
            "--issuer", "Northgate Security Assessors LLC", "--artifacts", bad, "--out", Path.Combine(_dir, "letter.json"), "--data-dir", Path.Combine(_dir, "data"));
        Assert.Equal(2, result.ExitCode);
        var unknown = await Cli.RunAsync("report", "artifact-hashes", "--out", Path.Combine(_dir, "x.sha256"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--from-dir", unknown.Stderr);
    }

    [Fact]
    public async Task The_results_workbook_has_the_assessment_each_requirement_and_each_objective_with_methods_and_notes()
    {
        var file = Path.Combine(_dir, "results.xlsx");
        var result = await Cli.RunAsync("report", "cmmc-workbook", Sample, "--out", file);
        Assert.True(result.ExitCode == 0, result.Stderr);

        using var wb = new XLWorkbook(file);
        Assert.Equal(["Assessment", "Requirements", "Objectives"], wb.Worksheets.Select(w => w.Name));
        var assessment = wb.Worksheet("Assessment");
        Assert.Equal("Organization", assessment.Cell(2, 1).GetString());
        Assert.Equal("Example MSP LLC", assessment.Cell(2, 2).GetString());

        var requirements = wb.Worksheet("Requirements");
        Assert.Equal(["Requirement", "CMMC id", "Family", "Text", "Status", "Examine", "Interview", "Test", "Assessor notes", "Inherited", "Provider"],
            requirements.Row(1).CellsUsed().Select(c => c.GetString()));
        Assert.Equal(111, requirements.LastRowUsed()!.RowNumber());
        var r312 = requirements.RowsUsed().Single(r => r.Cell(1).GetString() == "3.1.2");
        Assert.Equal(("met", "yes", "yes", "none"), (r312.Cell(5).GetString(), r312.Cell(6).GetString(), r312.Cell(7).GetString(), r312.Cell(10).GetString()));
        Assert.EndsWith("-3.1.2", r312.Cell(2).GetString());

        var objectives = wb.Worksheet("Objectives");
        Assert.Equal(321, objectives.LastRowUsed()!.RowNumber());
        var o311a = objectives.RowsUsed().Single(r => r.Cell(1).GetString() == "3.1.1[a]");
        Assert.Equal(("3.1.1", "met", "yes", ""), (o311a.Cell(2).GetString(), o311a.Cell(4).GetString(), o311a.Cell(5).GetString(), o311a.Cell(6).GetString()));
    }
}
