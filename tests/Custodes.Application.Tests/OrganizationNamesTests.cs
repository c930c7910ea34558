using Custodes.Common;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Custodes.Application.Tests;

public sealed class OrganizationNamesTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Names_are_unique_per_kind_ignoring_case_and_spacing(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        await stores.Organizations.CreateAsync("Northgate Security Assessors LLC", "assessor", "test");
        var error = await Assert.ThrowsAsync<BadInputException>(() => stores.Organizations.CreateAsync("  northgate  security ASSESSORS llc", "assessor", "test"));
        Assert.Contains("already exists", error.Message);
        await stores.Organizations.CreateAsync("Northgate Security Assessors LLC", "msp", "test");
        Assert.Equal(2, (await stores.Organizations.ListAsync()).Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Racing_creations_of_one_name_leave_one_organization(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                await stores.Organizations.CreateAsync(i % 2 == 0 ? "Harbor MSP" : "harbor msp", "msp", "test");
                return true;
            }
            catch (BadInputException)
            {
                return false;
            }
        }));
        Assert.Equal(1, attempts.Count(ok => ok));
        Assert.Single(await stores.Organizations.ListAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_migration_keeps_older_duplicate_names_and_the_rule_holds_for_new_ones(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        await using (var db = stores.Installation.OpenDb())
        {
            // Back to the schema before unique names, where two firms could share one.
            var migrations = db.Database.GetMigrations().ToList();
            var index = migrations.FindIndex(m => m.EndsWith("_MembershipInvitations", StringComparison.Ordinal));
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(migrations[index - 1]);
            foreach (var (id, name) in new[] { (first, "Northgate Assessors"), (second, "northgate assessors") })
            {
                object key = provider == DatabaseProvider.Sqlite ? id.ToString().ToUpperInvariant() : id;
                await db.Database.ExecuteSqlRawAsync("INSERT INTO organizations (\"Id\", \"Name\", \"Kind\", \"CreatedAt\") VALUES ({0}, {1}, {2}, {3})",
                    key, name, "assessor", DateTime.UtcNow);
            }
            await migrator.MigrateAsync();
        }
        var all = await stores.Organizations.ListAsync();
        Assert.Equal(2, all.Count);
        await using (var stored = stores.Installation.OpenDb())
            Assert.All(await stored.Organizations.AsNoTracking().ToListAsync(), o => Assert.Null(o.NormalizedName));
        // New names are checked against the older ones too, and an ambiguous name asks for the id.
        await Assert.ThrowsAsync<BadInputException>(() => stores.Organizations.CreateAsync("NORTHGATE ASSESSORS", "assessor", "test"));
        var ambiguous = await Assert.ThrowsAsync<BadInputException>(() => stores.Organizations.ResolveAsync("Northgate Assessors"));
        Assert.Contains(first.ToString(), ambiguous.Message);
        Assert.Contains(second.ToString(), ambiguous.Message);
        Assert.Equal(second, (await stores.Organizations.ResolveAsync(second.ToString())).Id);
    }
}
