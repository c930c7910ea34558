using System.Text;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.SupplyChain;
using Custodes.Testing;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Custodes.Application.Tests;

public sealed class LetterChangesTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Actor = "test";

    private static Assessment Example() => DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment;

    /// <summary>The example assessment as another organization's, with some requirement statuses changed.</summary>
    private static ParsedAssessment AssessmentOf(string organization, DateOnly? assessedOn, params (string Id, Status Status)[] changes)
    {
        var example = Example();
        var requirements = new Dictionary<string, Finding>(example.Requirements);
        foreach (var (id, status) in changes) requirements[id] = Finding.Of(status);
        return AssessmentFile.Validate(example with { Organization = organization, AssessedOn = assessedOn, Requirements = requirements }, organization);
    }

    private static MatrixUpload Matrix(string provider, params (string Id, string Responsibility)[] entries) => MatrixUpload.Parse(Encoding.UTF8.GetBytes(
        $"schema: custodes.crm/v1\nprovider: {provider}\nframework: nist-sp800-171r2\nrequirements:\n"
        + string.Concat(entries.Select(e => $"  \"{e.Id}\": {{responsibility: {e.Responsibility}, description: \"covered by {provider}\"}}\n"))), $"matrix of {provider}");

    [Theory, MemberData(nameof(Providers))]
    public async Task A_revocation_notifies_exactly_the_customers_the_one_by_one_computation_finds(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var installation = stores.Installation;
        var audit = new AuditTrail(TimeProvider.System);
        var keys = new SigningKeyRegistry(installation, audit, TimeProvider.System);
        var log = new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), TimeProvider.System);
        var issue = new IssueLetter(installation, audit, log, keys, TimeProvider.System);
        var portfolios = new PortfolioStore(installation, audit, TimeProvider.System);

        var assessor = await stores.NewTenantAsync("Northgate Assessors");
        var alpha = await stores.Organizations.CreateAsync("Alpha Managed IT", OrganizationKinds.Msp, Actor);
        var beta = await stores.Organizations.CreateAsync("Beta Backup", OrganizationKinds.Msp, Actor);
        using var key = Ed25519SigningKey.Generate();
        async Task<Guid> AttestAsync(string name)
        {
            var parsed = AssessmentOf(name, new DateOnly(2026, 10, 1));
            var id = await stores.Assessments.ImportAsync(assessor, parsed);
            return (await issue.HandleAsync(new IssueLetterRequest { Assessment = parsed, Source = $"assessment {id}", AssessmentId = id, Key = key, Issuer = "Northgate Assessors", Actor = Actor })).LetterId;
        }
        var alphaLetter = await AttestAsync("Alpha Managed IT");
        await AttestAsync("Beta Backup");

        async Task<Guid> CustomerAsync(string name, params ParsedAssessment[] assessments)
        {
            var id = await stores.Organizations.CreateAsync(name, OrganizationKinds.Customer, Actor);
            foreach (var a in assessments) await stores.Assessments.ImportAsync(Tenant.Operator(id), a);
            return id;
        }
        // Its newest own assessment counts: not the older one, nor the newer one it holds about another organization.
        var dental = await CustomerAsync("Dental One",
            AssessmentOf("Dental One", new DateOnly(2026, 1, 1), ("3.1.12", Status.NotApplicable), ("3.4.1", Status.NotMet)),
            AssessmentOf("Dental One", new DateOnly(2026, 6, 1), ("3.8.9", Status.NotMet)));
        var clinic = await CustomerAsync("Dental Two", AssessmentOf("Dental Two", new DateOnly(2026, 3, 1), ("3.5.3", Status.Met)));
        await stores.Assessments.ImportAsync(Tenant.Operator(dental), AssessmentOf("Dental Two", new DateOnly(2026, 12, 1), ("3.1.12", Status.NotApplicable)));
        // Which of two assessments counts when one has no date is the database's order, as for one organization.
        var machining = await CustomerAsync("Precision Machining",
            AssessmentOf("Precision Machining", null, ("3.4.1", Status.NotApplicable)), AssessmentOf("Precision Machining", new DateOnly(2026, 5, 1)));
        var unassessed = await CustomerAsync("No Assessment Yet");
        var unaffected = await CustomerAsync("Not Applicable Co",
            AssessmentOf("Not Applicable Co", new DateOnly(2026, 5, 1), ("3.1.12", Status.NotApplicable), ("3.4.1", Status.NotApplicable), ("3.8.9", Status.NotApplicable), ("3.5.3", Status.NotApplicable),
            ("3.13.11", Status.NotApplicable)));
        var betaOnly = await CustomerAsync("Beta Only", AssessmentOf("Beta Only", new DateOnly(2026, 5, 1)));
        // Stored before statuses were kept with each assessment: read from its determinations.
        await using (var db = installation.OpenDb())
            await db.Assessments.Where(a => a.OrganizationId == clinic).ExecuteUpdateAsync(s => s.SetProperty(a => a.Statuses, (string?)null));

        Organization Entry(string id, string name, OrganizationKind kind, Guid? linked) => new() { Id = id, Name = name, Kind = kind, CustodesOrganization = linked?.ToString() };
        Relationship Serves(string provider, string customer) => new() { Provider = provider, Customer = customer };
        await portfolios.ImportAsync(assessor, new Portfolio
        {
            Organizations =
            [
                Entry("alpha", "Alpha Managed IT", OrganizationKind.Msp, alpha), Entry("beta", "Beta Backup", OrganizationKind.BackupProvider, beta),
                Entry("gamma", "Gamma Cloud", OrganizationKind.CloudProvider, null),
                Entry("dental", "Dental One", OrganizationKind.Customer, dental), Entry("clinic", "Dental Two", OrganizationKind.Customer, clinic),
                Entry("machining", "Precision Machining", OrganizationKind.Customer, machining), Entry("unassessed", "No Assessment Yet", OrganizationKind.Customer, unassessed),
                Entry("unlinked", "Not In Custodes", OrganizationKind.Customer, null), Entry("unaffected", "Not Applicable Co", OrganizationKind.Customer, unaffected),
                Entry("beta-only", "Beta Only", OrganizationKind.Customer, betaOnly),
            ],
            Relationships =
            [
                Serves("alpha", "dental"), Serves("alpha", "clinic"), Serves("gamma", "clinic"), Serves("alpha", "machining"), Serves("beta", "machining"),
                Serves("alpha", "unassessed"), Serves("alpha", "unlinked"), Serves("alpha", "unaffected"), Serves("beta", "beta-only"),
            ],
        }, [
            Matrix("alpha", ("3.1.12", "provider"), ("3.4.1", "provider"), ("3.8.9", "provider"), ("3.1.3", "provider"), ("3.5.3", "shared"), ("3.13.11", "shared")),
            Matrix("beta", ("3.8.9", "shared"), ("3.13.11", "provider")),
            Matrix("gamma", ("3.5.3", "provider")),
        ]);
        // Alpha's own portfolio of the same customers, with another matrix: a second set of notices.
        await portfolios.ImportAsync(new Tenant(alpha, Roles.Owner, Actor), new Portfolio
        {
            Organizations =
            [
                Entry("alpha-it", "Alpha Managed IT", OrganizationKind.Msp, alpha),
                Entry("clinic", "Dental Two", OrganizationKind.Customer, clinic), Entry("machining", "Precision Machining", OrganizationKind.Customer, machining),
            ],
            Relationships = [Serves("alpha-it", "clinic"), Serves("alpha-it", "machining")],
        }, [Matrix("alpha-it", ("3.1.12", "provider"), ("3.13.11", "provider"))]);

        // What the revocation page shows before anyone confirms: the same customers, computed the same way, and nothing stored.
        var preview = await new LetterChanges(installation, portfolios, new ProviderLetters(installation, keys), audit, TimeProvider.System).PreviewRevocationAsync(assessor, alphaLetter);
        await using (var db = installation.OpenDb())
        {
            Assert.Equal(0, await db.SupplyChainNotices.CountAsync());
            Assert.Equal(0, await db.LetterChanges.CountAsync());
        }

        await new RevokeLetter(installation, audit, log, keys, TimeProvider.System).HandleAsync(assessor, new RevokeLetterRequest(alphaLetter, "Scope was misstated", null));
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
        var clock = new FakeTimeProvider(now);
        var letters = new ProviderLetters(installation, keys);
        var changes = new LetterChanges(installation, new PortfolioStore(installation, audit, clock), letters, audit, clock);

        var outcome = await changes.ProcessAsync(alphaLetter);

        LetterRow row;
        List<Notice> stored;
        await using (var db = installation.OpenDb())
        {
            row = await db.Letters.AsNoTracking().SingleAsync(l => l.Id == alphaLetter);
            stored = (await db.SupplyChainNotices.AsNoTracking().ToListAsync()).Select(n => new Notice(n.OrganizationId, n.PortfolioId, n.Customer, n.CustomerName,
                n.Provider, n.ProviderName, n.LetterId, n.Change, n.ChangedAt, n.Reason, n.ScoreBefore, n.ScoreAfter, n.CmmcLevel1Before, n.CmmcLevel1After,
                n.CmmcLevel2Before, n.CmmcLevel2After, n.Requirements)).ToList();
            Assert.Equal(stored.Count, await db.Audit.CountAsync(a => a.Action == "supply-chain.notice"));
            Assert.True((await AuditTrail.VerifyAsync(db)).Valid);
        }
        var expected = await OneByOneAsync(installation, portfolios, letters, row, [alpha], now);
        Assert.Equal(expected.OrderBy(n => n.ToString()), stored.OrderBy(n => n.ToString()));
        Assert.Equal(stored.Select(n => n.Organization).Distinct().Order(), preview.Customers.Select(c => c.OrganizationId).Order());
        foreach (var customer in preview.Customers)
            Assert.Equal(stored.Where(n => n.Organization == customer.OrganizationId).Min(n => n.ScoreAfter ?? int.MinValue), customer.ScoreAfter ?? int.MinValue);
        Assert.True(preview.ScoreDrops > 0);
        Assert.Equal(new LetterChangeOutcome(1, 2, expected.Count), outcome);
        Assert.Contains(stored, n => n.Customer == "dental" && n.Requirements.Split(',').Contains("3.1.12") && n.Requirements.Split(',').Contains("3.4.1"));
        Assert.Contains(stored, n => n.Customer == "clinic" && n.Provider == "alpha-it");
        Assert.DoesNotContain(stored, n => n.Customer is "unassessed" or "unlinked" or "unaffected" or "beta-only");
        Assert.Equal(new LetterChangeOutcome(0, 0, 0), await changes.ProcessAsync(alphaLetter));
    }

    private sealed record Notice(Guid Organization, Guid Portfolio, string Customer, string CustomerName, string Provider, string ProviderName, Guid Letter,
        string Change, DateTime ChangedAt, string? Reason, int? ScoreBefore, int? ScoreAfter, string CmmcLevel1Before, string CmmcLevel1After,
        string CmmcLevel2Before, string CmmcLevel2After, string Requirements);

    /// <summary>
    /// The notices of a letter change as computed one at a time: each provider's letter on its own, each customer's full latest
    /// assessment on its own (<see cref="CustomerInheritance.LatestOwnAssessmentAsync"/>), then <see cref="RecomputeAfterLetterChange"/>.
    /// </summary>
    private static async Task<List<Notice>> OneByOneAsync(Installation installation, PortfolioStore portfolios, ProviderLetters letters, LetterRow row,
        IReadOnlyCollection<Guid> subjects, DateTimeOffset now)
    {
        var notices = new List<Notice>();
        foreach (var portfolio in await portfolios.ContainingAsync(subjects))
        {
            var graph = PortfolioGraph.Build(portfolio.Portfolio);
            var current = new Dictionary<string, ProviderLetter>(StringComparer.Ordinal);
            foreach (var org in portfolio.Portfolio.Organizations)
                if (org.Kind.IsProvider() && portfolio.Links.TryGetValue(org.Id, out var linked) && await letters.CurrentAsync(org.Id, linked, now) is { } letter)
                    current[org.Id] = letter;
            foreach (var (provider, linked) in portfolio.Links)
            {
                if (!subjects.Contains(linked) || !portfolio.Matrices.ContainsKey(provider) || !current.TryGetValue(provider, out var held) || held.Letter.Id != row.Id) continue;
                var holding = held.State with { Revoked = false, Expired = false, ValidUntil = null };
                var states = current.ToDictionary(l => l.Key, l => l.Key == provider ? holding : l.Value.State, StringComparer.Ordinal);
                var assessments = new Dictionary<string, CompactAssessment>(StringComparer.Ordinal);
                foreach (var r in graph.RelationshipsOfProvider(graph.IndexOf(provider)).ToArray())
                {
                    var customer = portfolio.Portfolio.Relationships[r].Customer;
                    if (portfolio.Links.TryGetValue(customer, out var organization) && !assessments.ContainsKey(customer)
                        && await CustomerInheritance.LatestOwnAssessmentAsync(installation, organization, CancellationToken.None) is { } own)
                        assessments[customer] = CompactAssessment.From(own.Assessment);
                }
                var snapshot = new InheritanceSnapshot(graph, assessments, portfolio.Matrices, states);
                foreach (var c in RecomputeAfterLetterChange.Run(snapshot, held.State, DateOnly.FromDateTime(now.UtcDateTime)))
                    notices.Add(new Notice(portfolio.Links[c.Customer], portfolio.Id, c.Customer, graph.Organization(c.Customer)!.Name, provider, graph.Organization(provider)!.Name,
                        row.Id, LetterChanges.Revoked, row.RevokedAt!.Value, row.RevocationReason, c.ScoreBefore, c.ScoreAfter, c.CmmcLevel1Before, c.CmmcLevel1After,
                        c.CmmcLevel2Before, c.CmmcLevel2After, string.Join(',', c.Requirements.Where(id => assessments[c.Customer].StatusOf(id) != Status.NotApplicable))));
            }
        }
        return notices;
    }
}
