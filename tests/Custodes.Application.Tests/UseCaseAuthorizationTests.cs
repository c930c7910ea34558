using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Common;
using Custodes.Reports;
using Custodes.SupplyChain;
using Custodes.Testing;

namespace Custodes.Application.Tests;

/// <summary>
/// Each use case decides itself who may do it, from the <see cref="Tenant"/> it is given: a page, endpoint or command that forgot a check,
/// or a new host, cannot let a viewer change data or one organization reach another's.
/// </summary>
public sealed class UseCaseAuthorizationTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Only_an_owner_or_assessor_of_the_issuing_firm_sees_a_revocation_coming_or_revokes_and_a_letter_is_revoked_once(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var demo = await Testing.Demo.EnsureAsync(test.Installation);
        var letter = demo.Letter!.Value;
        var (letters, revoke, changes) = Letters(test.Installation);
        var otherFirm = await OtherOrganizationAsync(test.Installation, "Other Assessors LLC", OrganizationKinds.Assessor);

        // Another firm, even its owner: the letter is not found, as any other tenant's resource.
        await Assert.ThrowsAsync<NotFoundException>(() => letters.ToRevokeAsync(otherFirm, letter));
        await Assert.ThrowsAsync<NotFoundException>(() => changes.PreviewRevocationAsync(otherFirm, letter));
        await Assert.ThrowsAsync<NotFoundException>(() => revoke.HandleAsync(otherFirm, new RevokeLetterRequest(letter, "mine now", null)));
        Assert.Empty((await letters.IssuedByAsync(otherFirm)).Letters);

        // The issuing firm's viewer and contributor read its letters but do not speak for it.
        foreach (var role in new[] { Roles.Viewer, Roles.Contributor })
        {
            var member = new Tenant(demo.AssessorOrganization, role, $"user:{role}@northgate.example");
            var issued = await letters.IssuedByAsync(member);
            Assert.Contains(issued.Letters, l => l.Id == letter);
            Assert.False(issued.CanRevoke);
            await Assert.ThrowsAsync<ForbiddenException>(() => letters.ToRevokeAsync(member, letter));
            await Assert.ThrowsAsync<ForbiddenException>(() => changes.PreviewRevocationAsync(member, letter));
            await Assert.ThrowsAsync<ForbiddenException>(() => revoke.HandleAsync(member, new RevokeLetterRequest(letter, "not mine to say", null)));
        }
        Assert.Equal(LetterStatuses.Valid, (await letters.StatusAsync(letter)).Status);

        var assessor = new Tenant(demo.AssessorOrganization, Roles.Assessor, "user:assessor@northgate.example");
        Assert.True((await letters.IssuedByAsync(assessor)).CanRevoke);
        Assert.Equal(demo.AssessorOrganization, (await letters.ToRevokeAsync(assessor, letter)).IssuerOrganizationId);
        await revoke.HandleAsync(assessor, new RevokeLetterRequest(letter, "Scope was misstated", null));
        Assert.Equal(LetterStatuses.Revoked, (await letters.StatusAsync(letter)).Status);

        // A revoked letter is not revoked twice (409), and no letter at all is 404: neither is the caller's input being wrong.
        var again = await Assert.ThrowsAsync<ConflictException>(() => revoke.HandleAsync(assessor, new RevokeLetterRequest(letter, "again", null)));
        Assert.Contains("already revoked", again.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => revoke.HandleAsync(assessor, new RevokeLetterRequest(Guid.NewGuid(), "no such letter", null)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_viewer_cannot_replace_a_portfolio_or_its_matrices_and_an_organization_reads_only_its_own(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var demo = await Testing.Demo.EnsureAsync(test.Installation);
        var audit = new AuditTrail(TimeProvider.System);
        var portfolios = new PortfolioStore(test.Installation, audit, TimeProvider.System);
        var practice = demo.CustomerOrganizations[0];
        var owner = new Tenant(practice, Roles.Owner, "user:office@smiledental.example");
        var stored = (await portfolios.LoadAsync(owner))!;

        var viewer = new Tenant(practice, Roles.Viewer, "user:viewer@smiledental.example");
        Assert.NotNull(await portfolios.LoadAsync(viewer));
        var emptied = stored.Portfolio with { Relationships = [] };
        await Assert.ThrowsAsync<ForbiddenException>(() => portfolios.ImportAsync(viewer, emptied, []));
        var matrix = new MatrixUpload(stored.Matrices.Values.First(), "", "matrix");
        await Assert.ThrowsAsync<ForbiddenException>(() => portfolios.SetMatrixAsync(viewer, matrix));
        Assert.Equal(stored.Version, (await portfolios.VersionAsync(owner))!.Value.Version);

        // Another organization has its own portfolio (none yet), never this one, through the store and through the cached graphs.
        var other = await OtherOrganizationAsync(test.Installation, "Other Dental LLC", OrganizationKinds.Customer);
        Assert.Null(await portfolios.LoadAsync(other));
        Assert.Null(await new PortfolioGraphs(portfolios).GraphAsync(other));
        await portfolios.ImportAsync(other, emptied, []);
        Assert.Equal(stored.Version, (await portfolios.VersionAsync(owner))!.Value.Version);
        Assert.Equal(stored.Portfolio.Relationships.Count, (await portfolios.LoadAsync(owner))!.Portfolio.Relationships.Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_viewer_cannot_import_into_an_assessment_and_another_organization_does_not_find_it(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var demo = await Testing.Demo.EnsureAsync(test.Installation);
        var store = new AssessmentStore(test.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System);
        var imports = new AssessmentImports(store);
        var csv = "requirement,status\n3.1.1,met\n"u8.ToArray();
        var before = (await store.GetAsync(Tenant.Operator(demo.AssessorOrganization), demo.Assessment)).Version;

        var viewer = new Tenant(demo.AssessorOrganization, Roles.Viewer, "user:viewer@northgate.example");
        await Assert.ThrowsAsync<ForbiddenException>(() => imports.ApplyAsync(viewer, demo.Assessment, ImportKind.Csv, csv, "requirements.csv", null, CancellationToken.None));
        var other = await OtherOrganizationAsync(test.Installation, "Other Assessors LLC", OrganizationKinds.Assessor);
        await Assert.ThrowsAsync<NotFoundException>(() => imports.ApplyAsync(other, demo.Assessment, ImportKind.Csv, csv, "requirements.csv", null, CancellationToken.None));
        Assert.Equal(before, (await store.GetAsync(Tenant.Operator(demo.AssessorOrganization), demo.Assessment)).Version);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_assessment_shared_read_only_or_a_viewer_is_refused_before_any_change_and_the_read_says_who_may_edit(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var demo = await Testing.Demo.EnsureAsync(test.Installation);
        var audit = new AuditTrail(TimeProvider.System);
        var store = new AssessmentStore(test.Installation, audit, TimeProvider.System);
        var customer = await OtherOrganizationAsync(test.Installation, "Harbor Dental", OrganizationKinds.Customer);
        await new Sharing.ShareStore(test.Installation, audit, TimeProvider.System).ShareAsync(Tenant.Operator(demo.AssessorOrganization), demo.Assessment, customer.OrganizationId);

        // The one it was shared with reads it, even as an owner cannot change it, and finds no history of it (the owner keeps that).
        var shared = await store.ReadAsync(customer, demo.Assessment);
        Assert.False(shared.Owned);
        Assert.False(shared.CanEdit);
        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => store.ReadToChangeAsync(customer, demo.Assessment));
        Assert.Contains("shared with your organization read-only", refused.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => store.ReadOwnAsync(customer, demo.Assessment));

        var viewer = new Tenant(demo.AssessorOrganization, Roles.Viewer, "user:viewer@northgate.example");
        Assert.False((await store.ReadAsync(viewer, demo.Assessment)).CanEdit);
        await Assert.ThrowsAsync<ForbiddenException>(() => store.ReadToChangeAsync(viewer, demo.Assessment));
        var assessor = new Tenant(demo.AssessorOrganization, Roles.Assessor, "user:assessor@northgate.example");
        Assert.True((await store.ReadAsync(assessor, demo.Assessment)).CanEdit);
        Assert.True((await store.ReadToChangeAsync(assessor, demo.Assessment)).Owned);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Only_an_MSP_has_watch_settings_and_tenants_and_only_a_role_that_edits_sends_it_events(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var audit = new AuditTrail(TimeProvider.System);
        var msps = new Watch.WatchMspStore(test.Installation, audit, TimeProvider.System);
        var customer = await OtherOrganizationAsync(test.Installation, "Harbor Dental", OrganizationKinds.Customer);
        var msp = await OtherOrganizationAsync(test.Installation, "Granite Peak IT", OrganizationKinds.Msp);

        // A customer's owner is refused every watch setting use case: none is for it, whatever a page or endpoint forgets to check.
        foreach (var call in new Func<Task>[]
        {
            () => msps.ProfileAsync(customer), () => msps.ProfileToIngestAsync(customer), () => msps.TenantsAsync(customer),
            () => msps.UpdateAsync(customer, "harbor", null, null), () => msps.MapTenantAsync(customer, "harbor-1", msp.OrganizationId),
            () => msps.UnmapTenantAsync(customer, "harbor-1"),
        })
        {
            var refused = await Assert.ThrowsAsync<ForbiddenException>(call);
            Assert.Contains("only an MSP organization", refused.Message);
        }

        // The MSP's viewer reads its settings but does not send events in its name.
        var viewer = new Tenant(msp.OrganizationId, Roles.Viewer, "user:viewer@granitepeak.example");
        Assert.Equal(msp.OrganizationId, (await msps.ProfileAsync(viewer)).OrganizationId);
        Assert.Empty(await msps.TenantsAsync(viewer));
        await Assert.ThrowsAsync<ForbiddenException>(() => msps.ProfileToIngestAsync(viewer));
        Assert.Equal(msp.OrganizationId, (await msps.ProfileToIngestAsync(msp)).OrganizationId);
    }

    private static (LetterStore Letters, RevokeLetter Revoke, LetterChanges Changes) Letters(Installation installation)
    {
        var clock = TimeProvider.System;
        var audit = new AuditTrail(clock);
        var keys = new SigningKeyRegistry(installation, audit, clock);
        var log = new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), clock);
        var changes = new LetterChanges(installation, new PortfolioStore(installation, audit, clock), new ProviderLetters(installation, keys), audit, clock);
        return (new LetterStore(installation, clock), new RevokeLetter(installation, audit, log, keys, clock, changes), changes);
    }

    private static async Task<Tenant> OtherOrganizationAsync(Installation installation, string name, string kind) =>
        Tenant.Operator(await new Organizations.OrganizationStore(installation, new AuditTrail(TimeProvider.System), TimeProvider.System).CreateAsync(name, kind, "test"));
}
