using Custodes;
using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Tests;

/// <summary>Contracts §10: a letter's issuer is an existing assessor firm, independent of the organization it attests (issue 14, item 1).</summary>
public sealed class IssuerIndependenceTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Actor = "test";
    private const string Subject = "Scenario MSP";

    private static ParsedAssessment AssessmentOf(string organization)
    {
        var example = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment;
        return AssessmentFile.Parse(AssessmentFile.ToJson(example with { Organization = organization }), organization);
    }

    private static IssueLetter Issuer(Stores stores)
    {
        var audit = new AuditTrail(TimeProvider.System);
        var log = new TransparencyLog(stores.Installation, new LogKeys(stores.Installation, new FileSigningKeyProvider(), new LogOptions()), TimeProvider.System);
        return new IssueLetter(stores.Installation, audit, log, new SigningKeyRegistry(stores.Installation, audit, TimeProvider.System), TimeProvider.System);
    }

    private static async Task<int> LettersAsync(Stores stores)
    {
        await using var db = stores.Installation.OpenDb();
        return await db.Letters.CountAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Scenario_MSP_cannot_sign_its_own_letter_by_name_nor_as_a_same_named_assessor_firm_and_nothing_is_logged(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var issue = Issuer(stores);
        using var key = Ed25519SigningKey.Generate();
        var msp = await stores.Organizations.CreateAsync(Subject, OrganizationKinds.Msp, Actor);
        var parsed = AssessmentOf(Subject);
        IssueLetterRequest As(string issuer) => new() { Assessment = parsed, Source = "scenario.json", Key = key, Issuer = issuer, Actor = Actor };

        // The issue's scenario: the MSP names itself as the issuer. Before, this created nothing and signed; now it is not an assessor firm.
        var byName = await Assert.ThrowsAsync<BadInputException>(() => issue.HandleAsync(As(Subject)));
        Assert.Contains("not an assessor firm", byName.Message);
        Assert.Contains("IT provider (MSP)", byName.Message);
        await Assert.ThrowsAsync<BadInputException>(() => issue.HandleAsync(As(msp.ToString())));

        // A name no organization has is no longer created as an assessor on the fly.
        var unknown = await Assert.ThrowsAsync<BadInputException>(() => issue.HandleAsync(As("Freshly Invented Assessors")));
        Assert.Contains("create it first", unknown.Message);
        await using (var db = stores.Installation.OpenDb())
            Assert.False(await db.Organizations.AnyAsync(o => o.Name == "Freshly Invented Assessors"));

        // The MSP registers an "assessor" of its own name: still the assessed organization.
        var twin = await stores.Organizations.CreateAsync(Subject, OrganizationKinds.Assessor, Actor);
        var self = await Assert.ThrowsAsync<ConflictOfInterestException>(() => issue.HandleAsync(As(twin.ToString())));
        Assert.Contains("is the assessed organization itself", self.Message);
        Assert.Equal(0, await LettersAsync(stores));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_firm_that_is_the_subjects_provider_or_is_managed_by_it_in_a_stored_portfolio_cannot_attest_it_and_an_unrelated_firm_can(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var issue = Issuer(stores);
        using var key = Ed25519SigningKey.Generate();
        var subject = await stores.Organizations.CreateAsync(Subject, OrganizationKinds.Msp, Actor);
        var helpful = await stores.Organizations.CreateAsync("Helpful Compliance Partners", OrganizationKinds.Assessor, Actor);
        var managed = await stores.Organizations.CreateAsync("Managed Assessors LLC", OrganizationKinds.Assessor, Actor);
        var independent = await stores.Organizations.CreateAsync("Independent Assessors LLC", OrganizationKinds.Assessor, Actor);
        var customer = await stores.Organizations.CreateAsync("Smile Dental Group", OrganizationKinds.Customer, Actor);
        // The customer's portfolio: "Helpful Compliance Partners" co-manages the MSP's security; the MSP runs the IT of "Managed Assessors LLC" (linked by name only).
        var portfolio = new Portfolio
        {
            Organizations =
            [
                new Organization { Id = "smile", Name = "Smile Dental Group", Kind = OrganizationKind.Customer, CustodesOrganization = customer.ToString() },
                new Organization { Id = "msp", Name = Subject, Kind = OrganizationKind.Msp, CustodesOrganization = subject.ToString() },
                new Organization { Id = "helpful", Name = "Helpful Compliance Partners", Kind = OrganizationKind.Mssp, CustodesOrganization = helpful.ToString() },
                new Organization { Id = "managed", Name = "Managed Assessors LLC", Kind = OrganizationKind.Assessor },
            ],
            Relationships =
            [
                new Relationship { Id = "msp-smile", Customer = "smile", Provider = "msp", Services = Services.HelpDesk },
                new Relationship { Id = "helpful-msp", Customer = "msp", Provider = "helpful", Services = Services.SecurityMonitoring },
                new Relationship { Id = "msp-managed", Customer = "managed", Provider = "msp", Services = Services.HelpDesk },
            ],
        };
        await new PortfolioStore(stores.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System).ImportAsync(Tenant.Operator(customer), portfolio, [], Actor);
        var parsed = AssessmentOf(Subject);
        IssueLetterRequest As(Guid issuer) => new() { Assessment = parsed, Source = "scenario.json", Key = key, Issuer = issuer.ToString(), Actor = Actor };

        var provides = await Assert.ThrowsAsync<ConflictOfInterestException>(() => issue.HandleAsync(As(helpful)));
        Assert.Contains("'Helpful Compliance Partners' is a provider of 'Scenario MSP' (Smile Dental Group's portfolio)", provides.Message);
        var isManaged = await Assert.ThrowsAsync<ConflictOfInterestException>(() => issue.HandleAsync(As(managed)));
        Assert.Contains("'Managed Assessors LLC' is managed by 'Scenario MSP'", isManaged.Message);
        Assert.Equal(0, await LettersAsync(stores));

        var letter = await issue.HandleAsync(As(independent) with { LeadAssessor = "Ana Ruiz", C3paoId = "C3PAO-0042" });
        var predicate = LetterPredicate.FromJson(InTotoStatement.Parse(letter.Bundle.Envelope.Payload.Span).Predicate);
        Assert.Equal(new LetterAssessor { Organization = "Independent Assessors LLC", C3paoId = "C3PAO-0042", LeadAssessor = "Ana Ruiz" }, predicate.Assessor);
        Assert.Equal(LetterText.DefaultIndependence, predicate.Independence);
    }
}
