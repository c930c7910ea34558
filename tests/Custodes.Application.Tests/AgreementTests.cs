using System.Text;
using Custodes.Agreements;
using Custodes.Application.Agreements;
using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Sharing;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Application.Watch;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Testing;
using Custodes.Transparency;
using Custodes.Watch.Detection;
using Custodes.Watch.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Custodes.Application.Tests;

public sealed class AgreementTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Actor = "test";

    private const string Portfolio = """
        schema: custodes.portfolio/v1
        organizations:
          - {id: dental-042, name: Smile Dental, kind: customer, custodes_organization: Smile Dental}
          - {id: percsoft, name: PerCSoft, kind: msp, custodes_organization: PerCSoft}
          - {id: cloudvault, name: CloudVault, kind: backup-provider}
        relationships:
          - {customer: dental-042, provider: percsoft, services: [on-premises-it]}
          - {customer: dental-042, provider: cloudvault, services: [backup]}
        """;

    private const string Agreement = """
        schema: custodes.agreement/v1
        customer: dental-042
        provider: percsoft
        signed_on: 2026-01-15
        renews_on: 2027-01-15
        notice_days: 90
        obligations:
          - {id: letter, kind: valid-attestation, framework: nist-sp800-171r2}
          - {id: score-floor, kind: minimum-score, value: -203}
          - {id: score-high, kind: minimum-score, value: 110}
          - {id: cmmc, kind: cmmc-level, cmmc_status: conditional}
          - {id: mfa, kind: mfa-on-remote-tools}
          - {id: notify, kind: incident-notice-hours, value: 72}
          - {id: audit, kind: right-to-audit}
          - {id: watched, kind: watched-rmm}
          - {id: restore, kind: restore-test-within-days, value: 180}
          - {id: immutable, kind: immutable-backup}
          - {id: insurance, kind: free-text, text: "Keeps cyber insurance of at least $1M"}
        """;

    /// <summary>A customer, its MSP (attested by an assessor, watched here, sharing its assessment) and the agreement between them, on a fake clock.</summary>
    private sealed class World : IAsyncDisposable
    {
        public required Stores Stores { get; init; }
        public required FakeTimeProvider Clock { get; init; }
        public required Tenant Assessor { get; init; }
        public required Tenant Provider { get; init; }
        public required Tenant Customer { get; init; }
        public required Guid Letter { get; init; }
        public required Guid ProviderAssessment { get; init; }
        public required CheckAgreements Check { get; init; }
        public required ImportAgreement Import { get; init; }
        public required ListAgreements List { get; init; }
        public required RevokeLetter Revoke { get; init; }
        public required AlertPublisher Alerts { get; init; }
        public required NotifyCustomerOfAlert Notify { get; init; }
        public required WatchLog Log { get; init; }
        public required ShareStore Shares { get; init; }
        public required SetObligationStatus SetStatus { get; init; }
        public required PortfolioStore Portfolios { get; init; }
        public Guid AgreementId { get; set; }

        public async Task<Dictionary<string, ObligationResult>> StatusesAsync() =>
            (await List.OwnAsync(Customer)).Single().Statuses.ToDictionary(s => s.Id);

        public async Task LogEventAsync() => await Log.AppendAsync(Provider.OrganizationId, [new WatchEvent
        {
            Time = Clock.GetUtcNow(), Source = "kaseya-vsa", Msp = "percsoft", Tenant = "dental-site", Actor = "tech1", Action = "login.success", Detail = EventDetail.Of(("n", "1")),
        }], []);

        public async Task<Guid> RaiseAsync(string rule, Severity severity)
        {
            var at = Clock.GetUtcNow();
            var published = await Alerts.PublishAsync(Provider.OrganizationId, null, new Alert
            {
                Rule = rule, Severity = severity, Msp = "percsoft", Tenants = ["dental-site"], FirstSeen = at, LastSeen = at, EventCount = 1, Summary = $"{rule} on dental-site",
            }, [], growing: false);
            return published.Stored.Id;
        }

        public ValueTask DisposeAsync() => Stores.DisposeAsync();
    }

    private static ParsedAssessment AssessmentOf(string organization, params (string Id, Status Status)[] changes)
    {
        var example = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment;
        var requirements = new Dictionary<string, Finding>(example.Requirements);
        foreach (var (id, status) in changes) requirements[id] = Finding.Of(status);
        return AssessmentFile.Validate(example with { Organization = organization, AssessedOn = new DateOnly(2026, 10, 1), Requirements = requirements }, organization);
    }

    private static async Task<World> CreateAsync(DatabaseProvider provider, DateTimeOffset? start = null)
    {
        var stores = await Stores.CreateAsync(provider);
        var installation = stores.Installation;
        var clock = new FakeTimeProvider(start ?? DateTimeOffset.UtcNow);
        var audit = new AuditTrail(clock);
        var keys = new SigningKeyRegistry(installation, audit, clock);
        var logKeys = new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions());
        var log = new TransparencyLog(installation, logKeys, clock);
        var letters = new ProviderLetters(installation, keys);
        var check = new CheckAgreements(installation, letters, clock);
        var portfolios = new PortfolioStore(installation, audit, clock, check);
        var changes = new LetterChanges(installation, portfolios, letters, audit, clock, check);

        var assessor = await stores.NewTenantAsync("Northgate Assessors");
        var percsoft = Tenant.Operator(await stores.Organizations.CreateAsync("PerCSoft", OrganizationKinds.Msp, Actor));
        var dental = Tenant.Operator(await stores.Organizations.CreateAsync("Smile Dental", OrganizationKinds.Customer, Actor));
        using var key = Ed25519SigningKey.Generate();
        var attested = AssessmentOf("PerCSoft", ("3.5.3", Status.Met));
        var attestedId = await stores.Assessments.ImportAsync(assessor, attested);
        var letter = (await new IssueLetter(installation, audit, log, keys, clock).HandleAsync(new IssueLetterRequest
        {
            Assessment = attested, Source = "assessment", AssessmentId = attestedId, Key = key, Issuer = "Northgate Assessors", Actor = Actor,
        })).LetterId;
        var own = await stores.Assessments.ImportAsync(percsoft, AssessmentOf("PerCSoft", ("3.5.3", Status.Met)));
        await portfolios.ImportAsync(dental, PortfolioFile.Parse(Encoding.UTF8.GetBytes(Portfolio), "portfolio.yaml"), []);

        var msps = new WatchMspStore(installation, audit, clock);
        await msps.EnsureAsync(percsoft.OrganizationId);
        await msps.MapTenantAsync(percsoft, "dental-site", dental.OrganizationId);
        var alertStore = new AlertStore(installation, audit, clock);
        var world = new World
        {
            Stores = stores, Clock = clock, Assessor = assessor, Provider = percsoft, Customer = dental, Letter = letter, ProviderAssessment = own, Check = check,
            Import = new ImportAgreement(installation, portfolios, check, audit, clock), List = new ListAgreements(installation),
            Revoke = new RevokeLetter(installation, audit, log, keys, clock, changes),
            Alerts = new AlertPublisher(alertStore, [new RecheckOnAlert(check)]),
            Notify = new NotifyCustomerOfAlert(installation, audit, clock, check),
            Log = new WatchLog(installation, logKeys, clock),
            Shares = new ShareStore(installation, audit, clock),
            SetStatus = new SetObligationStatus(installation, check, audit, clock),
            Portfolios = portfolios,
        };
        await world.LogEventAsync();
        await world.Shares.ShareAsync(percsoft, own, dental.OrganizationId);
        world.AgreementId = await world.Import.HandleAsync(dental, AgreementFile.Parse(Encoding.UTF8.GetBytes(Agreement), "agreement.yaml"), "agreement.yaml");
        return world;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_backup_promises_read_the_backup_the_provider_runs_as_the_portfolio_describes_it(DatabaseProvider provider)
    {
        await using var world = await CreateAsync(provider);
        var today = DateOnly.FromDateTime(world.Clock.GetUtcNow().UtcDateTime);

        // The MSP runs an immutable, offsite backup restored 30 days ago: both promises kept (the CloudVault backup is not the MSP's).
        await ImportPortfolioWithBackupAsync(world, $"{{immutable: true, offsite: true, last_restore_test: {today.AddDays(-30):yyyy-MM-dd}}}");
        var s = await world.StatusesAsync();
        Assert.Equal(ObligationState.Met, s["restore"].State);
        Assert.Equal(ObligationState.Met, s["immutable"].State);

        // Its backup is now a deletable copy last restored 200 days ago: both promises broken (180 days promised).
        await ImportPortfolioWithBackupAsync(world, $"{{immutable: false, offsite: true, last_restore_test: {today.AddDays(-200):yyyy-MM-dd}}}");
        s = await world.StatusesAsync();
        Assert.Equal(ObligationState.Breached, s["restore"].State);
        Assert.Equal(ObligationState.Breached, s["immutable"].State);

        // The backup is described on the CloudVault relationship but run by the MSP (backup.provider): it is still the MSP's promise.
        var moved = Portfolio.Replace("services: [backup]}", $"services: [backup], backup: {{immutable: true, offsite: true, last_restore_test: {today.AddDays(-10):yyyy-MM-dd}, provider: percsoft}}}}", StringComparison.Ordinal);
        await world.Portfolios.ImportAsync(world.Customer, PortfolioFile.Parse(Encoding.UTF8.GetBytes(moved), "portfolio.yaml"), []);
        s = await world.StatusesAsync();
        Assert.Equal(ObligationState.Met, s["restore"].State);
        Assert.Equal(ObligationState.Met, s["immutable"].State);
    }

    private static async Task ImportPortfolioWithBackupAsync(World world, string backup)
    {
        var yaml = Portfolio.Replace("services: [on-premises-it]}", $"services: [on-premises-it], backup: {backup}}}", StringComparison.Ordinal);
        Assert.NotEqual(Portfolio, yaml);
        await world.Portfolios.ImportAsync(world.Customer, PortfolioFile.Parse(Encoding.UTF8.GetBytes(yaml), "portfolio.yaml"), []);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Each_obligation_is_checked_against_the_stored_facts_on_import(DatabaseProvider provider)
    {
        await using var world = await CreateAsync(provider);
        var s = await world.StatusesAsync();
        Assert.Equal(ObligationState.Met, s["letter"].State);
        Assert.Equal(ObligationState.Met, s["score-floor"].State);
        Assert.Equal(ObligationState.Breached, s["score-high"].State);
        Assert.Contains("below the 110 promised", s["score-high"].Reason);
        Assert.Equal(ObligationState.Met, s["mfa"].State);
        Assert.Equal(ObligationState.Met, s["notify"].State);
        Assert.Equal(ObligationState.Met, s["audit"].State);
        Assert.Equal(ObligationState.Met, s["watched"].State);
        // The backup facts are not in the portfolio: unknown, saying which field is missing.
        Assert.Equal(ObligationState.Unknown, s["restore"].State);
        Assert.Contains("last_restore_test", s["restore"].Reason);
        Assert.Equal(ObligationState.Unknown, s["immutable"].State);
        Assert.Equal(ObligationState.Unknown, s["insurance"].State);
        Assert.NotEqual(ObligationState.Unknown, s["cmmc"].State);
        // The provider sees the agreement it is the provider of, read-only.
        Assert.Equal(world.AgreementId, Assert.Single(await world.List.ProvidedAsync(world.Provider)).Id);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Revoking_the_providers_letter_breaches_the_letter_promises_and_notifies_the_customer_and_the_provider(DatabaseProvider provider)
    {
        await using var world = await CreateAsync(provider);
        world.Clock.Advance(TimeSpan.FromHours(1));
        var revoked = await world.Revoke.HandleAsync(world.Assessor, new RevokeLetterRequest(world.Letter, "Scope was misstated", null));

        var s = await world.StatusesAsync();
        foreach (var id in new[] { "letter", "score-floor", "cmmc" })
        {
            Assert.Equal(ObligationState.Breached, s[id].State);
            Assert.Equal(revoked.RevokedAt.UtcDateTime, s[id].Since!.Value.UtcDateTime, TimeSpan.FromMilliseconds(1));
            Assert.Contains("Scope was misstated", s[id].Reason);
        }
        var notices = await world.List.NoticesAsync(world.Customer);
        Assert.Contains(notices, n => n.Kind == CheckAgreements.BreachedNotice && n.ObligationId == "letter" && n.Summary.Contains("revoked", StringComparison.Ordinal));
        Assert.Single(notices, n => n.ObligationId == "score-high"); // breached since the import: noticed then, not again
        Assert.Equal(notices.Select(n => n.Id).Order(), (await world.List.NoticesAsync(world.Provider)).Select(n => n.Id).Order());

        // Checking again raises no second notice for the same breach.
        await world.Check.RecheckAllAsync();
        Assert.Equal(notices.Count, (await world.List.NoticesAsync(world.Customer)).Count);
        // Another organization sees none of it.
        var stranger = await world.Stores.NewTenantAsync("Other Dental", OrganizationKinds.Customer);
        Assert.Empty(await world.List.NoticesAsync(stranger));
        await Assert.ThrowsAsync<NotFoundException>(() => world.List.GetAsync(stranger, world.AgreementId));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Watch_promises_are_breached_by_an_open_mfa_alert_a_late_incident_notice_and_silent_logs(DatabaseProvider provider)
    {
        await using var world = await CreateAsync(provider);
        var detected = world.Clock.GetUtcNow();
        var critical = await world.RaiseAsync("mass-execution", Severity.Critical);
        await world.RaiseAsync(CheckObligations.MfaDisabledRule, Severity.High);
        var s = await world.StatusesAsync();
        Assert.Equal(ObligationState.Breached, s["mfa"].State);
        Assert.Equal(detected.UtcDateTime, s["mfa"].Since!.Value.UtcDateTime, TimeSpan.FromMilliseconds(1));
        Assert.Equal(ObligationState.Met, s["notify"].State); // still within the 72 hours

        world.Clock.Advance(TimeSpan.FromHours(5));
        var notice = await world.Notify.HandleAsync(world.Provider, critical, world.Customer.OrganizationId, "A technician's account ran a script on 40 machines; we locked it and are checking each machine.");
        Assert.Equal([notice.Id], (await world.Notify.ListAsync(world.Customer, critical)).Select(n => n.Id));
        Assert.Equal(AlertStatuses.Acknowledged, (await new AlertStore(world.Stores.Installation, new AuditTrail(world.Clock), world.Clock).GetAsync(world.Provider, critical)).Alert.Status);
        await using (var db = world.Stores.Installation.OpenDb())
            Assert.True(await db.Audit.AnyAsync(a => a.Action == "watch.alert_customer_notified" && a.EntityId == critical.ToString()));

        var second = await world.RaiseAsync("backup-destruction", Severity.Critical);
        world.Clock.Advance(TimeSpan.FromHours(73));
        await world.Check.RecheckAllAsync();
        s = await world.StatusesAsync();
        Assert.Equal(ObligationState.Breached, s["notify"].State);
        Assert.Contains(second.ToString(), s["notify"].Reason);
        Assert.Equal(ObligationState.Breached, s["watched"].State); // the last log is 78 hours old
        Assert.Equal(world.Clock.GetUtcNow().AddHours(-78).AddHours(24).UtcDateTime, s["watched"].Since!.Value.UtcDateTime, TimeSpan.FromSeconds(1));

        await world.LogEventAsync();
        await world.Check.RecheckAllAsync();
        Assert.Equal(ObligationState.Met, (await world.StatusesAsync())["watched"].State);
        // Notifying another organization's customer about an alert it does not concern is refused.
        var stranger = await world.Stores.NewTenantAsync("Other Dental", OrganizationKinds.Customer);
        await Assert.ThrowsAsync<NotFoundException>(() => world.Notify.HandleAsync(world.Provider, second, stranger.OrganizationId, "note"));
        await Assert.ThrowsAsync<BadInputException>(() => world.Notify.HandleAsync(world.Provider, second, world.Customer.OrganizationId, " "));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Right_to_audit_follows_the_share_and_free_text_the_status_set_by_hand(DatabaseProvider provider)
    {
        await using var world = await CreateAsync(provider);
        await world.Shares.RevokeAsync(world.Provider, world.ProviderAssessment, world.Customer.OrganizationId);
        await world.Check.CheckAsync(world.Customer);
        Assert.Equal(ObligationState.Breached, (await world.StatusesAsync())["audit"].State);

        await world.SetStatus.HandleAsync(world.Customer, world.AgreementId, "insurance", "met", "Certificate of insurance 2026-2027, $2M, received 2026-02-01");
        var s = await world.StatusesAsync();
        Assert.Equal(ObligationState.Met, s["insurance"].State);
        Assert.Contains("Certificate of insurance", s["insurance"].Reason);
        await world.SetStatus.HandleAsync(world.Customer, world.AgreementId, "insurance", "breached", "Policy lapsed");
        Assert.Equal(ObligationState.Breached, (await world.StatusesAsync())["insurance"].State);

        await Assert.ThrowsAsync<ConflictException>(() => world.SetStatus.HandleAsync(world.Customer, world.AgreementId, "letter", "met", "I say so"));
        await Assert.ThrowsAsync<ForbiddenException>(() => world.SetStatus.HandleAsync(world.Customer with { Role = Roles.Viewer }, world.AgreementId, "insurance", "met", "x"));
        await Assert.ThrowsAsync<NotFoundException>(() => world.SetStatus.HandleAsync(world.Provider, world.AgreementId, "insurance", "met", "x"));
        await using var db = world.Stores.Installation.OpenDb();
        Assert.Equal(2, await db.Audit.CountAsync(a => a.Action == "agreement.obligation_status_set"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Renewal_notices_come_90_60_and_30_days_before_the_notice_deadline_listing_the_breaches_of_the_term(DatabaseProvider provider)
    {
        // Renews 2027-01-15 with 90 days' notice: the deadline is 2026-10-17; notices on 2026-07-19, 2026-08-18 and 2026-09-17.
        await using var world = await CreateAsync(provider, new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        await world.Check.RecheckAllAsync();
        Assert.DoesNotContain(await world.List.NoticesAsync(world.Customer), n => n.Kind == CheckAgreements.RenewalNotice);

        var seen = new List<string>();
        for (var day = 0; day < 120; day++)
        {
            world.Clock.Advance(TimeSpan.FromDays(1));
            await world.LogEventAsync();
            await world.Check.RecheckAllAsync();
            foreach (var n in (await world.List.NoticesAsync(world.Customer)).Where(n => n.Kind == CheckAgreements.RenewalNotice && !seen.Contains(n.Summary)))
            {
                seen.Add(n.Summary);
                Assert.Equal(DateOnly.FromDateTime(world.Clock.GetUtcNow().UtcDateTime), DateOnly.FromDateTime(n.CreatedAt));
            }
        }
        Assert.Equal(3, seen.Count);
        Assert.All(seen, n => Assert.Contains("notice must be given by 2026-10-17", n));
        Assert.Contains("(90 days or less left)", seen[0]);
        Assert.Contains("(30 days or less left)", seen[2]);
        Assert.All(seen, n => Assert.Contains("Keeps an attested score of at least 110 (score-high)", n));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_agreement_must_name_a_provider_of_the_customers_own_portfolio(DatabaseProvider provider)
    {
        await using var world = await CreateAsync(provider);
        var stranger = Agreement.Replace("provider: percsoft", "provider: bigcorp");
        var e = await Assert.ThrowsAsync<BadInputException>(() => world.Import.HandleAsync(world.Customer, AgreementFile.Parse(Encoding.UTF8.GetBytes(stranger), "a.yaml"), "a.yaml"));
        Assert.Equal(("a.yaml", "$.provider"), (e.File, e.Path));
        var notProvider = Agreement.Replace("customer: dental-042\nprovider: percsoft", "customer: percsoft\nprovider: dental-042");
        await Assert.ThrowsAsync<BadInputException>(() => world.Import.HandleAsync(world.Customer, AgreementFile.Parse(Encoding.UTF8.GetBytes(notProvider), "b.yaml"), "b.yaml"));
        // A provider's operator cannot file an agreement in the customer's name: the customer entry is another organization here.
        await Assert.ThrowsAsync<BadInputException>(() => world.Import.HandleAsync(world.Provider, AgreementFile.Parse(Encoding.UTF8.GetBytes(Agreement), "c.yaml"), "c.yaml"));

        // Importing again replaces the agreement (a new version) and keeps one agreement per provider.
        var second = await world.Import.HandleAsync(world.Customer, AgreementFile.Parse(Encoding.UTF8.GetBytes(Agreement.Replace("value: 72", "value: 24")), "d.yaml"), "d.yaml");
        Assert.Equal(world.AgreementId, second);
        var stored = Assert.Single(await world.List.OwnAsync(world.Customer));
        Assert.Equal((2, 24), (stored.Version, stored.Agreement.Obligations.Single(o => o.Id == "notify").Value));
    }
}
