using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;

namespace Custodes.Cli.Tests;

public sealed class AdminCommandTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static string[] Store(TestInstallation test, params string[] args) =>
        [.. args, "--data-dir", test.DataDirectory, .. test.Database is null ? Array.Empty<string>() : ["--db", test.Database]];

    [Theory, MemberData(nameof(Providers))]
    public async Task Bootstrap_commands_print_only_the_new_id_or_key(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var org = await Cli.RunAsync(Store(test, "admin", "create-org", "Northgate Security Assessors LLC", "--kind", "assessor"));
        Assert.Equal(0, org.ExitCode);
        Assert.True(Guid.TryParse(org.Stdout.Trim(), out var orgId), org.Stdout);

        Environment.SetEnvironmentVariable("CUSTODES_TEST_PASSWORD", "a long enough password");
        var user = await Cli.RunAsync(Store(test, "admin", "create-user", "ana@northgate.example", "--org", orgId.ToString(), "--role", "assessor", "--password-env", "CUSTODES_TEST_PASSWORD"));
        Assert.Equal(0, user.ExitCode);
        Assert.True(Guid.TryParse(user.Stdout.Trim(), out _), user.Stdout);

        var key = await Cli.RunAsync(Store(test, "admin", "create-api-key", "ana@northgate.example"));
        Assert.Equal(0, key.ExitCode);
        Assert.Matches("^cst_[A-Za-z0-9_-]{43}$", key.Stdout.Trim());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_list_and_score_by_id(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var orgId = (await Cli.RunAsync(Store(test, "admin", "create-org", "Northgate", "--kind", "assessor"))).Stdout.Trim();
        var import = await Cli.RunAsync(Store(test, "assessment", "import", Cli.Sample("assessments", "example-msp.json"), "--org", orgId));
        Assert.Equal(0, import.ExitCode);
        var id = import.Stdout.Trim();
        var score = await Cli.RunAsync(Store(test, "score", id, "--json"));
        Assert.Equal(0, score.ExitCode);
        using var json = JsonDocument.Parse(score.Stdout);
        Assert.Equal(103, json.RootElement.GetProperty("score").GetInt32());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Unknown_kind_role_or_organization_exit_2(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        Assert.Equal(2, (await Cli.RunAsync(Store(test, "admin", "create-org", "X", "--kind", "bank"))).ExitCode);
        Assert.Equal(2, (await Cli.RunAsync(Store(test, "admin", "create-user", "a@b.example", "--org", Guid.NewGuid().ToString(), "--role", "viewer"))).ExitCode);
        Assert.Equal(2, (await Cli.RunAsync(Store(test, "admin", "create-api-key", "nobody@b.example"))).ExitCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Reset_password_sets_a_new_one_ends_every_session_and_forces_a_change(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var orgId = (await Cli.RunAsync(Store(test, "admin", "create-org", "Northgate", "--kind", "assessor"))).Stdout.Trim();
        Environment.SetEnvironmentVariable("CUSTODES_TEST_PASSWORD", "a long enough password");
        await Cli.RunAsync(Store(test, "admin", "create-user", "ana@northgate.example", "--org", orgId, "--role", "owner", "--password-env", "CUSTODES_TEST_PASSWORD"));
        var accounts = new Application.Accounts.AccountStore(test.Installation, new Application.Audit.AuditTrail(TimeProvider.System), TimeProvider.System);
        var user = (await accounts.PasswordSignInAsync("ana@northgate.example", "a long enough password", "127.0.0.1")).User!;
        var session = await accounts.StartSessionAsync(user.Id, Guid.Parse(orgId), "pwd", "test", "127.0.0.1", null);

        var generated = await Cli.RunAsync(Store(test, "admin", "reset-password", "ana@northgate.example"));
        Assert.Equal(0, generated.ExitCode);
        var password = generated.Stdout.Trim();
        Assert.Matches("^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$", password);
        Assert.Null(await accounts.SessionRoleAsync(session, user.Id, Guid.Parse(orgId), TimeSpan.FromHours(1)));
        var signedIn = await accounts.PasswordSignInAsync("ana@northgate.example", password, "127.0.0.1");
        Assert.Equal(Application.Accounts.SignInOutcome.Succeeded, signedIn.Outcome);
        Assert.True(signedIn.User!.MustChangePassword);

        Environment.SetEnvironmentVariable("CUSTODES_TEST_NEW_PASSWORD", "violet kayak under the lighthouse");
        var chosen = await Cli.RunAsync(Store(test, "admin", "reset-password", "ana@northgate.example", "--password-env", "CUSTODES_TEST_NEW_PASSWORD"));
        Assert.Equal(0, chosen.ExitCode);
        Assert.Equal("", chosen.Stdout);
        Assert.Equal(Application.Accounts.SignInOutcome.Succeeded, (await accounts.PasswordSignInAsync("ana@northgate.example", "violet kayak under the lighthouse", "127.0.0.1")).Outcome);

        Environment.SetEnvironmentVariable("CUSTODES_TEST_NEW_PASSWORD", "password1234");
        var weak = await Cli.RunAsync(Store(test, "admin", "reset-password", "ana@northgate.example", "--password-env", "CUSTODES_TEST_NEW_PASSWORD"));
        Assert.Equal(2, weak.ExitCode);
        Assert.Contains("breaches", weak.Stderr);
        Assert.Equal(2, (await Cli.RunAsync(Store(test, "admin", "reset-password", "nobody@northgate.example"))).ExitCode);
    }

    [Fact]
    public async Task An_unreachable_database_exits_3()
    {
        var result = await Cli.RunAsync("admin", "list-orgs", "--data-dir", Cli.TempDirectory(), "--db", "Host=127.0.0.1;Port=1;Database=x;Username=x;Timeout=2");
        Assert.Equal(3, result.ExitCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Create_org_refuses_a_name_another_organization_of_its_kind_already_has(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "admin", "create-org", "Northgate Security Assessors LLC", "--kind", "assessor"))).ExitCode);
        var twin = await Cli.RunAsync(Store(test, "admin", "create-org", " northgate security  assessors LLC ", "--kind", "assessor"));
        Assert.Equal(2, twin.ExitCode);
        Assert.Contains("already exists", twin.Stderr);
        Assert.Equal("", twin.Stdout);
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "admin", "create-org", "Northgate Security Assessors LLC", "--kind", "customer"))).ExitCode);
    }
}
