using Custodes.Application;
using Custodes.Application.Alerting;
using Custodes.Application.Database;
using Custodes.Application.Hosting;
using Custodes.Common;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Cli.Tests;

/// <summary>
/// The CLI is composed by the application layer's one composition root, on the configuration the web app reads: settings reach
/// commands as they reach the server, a bad one stops a command naming its key, and the use cases' refusals are exit 2.
/// </summary>
public sealed class CompositionTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static string[] Store(TestInstallation test, params string[] args) =>
        [.. args, "--data-dir", test.DataDirectory, .. test.Database is null ? Array.Empty<string>() : ["--db", test.Database]];

    /// <summary>An MSP with a webhook channel that wants every alert, and a day of simulated events with a mass execution in it.</summary>
    private static async Task<(string Org, string Log)> MspWithChannelAsync(TestInstallation test)
    {
        var org = (await Cli.RunAsync(Store(test, "admin", "create-org", "msp-01", "--kind", "msp"))).Stdout.Trim();
        await using (var db = test.Installation.OpenDb())
        {
            var now = DateTime.UtcNow;
            db.AlertChannels.Add(new AlertChannelRow
            {
                Id = Guid.NewGuid(), OrganizationId = Guid.Parse(org), Kind = AlertChannelKinds.Webhook, Target = "https://hooks.example/custodes",
                ProtectedSecret = "not read when enqueuing", MinSeverity = "low", Enabled = true, CreatedAt = now, CreatedBy = "test", UpdatedAt = now,
            });
            await db.SaveChangesAsync();
        }
        var (_, events, _) = await Cli.Run("watch", "simulate", "--msps", "1", "--tenants", "20", "--days", "9", "--attack", "dental-2019");
        return (org, Cli.TempFile(events, ".ndjson"));
    }

    private static async Task<string[]> DeliveryPayloadsAsync(TestInstallation test)
    {
        await using var db = test.Installation.OpenDb();
        return (await db.AlertDeliveries.AsNoTracking().Select(d => d.Payload).ToListAsync()).ToArray();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Alerts_raised_by_watch_ingest_link_to_the_configured_public_address(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var (org, log) = await MspWithChannelAsync(test);

        // The key operators have set for the server since alerting existed; the command ignored it and linked to 127.0.0.1:8080.
        var ingest = await Cli.RunProcessAsync(new Dictionary<string, string> { ["Custodes__Alerting__PublicUrl"] = "https://custodes.example/" }, null,
            Store(test, "watch", "ingest", log, "--msp", org, "--json"));

        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        var payloads = await DeliveryPayloadsAsync(test);
        Assert.NotEmpty(payloads);
        foreach (var payload in payloads)
        {
            Assert.Contains("\"https://custodes.example/watch/alerts/", payload);
            Assert.DoesNotContain("127.0.0.1", payload);
        }
    }

    [Fact]
    public async Task The_one_public_address_key_wins_over_its_older_name()
    {
        await using var test = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        var (org, log) = await MspWithChannelAsync(test);

        var ingest = await Cli.RunProcessAsync(new Dictionary<string, string>
        {
            ["Custodes__PublicUrl"] = "https://watch.msp.example",
            ["Custodes__Alerting__PublicUrl"] = "https://old.example",
        }, null, Store(test, "watch", "ingest", log, "--msp", org));

        Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        Assert.All(await DeliveryPayloadsAsync(test), p => Assert.Contains("\"https://watch.msp.example/watch/alerts/", p));
    }

    [Fact]
    public async Task The_evidence_size_limit_set_in_appsettings_applies_at_the_command_line()
    {
        await using var test = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        var org = (await Cli.RunAsync(Store(test, "admin", "create-org", "Northgate", "--kind", "assessor"))).Stdout.Trim();
        var big = Cli.TempFile(new string('x', 2000), ".txt");
        var small = Cli.TempFile("quarterly access review", ".txt");
        var settings = Cli.TempDirectory();
        Directory.CreateDirectory(settings);
        await File.WriteAllTextAsync(Path.Combine(settings, "appsettings.json"), """{"Custodes": {"Web": {"EvidenceMaxBytes": 1000}}}""");

        var refused = await Cli.RunProcessAsync(new Dictionary<string, string>(), settings, Store(test, "evidence", "add", big, "--org", org));
        var accepted = await Cli.RunProcessAsync(new Dictionary<string, string>(), settings, Store(test, "evidence", "add", small, "--org", org));

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("larger than the evidence limit of 1,000 bytes", refused.Stderr);
        Assert.True(accepted.ExitCode == 0, accepted.Stderr);
        // The same file without the setting: the default limit (100 MiB) takes it.
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "evidence", "add", big, "--org", org))).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "evidence", "verify"))).ExitCode);
    }

    [Fact]
    public async Task A_bad_setting_stops_a_command_before_it_runs_naming_each_key_and_what_it_expects()
    {
        var dir = Cli.TempDirectory();
        var result = await Cli.RunProcessAsync(new Dictionary<string, string>
        {
            ["Custodes__Alerting__MaxAttempts"] = "0",
            ["Custodes__PublicUrl"] = "custodes.example",
        }, null, "admin", "create-org", "Northgate", "--kind", "assessor", "--data-dir", dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("configuration Custodes:Alerting:MaxAttempts: 0 is not at least 1", result.Stderr);
        Assert.Contains("configuration Custodes:PublicUrl: 'custodes.example' is not an absolute http(s) URL", result.Stderr);
        Assert.Empty(result.Stdout);
        Assert.False(Directory.Exists(dir), "nothing was created");
    }

    [Fact]
    public void Every_store_and_use_case_of_the_composition_root_resolves_at_the_command_line()
    {
        var dir = Cli.TempDirectory();
        using var services = CliServices.Build(dir, null);
        var registered = new ServiceCollection().AddCustodesApplication(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var types = registered.Where(d => d.ServiceType.Namespace?.StartsWith("Custodes.", StringComparison.Ordinal) == true && !d.ServiceType.IsGenericTypeDefinition)
            // Webhook secrets are kept with the web app's data-protection keys: alert channels and trust-page subscriptions are managed there only.
            .Select(d => d.ServiceType).Where(t => t != typeof(AlertChannelStore) && t != typeof(Custodes.Application.Trust.TrustSubscriptions)).Distinct().ToArray();
        Assert.True(types.Length > 30, $"{types.Length} services");
        foreach (var type in types) Assert.NotNull(services.GetRequiredService(type));
        Assert.Equal(Path.GetFullPath(dir), services.GetRequiredService<Installation>().DataDirectory);
        Assert.Equal(PublicAddress.Default, services.GetRequiredService<PublicAddress>().Base);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Refusals_of_the_use_cases_are_exit_2_with_their_message(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var org = (await Cli.RunAsync(Store(test, "admin", "create-org", "Northgate", "--kind", "assessor"))).Stdout.Trim();

        // Not found: an assessment that does not exist (exit 3, "internal error", before the CLI knew the family).
        var unknownAssessment = Guid.NewGuid();
        var evidence = await Cli.RunAsync(Store(test, "evidence", "add", Cli.TempFile("access review", ".txt"), "--org", org, "--assessment", unknownAssessment.ToString()));
        Assert.Equal(2, evidence.ExitCode);
        Assert.Equal($"error: no assessment {unknownAssessment}", evidence.Stderr.Trim());

        // Not found: revoking a letter that was never issued here.
        var unknownLetter = Guid.NewGuid();
        var revokeUnknown = await Cli.RunAsync(Store(test, "attest", "revoke", unknownLetter.ToString(), "--reason", "Scope was misstated"));
        Assert.Equal(2, revokeUnknown.ExitCode);
        Assert.StartsWith($"error: no letter {unknownLetter}", revokeUnknown.Stderr.Trim());

        // Conflict: a letter is revoked once.
        var keys = Cli.TempDirectory();
        Assert.Equal(0, (await Cli.RunAsync(["keys", "generate", "--out", keys, "--name", "Ana Ruiz"])).ExitCode);
        var issued = await Cli.RunAsync(Store(test, "attest", "issue", "--assessment", Cli.Sample("assessments", "example-msp.json"), "--key", Path.Combine(keys, "signing.key"),
            "--issuer", org, "--valid-days", "365", "--out", Path.Combine(keys, "letter.json")));
        Assert.True(issued.ExitCode == 0, issued.Stderr);
        var letter = issued.Stdout.Trim();
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "attest", "revoke", letter, "--reason", "Scope was misstated"))).ExitCode);
        var again = await Cli.RunAsync(Store(test, "attest", "revoke", letter, "--reason", "twice"));
        Assert.Equal(2, again.ExitCode);
        Assert.StartsWith($"error: letter {letter} was already revoked at ", again.Stderr.Trim());
    }

    // No command reaches these two today (the operator may change anything, and no command takes a version), so the mapping itself is the spec.
    [Fact]
    public void A_forbidden_change_is_exit_2_with_its_message() =>
        Assert.Equal((ExitCodes.BadInput, "the viewer role cannot change data"), CliApp.Classify(new ForbiddenException("the viewer role cannot change data")));

    [Fact]
    public void A_stale_write_is_exit_2_with_its_message() =>
        Assert.Equal((ExitCodes.BadInput, "assessment 1 is at version 3, not 2: it changed since you read it"),
            CliApp.Classify(new PreconditionFailedException("assessment 1 is at version 3, not 2: it changed since you read it")));

    [Theory, MemberData(nameof(Providers))]
    public async Task Audit_list_and_verify_read_the_trail_through_the_application_layer(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var org = (await Cli.RunAsync(Store(test, "admin", "create-org", "Northgate", "--kind", "assessor"))).Stdout.Trim();
        await Cli.RunAsync(Store(test, "admin", "create-org", "Other", "--kind", "assessor"));

        var all = (await Cli.Json(Store(test, "audit", "list", "--json"))).GetProperty("entries").EnumerateArray().ToArray();
        var mine = (await Cli.Json(Store(test, "audit", "list", "--org", org, "--json"))).GetProperty("entries").EnumerateArray().ToArray();

        Assert.True(all.Length >= 2);
        Assert.Equal(all.Select(e => e.GetProperty("sequence").GetInt64()).OrderByDescending(s => s), all.Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.NotEmpty(mine);
        Assert.All(mine, e => Assert.Equal(org, e.GetProperty("organization_id").GetString()));
        Assert.All(all, e => Assert.Matches("^[0-9a-f]{64}$", e.GetProperty("hash").GetString()));
        Assert.True(all.Length > mine.Length);
        var verified = await Cli.Json(Store(test, "audit", "verify", "--json"));
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(all.Length, verified.GetProperty("entries").GetInt64());
    }
}
