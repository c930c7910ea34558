using System.Text.Json;
using Custodes.Storage;
using Custodes.Testing;

namespace Custodes.Cli.Tests;

public sealed class EvidenceAndDemoCommandTests
{
    [Fact]
    public async Task Demo_creates_a_workspace_once_and_its_evidence_and_audit_verify()
    {
        var dir = Cli.TempDirectory();
        var first = await Cli.RunAsync("demo", "--data-dir", dir, "--json");
        Assert.Equal(0, first.ExitCode);
        using (var json = JsonDocument.Parse(first.Stdout)) Assert.True(json.RootElement.GetProperty("created").GetBoolean());
        var second = await Cli.RunAsync("demo", "--data-dir", dir, "--json");
        using (var json = JsonDocument.Parse(second.Stdout)) Assert.False(json.RootElement.GetProperty("created").GetBoolean());
        Assert.Equal(0, (await Cli.RunAsync("evidence", "verify", "--data-dir", dir)).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync("audit", "verify", "--data-dir", dir)).ExitCode);
    }

    [Fact]
    public async Task Evidence_verify_exits_1_when_a_file_was_tampered_with()
    {
        await using var test = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        var org = (await Cli.RunAsync("admin", "create-org", "Northgate", "--kind", "assessor", "--data-dir", test.DataDirectory)).Stdout.Trim();
        var file = Cli.TempFile("quarterly access review", ".txt");
        var added = await Cli.RunAsync("evidence", "add", file, "--org", org, "--data-dir", test.DataDirectory);
        Assert.Equal(0, added.ExitCode);
        var sha = added.Stdout.Trim()["sha256:".Length..];
        var stored = Path.Combine(test.DataDirectory, "evidence", "sha256", sha[..2], sha);
        File.WriteAllText(stored, "quarterly access review (edited)");
        var verify = await Cli.RunAsync("evidence", "verify", "--data-dir", test.DataDirectory, "--json");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("tampered", verify.Stdout);
    }
}
