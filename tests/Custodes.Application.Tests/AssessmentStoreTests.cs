using System.Text;
using Custodes.Application.Audit;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Tests;

public sealed class AssessmentStoreTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static ParsedAssessment Example() => DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json"));

    [Theory, MemberData(nameof(Providers))]
    public async Task Imported_assessment_reads_back_exactly(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var parsed = Example();
        var id = await stores.Assessments.ImportAsync(tenant, parsed);
        var stored = await stores.Assessments.GetAsync(tenant, id);
        Assert.Equal(Encoding.UTF8.GetString(AssessmentFile.ToJson(parsed.Assessment)), Encoding.UTF8.GetString(AssessmentFile.ToJson(stored.Assessment)));
        Assert.Equal(1, stored.Version);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_kept_statuses_follow_every_change_of_the_determinations(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var id = await stores.Assessments.ImportAsync(tenant, Example());
        async Task AssertKeptAsync()
        {
            await using var db = stores.Installation.OpenDb();
            var kept = await db.Assessments.Where(a => a.Id == id).Select(a => a.Statuses).SingleAsync();
            Assert.Equal(CompactAssessment.From((await stores.Assessments.GetAsync(tenant, id)).Assessment).ToCodes(), kept);
        }
        await AssertKeptAsync();
        await stores.Assessments.SetDeterminationAsync(tenant, id, "3.1.1", Finding.Of(Status.NotMet), expectedVersion: 1);
        await AssertKeptAsync();
        var replaced = Example().Assessment with { Requirements = new Dictionary<string, Finding>(Example().Assessment.Requirements) { ["3.1.2"] = Finding.Of(Status.NotApplicable) } };
        await stores.Assessments.ReplaceAsync(tenant, id, AssessmentFile.Validate(replaced, "replaced"), expectedVersion: 2);
        await AssertKeptAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_tenants_assessment_is_not_found(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var owner = await stores.NewTenantAsync("Firm A");
        var other = await stores.NewTenantAsync("Firm B");
        var id = await stores.Assessments.ImportAsync(owner, Example());
        Assert.Null(await stores.Assessments.FindAsync(other, id));
        Assert.Null(await stores.Assessments.ScoreAsync(other, id));
        Assert.Empty(await stores.Assessments.ListAsync(other));
        await Assert.ThrowsAsync<NotFoundException>(() => stores.Assessments.SetDeterminationAsync(other, id, "3.1.1", Finding.Of(Status.NotMet), null));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_into_an_unknown_organization_stores_nothing(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        await Assert.ThrowsAsync<BadInputException>(() => stores.Assessments.ImportAsync(Tenant.Operator(Guid.NewGuid()), Example()));
        await using var db = stores.Installation.OpenDb();
        Assert.Equal(0, await db.Assessments.CountAsync());
        Assert.Equal(0, await db.Determinations.CountAsync());
        Assert.Equal(0, await db.Audit.CountAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Setting_a_determination_rescored_and_bumps_the_version(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var id = await stores.Assessments.ImportAsync(tenant, Example());
        var before = (await stores.Assessments.ScoreAsync(tenant, id))!;
        Assert.Equal("met", before.Requirements["3.1.1"]);
        var version = await stores.Assessments.SetDeterminationAsync(tenant, id, "3.1.1", Finding.Of(Status.NotMet), expectedVersion: 1);
        var after = (await stores.Assessments.ScoreAsync(tenant, id))!;
        Assert.Equal(2, version);
        Assert.Equal(before.Score - 5, after.Score);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_stale_version_is_refused_not_overwritten(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var id = await stores.Assessments.ImportAsync(tenant, Example());
        await stores.Assessments.SetDeterminationAsync(tenant, id, "3.1.1", Finding.Of(Status.NotMet), expectedVersion: 1);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => stores.Assessments.SetDeterminationAsync(tenant, id, "3.1.2", Finding.Of(Status.NotMet), expectedVersion: 1));
        var stored = await stores.Assessments.GetAsync(tenant, id);
        Assert.Equal(Status.Met, stored.Assessment.Requirements["3.1.2"].Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_change_that_contradicts_objectives_is_refused_and_nothing_changes(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var id = await stores.Assessments.ImportAsync(tenant, Example());
        await stores.Assessments.SetDeterminationAsync(tenant, id, "3.1.5[a]", Finding.Of(Status.NotMet), null);
        var error = await Assert.ThrowsAsync<BadInputException>(() => stores.Assessments.SetDeterminationAsync(tenant, id, "3.1.5", Finding.Of(Status.Met), null));
        Assert.Contains("contradicts", error.Message);
        Assert.Equal(2, (await stores.Assessments.GetAsync(tenant, id)).Version);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Viewers_cannot_change_assessments(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var viewer = tenant with { Role = Roles.Viewer };
        await Assert.ThrowsAsync<ForbiddenException>(() => stores.Assessments.ImportAsync(viewer, Example()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_change_is_in_the_audit_trail_and_the_chain_verifies(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var id = await stores.Assessments.ImportAsync(tenant, Example());
        await stores.Assessments.SetDeterminationAsync(tenant, id, "3.1.1", Finding.Of(Status.NotMet), null);
        await using var db = stores.Installation.OpenDb();
        var actions = await db.Audit.OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync();
        Assert.Equal(["organization.created", "assessment.imported", "determination.set"], actions);
        var verification = await AuditTrail.VerifyAsync(db);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(3, verification.Entries);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Audit_verification_detects_an_edited_entry(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        await stores.Assessments.ImportAsync(tenant, Example());
        await using var db = stores.Installation.OpenDb();
        var second = await db.Audit.OrderBy(a => a.Sequence).Skip(1).Select(a => a.Sequence).FirstAsync();
        await db.Audit.Where(a => a.Sequence == second).ExecuteUpdateAsync(s => s.SetProperty(a => a.Actor, "someone-else"));
        var verification = await AuditTrail.VerifyAsync(db);
        Assert.False(verification.Valid);
        Assert.Equal(second, verification.BrokenAt);
        Assert.Contains("changed", verification.Problem);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Audit_verification_detects_a_removed_entry(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var id = await stores.Assessments.ImportAsync(tenant, Example());
        await stores.Assessments.SetDeterminationAsync(tenant, id, "3.1.1", Finding.Of(Status.NotMet), null);
        await using var db = stores.Installation.OpenDb();
        var second = await db.Audit.OrderBy(a => a.Sequence).Skip(1).Select(a => a.Sequence).FirstAsync();
        await db.Audit.Where(a => a.Sequence == second).ExecuteDeleteAsync();
        var verification = await AuditTrail.VerifyAsync(db);
        Assert.False(verification.Valid);
        Assert.Contains("removed", verification.Problem);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Concurrent_writers_extend_one_unbroken_chain(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => stores.Organizations.CreateAsync($"Customer {i}", "customer", "test")));
        await using var db = stores.Installation.OpenDb();
        var verification = await AuditTrail.VerifyAsync(db);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(9, verification.Entries);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Bulk_appends_among_concurrent_writers_extend_one_unbroken_chain(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var audit = new AuditTrail(TimeProvider.System);
        async Task AppendAsync(int batch)
        {
            await using var db = stores.Installation.OpenDb();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await audit.AppendAsync(db, Enumerable.Range(0, 200).Select(i => new AuditEvent(tenant.OrganizationId, "test", "bulk", "item", $"{batch}-{i}", After: new { i })).ToArray());
            await transaction.CommitAsync();
        }
        await Task.WhenAll(Enumerable.Range(0, 3).Select(AppendAsync)
            .Concat(Enumerable.Range(0, 6).Select(i => stores.Organizations.CreateAsync($"Customer {i}", "customer", "test"))));
        await using var check = stores.Installation.OpenDb();
        var verification = await AuditTrail.VerifyAsync(check);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(1 + 6 + 3 * 200, verification.Entries);
    }
}
