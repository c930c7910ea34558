using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;

namespace Custodes.Cli.Tests;

public sealed class EvidenceAndDemoCommandTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

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

    [Theory, MemberData(nameof(Providers))]
    public async Task Evidence_verify_reports_files_no_evidence_refers_to_and_removes_them_when_asked(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        string[] Store(params string[] args) => [.. args, "--data-dir", test.DataDirectory, .. test.Database is null ? Array.Empty<string>() : ["--db", test.Database]];
        var org = (await Cli.RunAsync(Store("admin", "create-org", "Northgate", "--kind", "assessor"))).Stdout.Trim();
        var kept = await Cli.RunAsync(Store("evidence", "add", Cli.TempFile("quarterly access review", ".txt"), "--org", org));
        Assert.Equal(0, kept.ExitCode);
        var keptSha = kept.Stdout.Trim()["sha256:".Length..];

        // What an upload that died between writing and recording leaves: a content-addressed file and a temporary one.
        var orphanSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("left behind"u8));
        var orphan = Path.Combine(test.DataDirectory, "evidence", "sha256", orphanSha[..2], orphanSha);
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        File.WriteAllText(orphan, "left behind");
        var temp = Path.Combine(test.DataDirectory, "evidence", ".upload-0123456789abcdef");
        File.WriteAllText(temp, "half an upload");
        var recent = Path.Combine(test.DataDirectory, "evidence", ".upload-fedcba9876543210");
        File.WriteAllText(recent, "an upload under way");
        foreach (var old in new[] { orphan, temp }) File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-1));

        var report = await Cli.RunAsync(Store("evidence", "verify", "--json"));
        Assert.Equal(1, report.ExitCode);
        using (var json = JsonDocument.Parse(report.Stdout))
        {
            Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
            Assert.Empty(json.RootElement.GetProperty("problems").EnumerateArray());
            Assert.Equal([".upload-0123456789abcdef", Path.Combine("sha256", orphanSha[..2], orphanSha)],
                json.RootElement.GetProperty("orphans").EnumerateArray().Select(o => o.GetProperty("path").GetString()).Order(StringComparer.Ordinal));
        }
        Assert.True(File.Exists(orphan), "verify without --remove-orphans changes nothing");
        var text = await Cli.RunAsync(Store("evidence", "verify"));
        Assert.Contains("--remove-orphans", text.Stdout);

        var removed = await Cli.RunAsync(Store("evidence", "verify", "--remove-orphans"));
        Assert.Equal(0, removed.ExitCode);
        Assert.Contains($"removed orphan evidence/{Path.Combine("sha256", orphanSha[..2], orphanSha)} (11 bytes)", removed.Stdout);
        Assert.Contains("removed orphan evidence/.upload-0123456789abcdef", removed.Stdout);
        Assert.False(File.Exists(orphan));
        Assert.False(File.Exists(temp));
        Assert.True(File.Exists(recent), "a file younger than the grace period may be an upload under way");
        Assert.True(File.Exists(Path.Combine(test.DataDirectory, "evidence", "sha256", keptSha[..2], keptSha)));
        Assert.Equal(0, (await Cli.RunAsync(Store("evidence", "verify"))).ExitCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_data_directory_is_0700_and_the_database_evidence_and_keys_are_0600(DatabaseProvider provider)
    {
        if (OperatingSystem.IsWindows()) return; // Unix file modes
        await using var test = await TestInstallation.CreateAsync(provider);
        string[] Store(params string[] args) => [.. args, "--data-dir", test.DataDirectory, .. test.Database is null ? Array.Empty<string>() : ["--db", test.Database]];
        var org = (await Cli.RunAsync(Store("admin", "create-org", "Northgate", "--kind", "assessor"))).Stdout.Trim();
        var added = await Cli.RunAsync(Store("evidence", "add", Cli.TempFile("quarterly access review", ".txt"), "--org", org));
        Assert.Equal(0, added.ExitCode);
        Assert.Equal(0, (await Cli.RunAsync(Store("log", "verifier-key"))).ExitCode); // creates the log's key
        var sha = added.Stdout.Trim()["sha256:".Length..];

        const UnixFileMode Directory0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        foreach (var dir in new[] { "", "evidence", Path.Combine("evidence", "sha256"), Path.Combine("evidence", "sha256", sha[..2]), "keys" })
            Assert.Equal((dir, Directory0700), (dir, File.GetUnixFileMode(Path.Combine(test.DataDirectory, dir))));
        var files = new List<string> { Path.Combine("evidence", "sha256", sha[..2], sha) };
        files.AddRange(Directory.GetFiles(Path.Combine(test.DataDirectory, "keys")).Select(f => Path.GetRelativePath(test.DataDirectory, f)));
        if (provider == DatabaseProvider.Sqlite)
        {
            files.Add("custodes.db");
            files.AddRange(Directory.GetFiles(test.DataDirectory, "custodes.db-*").Select(f => Path.GetFileName(f))); // WAL and shared memory while open
        }
        Assert.True(files.Count >= (provider == DatabaseProvider.Sqlite ? 3 : 2), string.Join(", ", files));
        foreach (var file in files) Assert.Equal((file, File0600), (file, File.GetUnixFileMode(Path.Combine(test.DataDirectory, file))));
    }
}
