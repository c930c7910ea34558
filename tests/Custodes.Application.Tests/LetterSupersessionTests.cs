using System.Text;
using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Assessments;
using Custodes.Assessments.Poam;
using Custodes.Attestation;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Testing;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Tests;

/// <summary>Conditional → final: a closeout letter supersedes the conditional one (not a revocation); an unmet closeout expires it.</summary>
public sealed class LetterSupersessionTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Actor = "test";
    private const string Provider = "Alpha Managed IT";
    private static readonly DateOnly AssessedOn = new(2026, 10, 1);

    /// <summary>A complete assessment of the provider: every objective met, except (when conditional) one 1-point requirement on the POA&amp;M.</summary>
    private static ParsedAssessment AssessmentOf(string organization, bool conditional, DateOnly assessedOn)
    {
        var open = CatalogSet.NistR2.Requirements.First(r => r.Points == 1 && !PoamRules.NeverOnPoam.Contains(r.Id));
        var objectives = CatalogSet.NistR2.Requirements.SelectMany(r => r.Objectives).ToDictionary(o => o,
            o => Finding.Of(conditional && o == open.Objectives[0] ? Status.NotMet : Status.Met), StringComparer.Ordinal);
        var assessment = new Assessment
        {
            Framework = Frameworks.NistR2,
            Organization = organization,
            Scope = "Corporate network and RMM platform",
            AssessedOn = assessedOn,
            Ssp = true,
            Objectives = objectives,
            Poam = conditional ? [new PoamItem { Id = open.Id, PlannedCompletion = assessedOn.AddDays(90), Milestones = "Remediate and re-test" }] : [],
        };
        return AssessmentFile.Parse(AssessmentFile.ToJson(assessment), organization);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed record World(Stores Stores, Clock Clock, AuditTrail Audit, IssueLetter Issue, LetterStore Letters, LetterChanges Changes, ProviderLetters ProviderLetters,
        PortfolioStore Portfolios, Guid Customer, Tenant Assessor, Ed25519SigningKey Key) : IAsyncDisposable
    {
        public async Task<Guid> IssueAsync(bool conditional, DateOnly assessedOn, Guid? supersedes = null, string organization = Provider)
        {
            var parsed = AssessmentOf(organization, conditional, assessedOn);
            var id = await Stores.Assessments.ImportAsync(Assessor, parsed);
            return (await Issue.HandleAsync(new IssueLetterRequest
            {
                Assessment = parsed, Source = $"assessment {id}", AssessmentId = id, Key = Key, Issuer = "Northgate Assessors", Supersedes = supersedes, Actor = Actor,
            })).LetterId;
        }

        /// <summary>Whether the customer's inherited requirement holds now, and through which letter.</summary>
        public async Task<(InheritanceCause Cause, Guid Letter)> InheritedAsync()
        {
            var portfolio = (await Portfolios.LoadAsync(Tenant.Operator(Customer)))!;
            var held = (await ProviderLetters.ForAsync(portfolio, Clock.GetUtcNow()))["alpha"];
            return (held.State.Check(DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime)), held.Letter.Id);
        }

        public async ValueTask DisposeAsync()
        {
            Key.Dispose();
            await Stores.DisposeAsync();
        }
    }

    private static async Task<World> WorldAsync(DatabaseProvider provider)
    {
        var stores = await Stores.CreateAsync(provider);
        var clock = new Clock(new DateTimeOffset(2026, 10, 2, 9, 0, 0, TimeSpan.Zero));
        var installation = stores.Installation;
        var audit = new AuditTrail(clock);
        var keys = new SigningKeyRegistry(installation, audit, clock);
        var log = new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), clock);
        var issue = new IssueLetter(installation, audit, log, keys, clock);
        var portfolios = new PortfolioStore(installation, audit, clock);
        var providerLetters = new ProviderLetters(installation, keys);
        var changes = new LetterChanges(installation, portfolios, providerLetters, audit, clock);
        var assessor = await stores.NewTenantAsync("Northgate Assessors");
        var alpha = await stores.Organizations.CreateAsync(Provider, OrganizationKinds.Msp, Actor);
        var customer = await stores.Organizations.CreateAsync("Dental One", OrganizationKinds.Customer, Actor);
        // The customer relies on Alpha for 3.1.12 (and has not met it itself): its score depends on Alpha's letter holding.
        var own = AssessmentOf("Dental One", conditional: false, AssessedOn);
        var requirements = new Dictionary<string, Finding>(StringComparer.Ordinal);
        var objectives = own.Assessment.Objectives.Where(o => !o.Key.StartsWith("3.1.12[", StringComparison.Ordinal)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        requirements["3.1.12"] = Finding.Of(Status.NotMet);
        await stores.Assessments.ImportAsync(Tenant.Operator(customer), AssessmentFile.Parse(AssessmentFile.ToJson(own.Assessment with { Objectives = objectives, Requirements = requirements }), "Dental One"));
        await portfolios.ImportAsync(Tenant.Operator(customer), new Portfolio
        {
            Organizations =
            [
                new() { Id = "alpha", Name = Provider, Kind = OrganizationKind.Msp, CustodesOrganization = alpha.ToString() },
                new() { Id = "dental", Name = "Dental One", Kind = OrganizationKind.Customer, CustodesOrganization = customer.ToString() },
            ],
            Relationships = [new() { Provider = "alpha", Customer = "dental" }],
        }, [MatrixUpload.Parse(Encoding.UTF8.GetBytes("schema: custodes.crm/v1\nprovider: alpha\nframework: nist-sp800-171r2\nrequirements:\n  \"3.1.12\": {responsibility: provider, description: \"remote access gateway\"}\n"), "matrix")], Actor);
        return new World(stores, clock, audit, issue, new LetterStore(installation, clock), changes, providerLetters, portfolios, customer, assessor, Ed25519SigningKey.Generate());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_closeout_letter_supersedes_the_conditional_one_and_customers_keep_inheriting_across_the_switch(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var conditional = await world.IssueAsync(conditional: true, AssessedOn);
        var due = PoamRules.CloseoutDue(AssessedOn);
        Assert.Equal(due, (await world.Letters.FindAsync(conditional))!.CloseoutDue);
        Assert.Equal((InheritanceCause.Holds, conditional), await world.InheritedAsync());

        world.Clock.Now = world.Clock.Now.AddDays(100);
        var final = await world.IssueAsync(conditional: false, AssessedOn.AddDays(100), supersedes: conditional);

        // The old letter is superseded, not revoked; the new one signs what it replaces, so offline verifiers see it too.
        var old = await world.Letters.StatusAsync(conditional);
        Assert.Equal(LetterStatuses.Valid, old.Status);
        Assert.Equal(final, old.SupersededBy);
        Assert.Equal(conditional, (await world.Letters.StatusAsync(final)).Supersedes);
        var bundle = (await world.Letters.FileAsync(final))!.Bundle;
        var verification = LetterVerifier.Verify(bundle, world.Key.PublicKey, world.Clock.Now);
        Assert.Equal(conditional.ToString(), verification.Supersedes);
        Assert.Null(verification.PoamCloseoutDue);
        Assert.Equal(due.ToString("yyyy-MM-dd"), LetterVerifier.Verify((await world.Letters.FileAsync(conditional))!.Bundle, world.Key.PublicKey, world.Clock.Now).PoamCloseoutDue);

        // No gap: the customer inherits through the new letter at once, and the switch sends no notice.
        Assert.Equal((InheritanceCause.Holds, final), await world.InheritedAsync());
        Assert.Equal(new LetterChangeOutcome(0, 0, 0), await world.Changes.ProcessPendingAsync());

        // The closeout date passes: the superseded conditional letter is not expired, and the customer still inherits.
        world.Clock.Now = due.AddDays(2).ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);
        Assert.Empty(await world.Changes.ExpireUnmetCloseoutsAsync());
        Assert.Equal((InheritanceCause.Holds, final), await world.InheritedAsync());
        await using var db = world.Stores.Installation.OpenDb();
        Assert.Equal(0, await db.SupplyChainNotices.CountAsync());
        Assert.Single(await db.Audit.Where(a => a.Action == "letter.superseded" && a.EntityId == conditional.ToString()).ToListAsync());
        Assert.True((await AuditTrail.VerifyAsync(db)).Valid);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_unmet_closeout_expires_the_conditional_letter_with_the_reason_and_notifies_the_customers(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var conditional = await world.IssueAsync(conditional: true, AssessedOn);
        var due = PoamRules.CloseoutDue(AssessedOn);

        // On the due date itself the closeout can still happen.
        world.Clock.Now = due.ToDateTime(new TimeOnly(23, 0), DateTimeKind.Utc);
        Assert.Equal(new LetterChangeOutcome(0, 0, 0), await world.Changes.ProcessPendingAsync());
        Assert.Equal(LetterStatuses.Valid, (await world.Letters.StatusAsync(conditional)).Status);

        world.Clock.Now = due.AddDays(1).ToDateTime(new TimeOnly(1, 0), DateTimeKind.Utc);
        var outcome = await world.Changes.ProcessPendingAsync();

        var status = await world.Letters.StatusAsync(conditional);
        Assert.Equal(LetterStatuses.Expired, status.Status);
        Assert.Contains($"not closed out by {due:yyyy-MM-dd}", status.ExpiryReason);
        Assert.Equal(due.AddDays(1).ToDateTime(TimeOnly.MinValue), status.ExpiredAt);
        Assert.Equal(1, outcome.Letters);
        Assert.Equal(1, outcome.Notices);
        Assert.Equal(InheritanceCause.LetterExpired, (await world.InheritedAsync()).Cause);
        await using var db = world.Stores.Installation.OpenDb();
        var notice = await db.SupplyChainNotices.SingleAsync();
        Assert.Equal((world.Customer, LetterChanges.Expired, status.ExpiryReason), (notice.OrganizationId, notice.Change, notice.Reason));
        Assert.True(notice.ScoreAfter < notice.ScoreBefore);
        Assert.Equal(new LetterChangeOutcome(0, 0, 0), await world.Changes.ProcessPendingAsync());
        Assert.True((await AuditTrail.VerifyAsync(db)).Valid);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Superseding_refuses_another_organization_a_revoked_letter_and_a_second_replacement_and_writes_nothing(DatabaseProvider provider)
    {
        await using var world = await WorldAsync(provider);
        var conditional = await world.IssueAsync(conditional: true, AssessedOn);
        await world.Stores.Organizations.CreateAsync("Beta Backup", OrganizationKinds.Msp, Actor);

        var other = await Assert.ThrowsAsync<BadInputException>(() => world.IssueAsync(conditional: false, AssessedOn, supersedes: conditional, organization: "Beta Backup"));
        Assert.Contains("is about 'Alpha Managed IT', not 'Beta Backup'", other.Message);
        Assert.Equal("supersedes", other.Path);
        var unknown = await Assert.ThrowsAsync<BadInputException>(() => world.IssueAsync(conditional: false, AssessedOn, supersedes: Guid.NewGuid()));
        Assert.Contains("no letter", unknown.Message);

        var final = await world.IssueAsync(conditional: false, AssessedOn, supersedes: conditional);
        var again = await Assert.ThrowsAsync<ConflictException>(() => world.IssueAsync(conditional: false, AssessedOn, supersedes: conditional));
        Assert.Contains($"already superseded by letter {final}", again.Message);

        var audit = world.Audit;
        var keys = new SigningKeyRegistry(world.Stores.Installation, audit, world.Clock);
        var log = new TransparencyLog(world.Stores.Installation, new LogKeys(world.Stores.Installation, new FileSigningKeyProvider(), new LogOptions()), world.Clock);
        await new RevokeLetter(world.Stores.Installation, audit, log, keys, world.Clock).HandleAsync(world.Assessor, new RevokeLetterRequest(final, "Scope misstated", null));
        var revoked = await Assert.ThrowsAsync<ConflictException>(() => world.IssueAsync(conditional: false, AssessedOn, supersedes: final));
        Assert.Contains("revoked", revoked.Message);

        await using var db = world.Stores.Installation.OpenDb();
        // Two letters and one revocation in the log: nothing of the refused ones was written.
        Assert.Equal(2, await db.Letters.CountAsync());
        Assert.Equal(3, await db.LogEntries.CountAsync());
    }
}
