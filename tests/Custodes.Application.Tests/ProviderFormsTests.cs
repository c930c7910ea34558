using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Demo;
using Custodes.Application.Hosting;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Application.Trust;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.Reports;
using Custodes.SupplyChain;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SupplyServices = Custodes.SupplyChain.Services;

namespace Custodes.Application.Tests;

/// <summary>Providers added, changed and removed from forms: stored as an import stores them, refused with the form's field named.</summary>
public sealed class ProviderFormsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static ServiceProvider Services(Installation installation) =>
        new ServiceCollection().AddSingleton(installation).AddCustodesApplication(new ConfigurationBuilder().Build()).BuildServiceProvider();

    private static readonly ProviderDetails ItProvider = new()
    {
        Name = "Granite Peak Managed IT",
        Kind = OrganizationKind.Msp,
        Services = SupplyServices.OnPremisesIt | SupplyServices.Microsoft365,
        Access = AccessLevels.AdminAllEndpoints,
        Tools = [ToolProduct.KaseyaVsa, ToolProduct.Screenconnect],
        Endpoints = 14,
        ContractStart = new DateOnly(2025, 1, 1),
        ContractEnd = new DateOnly(2027, 12, 31),
    };

    [Theory, MemberData(nameof(Providers))]
    public async Task A_practice_without_a_portfolio_adds_its_first_provider_by_form_and_the_stored_portfolio_reads_back_as_a_valid_file(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await using var services = Services(test.Installation);
        var practice = Tenant.Operator(await services.GetRequiredService<Organizations.OrganizationStore>().CreateAsync("Harbor Dental", OrganizationKinds.Customer, "test"));
        var save = services.GetRequiredService<SaveProvider>();

        var (id, version) = await save.AddAsync(practice, ItProvider, expectedVersion: 0);

        Assert.Equal("granite-peak-managed-it", id);
        Assert.Equal(1, version);
        var list = await services.GetRequiredService<CustomerProviders>().ListAsync(practice);
        var stored = Assert.Single(list.Providers);
        Assert.Equal((ItProvider.Name, ItProvider.Services, ItProvider.Access, ItProvider.Endpoints, ItProvider.ContractStart, ItProvider.ContractEnd),
            (stored.Details.Name, stored.Details.Services, stored.Details.Access, stored.Details.Endpoints, stored.Details.ContractStart, stored.Details.ContractEnd));
        Assert.Equal(ItProvider.Tools, stored.Details.Tools);
        var portfolio = (await services.GetRequiredService<PortfolioStore>().LoadAsync(practice))!;
        // The practice's own entry was made and linked to it, so inheritance and the pages find "you" in the portfolio.
        Assert.Equal(list.Entry, portfolio.EntryOf(practice.OrganizationId));
        Assert.Equal(["granite-peak-managed-it-kaseya-vsa", "granite-peak-managed-it-screenconnect"], portfolio.Portfolio.Tools.Select(t => t.Id));
        // What the form stored is what a file would hold: exported and parsed again, it passes the file's validation unchanged.
        var again = PortfolioFile.Parse(PortfolioFile.ToYaml(portfolio.Portfolio), "export.yaml");
        var (kept, read) = (portfolio.Portfolio.Relationships.Single(), again.Relationships.Single());
        Assert.Equal(kept.Tools, read.Tools);
        Assert.Equal(kept with { Tools = [] }, read with { Tools = [] });

        await using var db = test.Installation.OpenDb();
        var audited = await db.Audit.AsNoTracking().Where(a => a.Action == "portfolio.provider-added").ToListAsync();
        Assert.Contains("granite-peak-managed-it", Assert.Single(audited).After);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_form_refusal_names_the_field_and_a_stale_form_or_a_viewer_changes_nothing(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await using var services = Services(test.Installation);
        var practice = Tenant.Operator(await services.GetRequiredService<Organizations.OrganizationStore>().CreateAsync("Harbor Dental", OrganizationKinds.Customer, "test"));
        var save = services.GetRequiredService<SaveProvider>();

        async Task<string?> FieldAsync(ProviderDetails details) => (await Assert.ThrowsAsync<BadInputException>(() => save.AddAsync(practice, details, 0))).Path;
        Assert.Equal(ProviderEdits.Fields.Name, await FieldAsync(ItProvider with { Name = "  " }));
        Assert.Equal(ProviderEdits.Fields.Services, await FieldAsync(ItProvider with { Services = SupplyServices.None }));
        Assert.Equal(ProviderEdits.Fields.Endpoints, await FieldAsync(ItProvider with { Endpoints = -3 }));
        Assert.Equal(ProviderEdits.Fields.ContractEnd, await FieldAsync(ItProvider with { ContractEnd = new DateOnly(2024, 1, 1) }));
        Assert.Equal(ProviderEdits.Fields.Kind, await FieldAsync(ItProvider with { Kind = OrganizationKind.Customer }));
        Assert.Equal(ProviderEdits.Fields.Link, await FieldAsync(ItProvider with { CustodesOrganization = Guid.NewGuid().ToString() }));
        Assert.Null(await services.GetRequiredService<PortfolioStore>().VersionAsync(practice));

        var (id, version) = await save.AddAsync(practice, ItProvider, 0);
        // Someone else changed the list since this form was read: refused, nothing overwritten.
        await save.UpdateAsync(practice, id, ItProvider with { Endpoints = 20 }, version);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => save.UpdateAsync(practice, id, ItProvider with { Endpoints = 30 }, version));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => services.GetRequiredService<RemoveProvider>().RemoveAsync(practice, id, version));
        Assert.Equal(20, (await services.GetRequiredService<CustomerProviders>().ListAsync(practice)).Providers.Single().Details.Endpoints);

        var viewer = practice with { Role = Roles.Viewer };
        await Assert.ThrowsAsync<ForbiddenException>(() => save.AddAsync(viewer, ItProvider with { Name = "Other IT" }, version + 1));
        await Assert.ThrowsAsync<ForbiddenException>(() => services.GetRequiredService<RemoveProvider>().RemoveAsync(viewer, id, version + 1));
        // Another organization's provider is not found, whatever its id.
        var other = Tenant.Operator(await services.GetRequiredService<Organizations.OrganizationStore>().CreateAsync("Other Practice", OrganizationKinds.Customer, "test"));
        await Assert.ThrowsAsync<NotFoundException>(() => save.UpdateAsync(other, id, ItProvider, 0));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Changing_a_provider_keeps_its_tool_entries_and_drops_the_tools_it_no_longer_uses(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await using var services = Services(test.Installation);
        var practice = Tenant.Operator(await services.GetRequiredService<Organizations.OrganizationStore>().CreateAsync("Harbor Dental", OrganizationKinds.Customer, "test"));
        var save = services.GetRequiredService<SaveProvider>();
        var store = services.GetRequiredService<PortfolioStore>();
        var (id, version) = await save.AddAsync(practice, ItProvider, 0);

        version = await save.UpdateAsync(practice, id, ItProvider with { Name = "Granite Peak IT", Tools = [ToolProduct.KaseyaVsa, ToolProduct.Ninjaone], Services = SupplyServices.Backup }, version);

        var portfolio = (await store.LoadAsync(practice))!.Portfolio;
        Assert.Equal(["granite-peak-managed-it-kaseya-vsa", "granite-peak-managed-it-ninjaone"], portfolio.Tools.Select(t => t.Id));
        var relationship = portfolio.Relationships.Single();
        Assert.Equal(SupplyServices.Backup, relationship.Services);
        Assert.Equal(portfolio.Tools.Select(t => t.Id), relationship.Tools);
        Assert.Equal("Granite Peak IT", portfolio.Organizations.Single(o => o.Id == id).Name);
        Assert.Equal(2, version);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Linking_a_provider_found_by_its_trust_page_uses_its_letter_and_its_published_matrix(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var demo = await Testing.Demo.EnsureAsync(test.Installation);
        await using var services = Services(test.Installation);
        var msp = new Tenant(demo.MspOrganization, Roles.Owner, "user:admin@granitepeak.example");
        var ridgeline = new Tenant(demo.CustomerOrganizations[2], Roles.Owner, "user:it@ridgeline.example");
        var directory = services.GetRequiredService<ProviderDirectory>();

        // Not published: not found, though the organization exists here.
        Assert.Empty(await directory.SearchAsync(ridgeline, "granite"));
        await services.GetRequiredService<TrustPages>().PublishAsync(msp, "granite-peak");
        // The MSP records its own responsibility matrix in its own portfolio (the one its trust page shows).
        var practicePortfolio = (await services.GetRequiredService<PortfolioStore>().LoadAsync(new Tenant(demo.CustomerOrganizations[0], Roles.Owner, "test")))!;
        var matrix = practicePortfolio.Matrices["granite-peak"];
        var own = new Portfolio { Organizations = [new Organization { Id = "granite-peak", Name = DemoWorkspace.MspName, Kind = OrganizationKind.Msp, CustodesOrganization = demo.MspOrganization.ToString() }] };
        await services.GetRequiredService<PortfolioStore>().ImportAsync(msp, own, [new MatrixUpload(matrix, System.Text.Encoding.UTF8.GetString(ResponsibilityMatrixFile.ToYaml(matrix)), "crm")]);

        var found = Assert.Single(await directory.SearchAsync(ridgeline, "GRANITE peak"));
        Assert.Equal(demo.MspOrganization, found.Organization);
        Assert.True(found.HasMatrix);
        Assert.Equal(DemoWorkspace.AssessorName, found.CurrentLetter?.Issuer);
        await Assert.ThrowsAsync<BadInputException>(() => directory.SearchAsync(ridgeline, "g"));

        // Ridgeline has its own assessment; linking the MSP makes what the MSP covers count, while its letter holds.
        var assessment = AssessmentFile.Validate(DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment with
        {
            Organization = DemoWorkspace.CustomerNames[2],
            Requirements = new Dictionary<string, Finding>(StringComparer.Ordinal) { ["3.12.4"] = Finding.Of(Status.Met) },
        }, "ridgeline");
        await services.GetRequiredService<AssessmentStore>().ImportAsync(ridgeline, assessment);
        var (id, _) = await services.GetRequiredService<SaveProvider>().AddAsync(ridgeline, ItProvider with { Name = found.Name, CustodesOrganization = found.Organization.ToString() }, 0);

        var stored = (await services.GetRequiredService<PortfolioStore>().LoadAsync(ridgeline))!;
        Assert.Equal(demo.MspOrganization, stored.Links[id]);
        Assert.Equal(matrix.Requirements.Keys, stored.Matrices[id].Requirements.Keys);
        var view = (await services.GetRequiredService<CustomerInheritance>().ForAsync(ridgeline))!;
        Assert.True(view.Result.Report.Holding > 0);
        Assert.True(view.Result.Score.Counts.Met > view.OwnScore.Counts.Met, "linked, the MSP's letter and matrix count for the customer");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Removing_a_provider_says_first_what_the_score_loses_and_then_removes_it_with_its_tools_and_matrix(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        var demo = await Testing.Demo.EnsureAsync(test.Installation);
        await using var services = Services(test.Installation);
        var practice = new Tenant(demo.CustomerOrganizations[0], Roles.Owner, "user:office@smiledental.example");
        var remove = services.GetRequiredService<RemoveProvider>();

        var preview = await remove.PreviewAsync(practice, "granite-peak");

        Assert.True(preview.HasAssessment);
        Assert.True(preview.ScoreAfter < preview.ScoreBefore, $"{preview.ScoreBefore} → {preview.ScoreAfter}");
        Assert.NotEmpty(preview.RequirementsLost);
        Assert.Equal(14, preview.Reach.TotalEndpoints);
        Assert.True(preview.EntryRemoved);
        var inheritance = services.GetRequiredService<CustomerInheritance>();
        Assert.Equal(preview.ScoreBefore, (await inheritance.ForAsync(practice))!.Result.Score.Score);

        await remove.RemoveAsync(practice, "granite-peak", preview.Version);

        var stored = (await services.GetRequiredService<PortfolioStore>().LoadAsync(practice))!;
        Assert.DoesNotContain(stored.Portfolio.Organizations, o => o.Id == "granite-peak");
        Assert.DoesNotContain(stored.Portfolio.Tools, t => t.Operator == "granite-peak");
        Assert.False(stored.Matrices.ContainsKey("granite-peak"));
        // What the preview said is what happened.
        Assert.Equal(preview.ScoreAfter, (await inheritance.ForAsync(practice))!.Result.Score.Score);
        await Assert.ThrowsAsync<NotFoundException>(() => remove.PreviewAsync(practice, "granite-peak"));
    }
}

