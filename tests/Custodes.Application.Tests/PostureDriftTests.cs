using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Application.Watch;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.SupplyChain;
using Custodes.Testing;
using Custodes.Transparency;
using Custodes.Watch.Detection;
using Microsoft.Extensions.Time.Testing;

namespace Custodes.Application.Tests;

public sealed class PostureDriftTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Actor = "test";

    private static Alert Critical(string rule, DateTimeOffset at, Severity severity = Severity.Critical) => new()
    {
        Rule = rule, Severity = severity, Msp = "granite-peak", Actor = "tech7", Tenants = ["dental-042"], FirstSeen = at, LastSeen = at, EventCount = 1,
        Summary = $"{rule} by tech7", Requirements = RuleRequirements.For(rule),
    };

    [Theory, MemberData(nameof(Providers))]
    public async Task A_critical_alert_unresolved_for_a_day_is_posture_drift_on_the_msps_letters_and_its_dependants_dashboards(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var installation = stores.Installation;
        var audit = new AuditTrail(TimeProvider.System);
        var keys = new SigningKeyRegistry(installation, audit, TimeProvider.System);
        var log = new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), TimeProvider.System);

        var assessor = await stores.NewTenantAsync("Northgate Security Assessors");
        var granite = await stores.Organizations.CreateAsync("Granite Peak Managed IT", OrganizationKinds.Msp, Actor);
        var other = await stores.Organizations.CreateAsync("Other MSP", OrganizationKinds.Msp, Actor);
        var smile = await stores.Organizations.CreateAsync("Smile Dental Group", OrganizationKinds.Customer, Actor);
        var stranger = await stores.Organizations.CreateAsync("Unrelated Practice", OrganizationKinds.Customer, Actor);

        var example = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment;
        var parsed = AssessmentFile.Validate(example with { Organization = "Granite Peak Managed IT", AssessedOn = new DateOnly(2026, 10, 1) }, "granite");
        var assessmentId = await stores.Assessments.ImportAsync(assessor, parsed);
        using var key = Ed25519SigningKey.Generate();
        var letter = (await new IssueLetter(installation, audit, log, keys, TimeProvider.System).HandleAsync(new IssueLetterRequest
        {
            Assessment = parsed, Source = $"assessment {assessmentId}", AssessmentId = assessmentId, Key = key, Issuer = "Northgate Security Assessors", Actor = Actor,
        })).LetterId;

        // Smile Dental's own portfolio names Granite Peak its IT provider.
        var customer = Tenant.Operator(smile);
        await new PortfolioStore(installation, audit, TimeProvider.System).ImportAsync(customer, new Portfolio
        {
            Organizations =
            [
                new() { Id = "granite", Name = "Granite Peak Managed IT", Kind = OrganizationKind.Msp, CustodesOrganization = granite.ToString() },
                new() { Id = "smile", Name = "Smile Dental Group", Kind = OrganizationKind.Customer, CustodesOrganization = smile.ToString() },
            ],
            Relationships = [new() { Provider = "granite", Customer = "smile" }],
        }, []);

        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var clock = new FakeTimeProvider(start);
        var alerts = new AlertStore(installation, audit, clock);
        var drifts = new PostureDrifts(installation, new PortfolioGraphs(new PortfolioStore(installation, audit, clock)), clock);
        var (mfa, _) = await alerts.SaveAsync(granite, null, Critical(RuleIds.MfaDisabled, start.AddHours(-2)), [], growing: false);
        await alerts.SaveAsync(granite, null, Critical(RuleIds.OffHoursActivity, start.AddHours(-2), Severity.High), [], growing: false);
        await alerts.SaveAsync(other, null, Critical(RuleIds.BackupDestruction, start.AddHours(-2)), [], growing: false);

        // A day is not over yet: an alert being dealt with is not drift.
        clock.Advance(TimeSpan.FromHours(23));
        Assert.Empty(await drifts.ForDependantAsync(customer));
        Assert.Empty(await drifts.ForIssuedLettersAsync(assessor));

        clock.Advance(TimeSpan.FromHours(2));
        var seen = Assert.Single(await drifts.ForDependantAsync(customer));
        Assert.Equal((mfa.Id, "Granite Peak Managed IT", RuleIds.MfaDisabled, AlertStatuses.Open), (seen.AlertId, seen.MspName, seen.Rule, seen.Status));
        Assert.Equal("3.5.3", Assert.Single(seen.Requirements).Id);
        Assert.Contains("multifactor", Assert.Single(seen.Requirements).Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(start.UtcDateTime, seen.OpenSince);
        Assert.Equal(start.UtcDateTime.AddDays(1), seen.DriftSince);
        Assert.Contains("Multi-factor", seen.Meaning, StringComparison.Ordinal);
        var onLetter = Assert.Single(await drifts.ForIssuedLettersAsync(assessor));
        Assert.Equal(letter, onLetter.Key);
        Assert.Equal(mfa.Id, Assert.Single(onLetter.Value).AlertId);
        // The MSP sees its own drift; an organization that does not rely on it sees none, nor another MSP's.
        Assert.Equal(mfa.Id, Assert.Single(await drifts.ForDependantAsync(Tenant.Operator(granite))).AlertId);
        Assert.Empty(await drifts.ForDependantAsync(Tenant.Operator(stranger)));
        Assert.Empty(await drifts.ForIssuedLettersAsync(Tenant.Operator(granite)));

        // Acknowledging says someone looked; only resolving ends the drift.
        var msp = new Tenant(granite, Roles.Owner, "user:owner@granite.test");
        var acknowledged = await alerts.SetStatusAsync(msp, mfa.Id, AlertStatuses.Acknowledged, "looking", mfa.Version);
        Assert.Equal(AlertStatuses.Acknowledged, Assert.Single(await drifts.ForDependantAsync(customer)).Status);
        await alerts.SetStatusAsync(msp, mfa.Id, AlertStatuses.Resolved, "MFA back on; the technician's account was reset", acknowledged.Version);
        Assert.Empty(await drifts.ForDependantAsync(customer));
        Assert.Empty(await drifts.ForIssuedLettersAsync(assessor));
    }
}
