using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Cli.Tests;

/// <summary><c>watch ingest</c>, <c>watch verify</c> and <c>watch map-tenant</c> on a real installation, both providers.</summary>
public sealed class WatchStoreCliTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static string[] Store(TestInstallation test, params string[] args) =>
        test.Database is null ? [.. args, "--data-dir", test.DataDirectory] : [.. args, "--data-dir", test.DataDirectory, "--db", test.Database];

    private static async Task<(TestInstallation Test, string Org, string Log)> IngestedAsync(DatabaseProvider provider, int tenants = 20)
    {
        var test = await TestInstallation.CreateAsync(provider);
        var (code, org, error) = await Cli.Run(Store(test, "admin", "create-org", "msp-01", "--kind", "msp"));
        Assert.True(code == 0, error);
        var (_, sim, _) = await Cli.Run("watch", "simulate", "--msps", "1", "--tenants", tenants.ToString(), "--days", "9", "--attack", "dental-2019");
        var log = Cli.TempFile(sim + "{\"time\": \"2025-03-05T10:00:00Z\", \"source\": \"x\", \"msp\": \"someone-else\", \"action\": \"login.success\"}\nnot json at all\n", ".ndjson");
        return (test, org.Trim(), log);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Ingest_stores_events_quarantines_bad_lines_with_file_and_line_and_stores_the_alerts(DatabaseProvider provider)
    {
        var (test, org, log) = await IngestedAsync(provider);
        await using var _ = test;
        var lines = File.ReadLines(log).Count();

        var json = await Cli.Json(Store(test, "watch", "ingest", log, "--msp", org, "--json"));

        Assert.Equal(lines - 2, json.GetProperty("events").GetInt64());
        Assert.Equal(2, json.GetProperty("quarantined").GetInt64());
        var quarantine = json.GetProperty("quarantine").EnumerateArray().ToArray();
        Assert.Equal(lines - 1, quarantine[0].GetProperty("line").GetInt64());
        Assert.Contains("msp 'someone-else' is not this organization's", quarantine[0].GetProperty("reason").GetString());
        Assert.Equal(log, quarantine[1].GetProperty("file").GetString());
        Assert.Equal(lines, quarantine[1].GetProperty("line").GetInt64());
        var mass = json.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("rule").GetString() == "mass-execution" && a.GetProperty("actor").GetString() == "tech02");
        Assert.Equal(20, mass.GetProperty("tenants").GetArrayLength());
        Assert.Equal("critical", mass.GetProperty("severity").GetString());

        await using var db = test.Installation.OpenDb();
        Assert.Equal(lines - 2, await db.WatchEvents.CountAsync());
        Assert.Equal(2, await db.WatchQuarantine.CountAsync());
        var stored = await db.WatchAlerts.SingleAsync(a => a.Rule == "mass-execution" && a.Actor == "tech02");
        Assert.False(stored.Growing);
        Assert.Equal(Math.Min(50, stored.EventCount), await db.WatchAlertEvents.CountAsync(e => e.AlertId == stored.Id));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Verify_passes_untouched_events_and_names_the_batch_and_position_of_an_edited_or_deleted_one(DatabaseProvider provider)
    {
        var (test, org, log) = await IngestedAsync(provider);
        await using var _ = test;
        await Cli.Json(Store(test, "watch", "ingest", log, "--msp", org, "--json"));
        var second = Cli.TempFile("{\"time\": \"2025-03-06T10:00:00Z\", \"source\": \"kaseya-vsa\", \"msp\": \"msp-01\", \"tenant\": \"t1\", \"actor\": \"tech01\", \"action\": \"login.success\"}\n", ".ndjson");
        await Cli.Json(Store(test, "watch", "ingest", second, "--msp", org, "--json"));

        var ok = await Cli.Json(Store(test, "watch", "verify", "--msp", org, "--json"));
        Assert.True(ok.GetProperty("ok").GetBoolean());
        Assert.Equal(2, ok.GetProperty("batches").GetInt64());
        Assert.Equal(2, ok.GetProperty("checkpoint_size").GetInt64());

        await using (var db = test.Installation.OpenDb())
        {
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync("UPDATE watch_events SET actor = 'innocent' WHERE seq = 17"));
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync("DELETE FROM watch_events WHERE seq = 40"));
        }
        var (code, output, _) = await Cli.Run(Store(test, "watch", "verify", "--msp", org, "--json"));
        Assert.Equal(1, code);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.False(result.GetProperty("ok").GetBoolean());
        var problems = result.GetProperty("problems").EnumerateArray().ToArray();
        Assert.Contains(problems, p => p.GetProperty("batch").GetInt64() == 0 && p.GetProperty("position").GetInt64() == 17 && p.GetProperty("problem").GetString()!.Contains("edited"));
        Assert.Contains(problems, p => p.GetProperty("batch").GetInt64() == 0 && p.GetProperty("position").GetInt64() == 40 && p.GetProperty("problem").GetString()!.Contains("deleted"));
        Assert.Contains(problems, p => p.GetProperty("problem").GetString()!.Contains("signed checkpoint"));

        var (_, text, errors) = await Cli.Run(Store(test, "watch", "verify", "--msp", org));
        Assert.Contains("TAMPERED", text);
        Assert.Contains("batch 0, position 17 (event 17)", errors);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Rewriting_a_batch_and_its_logged_hashes_still_fails_against_the_signed_checkpoint(DatabaseProvider provider)
    {
        var (test, org, log) = await IngestedAsync(provider, tenants: 5);
        await using var _ = test;
        await Cli.Json(Store(test, "watch", "ingest", log, "--msp", org, "--json"));
        await using (var db = test.Installation.OpenDb())
        {
            // An attacker who deletes the last event and shortens the batch row to match.
            var batch = await db.WatchBatches.SingleAsync();
            var last = batch.FirstSeq + batch.Count - 1;
            await db.Database.ExecuteSqlAsync($"DELETE FROM watch_events WHERE seq = {last}");
            batch.Count--;
            batch.EventHashes = batch.EventHashes[..^32];
            await db.SaveChangesAsync();
        }
        var (code, output, _) = await Cli.Run(Store(test, "watch", "verify", "--msp", org, "--json"));
        Assert.Equal(1, code);
        Assert.Contains("do not match the signed checkpoint", output);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Map_tenant_needs_a_customer_organization(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var msp = (await Cli.Run(Store(test, "admin", "create-org", "Granite Peak", "--kind", "msp"))).Out.Trim();
        var customer = (await Cli.Run(Store(test, "admin", "create-org", "Smile Dental", "--kind", "customer"))).Out.Trim();

        var pending = await Cli.Json(Store(test, "watch", "map-tenant", "dental-041", "--msp", msp, "--customer", customer, "--json"));
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("customer_name").ValueKind);
        var mapping = await Cli.Json(Store(test, "watch", "map-tenant", "dental-042", "--msp", msp, "--customer", customer, "--accept", "--json"));
        Assert.Equal("dental-042", mapping.GetProperty("tenant").GetString());
        Assert.Equal("active", mapping.GetProperty("status").GetString());
        Assert.Equal("Smile Dental", mapping.GetProperty("customer_name").GetString());

        var (code, _, error) = await Cli.Run(Store(test, "watch", "map-tenant", "dental-043", "--msp", msp, "--customer", msp));
        Assert.Equal(2, code);
        Assert.Contains("is a msp, not a customer", error);
        var (notMsp, _, why) = await Cli.Run(Store(test, "watch", "ingest", Cli.TempFile("", ".ndjson"), "--msp", customer));
        Assert.Equal(2, notMsp);
        Assert.Contains("only an MSP organization has watch events", why);
    }
}
