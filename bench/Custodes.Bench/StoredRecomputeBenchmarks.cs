using System.Text;
using BenchmarkDotNet.Attributes;
using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Organizations;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.SupplyChain;
using Custodes.Testing;
using Custodes.Transparency;

namespace Custodes.Bench;

/// <summary>
/// Recomputing every dependent customer after a revocation, from the database (issue #6: ≤ 5 s on the generated 2,000 providers /
/// 50,000 customers / 200,000 relationships portfolio). The installation holds the generated portfolio, imported for an assessor firm;
/// its largest provider (20,331 direct customers) is linked to a Custodes organization with a stored assessment (the example MSP
/// assessment, 110 requirements) attested by a signed letter in the transparency log, and its generated responsibility matrix
/// (15 provider, 5 shared requirements). Each of its 20,331 customers is linked to a Custodes organization owning one stored assessment
/// of itself: the generated statuses of all 110 requirements at requirement level (about 85% met, 10% not met, 3% not applicable;
/// the ~2% unassessed have no row), so about 108 determinations each and 2.2 million in all, with no objectives, notes, evidence or
/// POA&amp;M. They are written in bulk (one transaction, without audit events) to keep the setup to minutes.
/// </summary>
/// <remarks>
/// Each iteration revokes a letter issued just before it (<see cref="IssueFresh"/>, not measured): the revocation, the log entry and
/// <see cref="LetterChanges.ProcessAsync"/> from the database — portfolio, letters, every dependent's latest assessment — down to the
/// stored notices and their audit events. Every dependent's score drops, so every iteration stores 20,331 notices.
/// </remarks>
[ShortJob]
[InvocationCount(1)]
public class StoredRecomputeBenchmarks
{
    private const string Actor = "bench";
    private const string Issuer = "Bench Assessors LLC";
    private TestInstallation _test = null!;
    private IssueLetter _issue = null!;
    private RevokeLetter _revoke = null!;
    private ParsedAssessment _providerAssessment = null!;
    private Guid _providerAssessmentId;
    private Ed25519SigningKey _key = null!;
    private Guid _letter;
    private Application.Tenant _issuer = null!;
    private int _dependents;

    [Params(DatabaseProvider.Sqlite, DatabaseProvider.Postgres)]
    public DatabaseProvider Provider { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var started = DateTime.UtcNow;
        _test = await TestInstallation.CreateAsync(Provider);
        var installation = _test.Installation;
        var clock = TimeProvider.System;
        var audit = new AuditTrail(clock);
        var organizations = new OrganizationStore(installation, audit, clock);
        var keys = new SigningKeyRegistry(installation, audit, clock);
        var log = new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), clock);
        var portfolios = new PortfolioStore(installation, audit, clock);
        _issue = new IssueLetter(installation, audit, log, keys, clock);
        _revoke = new RevokeLetter(installation, audit, log, keys, clock, new LetterChanges(installation, portfolios, new ProviderLetters(installation, keys), audit, clock));

        var chain = SyntheticSupplyChain.Generate(2_000, 50_000, 200_000);
        var graph = PortfolioGraph.Build(chain.Portfolio);
        var largest = chain.LargestProvider(graph);
        var customers = graph.RelationshipsOfProvider(graph.IndexOf(largest)).ToArray()
            .Select(r => chain.Portfolio.Relationships[r].Customer).Where(chain.Assessments.ContainsKey).Distinct().ToArray();
        _dependents = customers.Length;

        var assessor = await organizations.CreateAsync(Issuer, OrganizationKinds.Assessor, Actor);
        _issuer = new Application.Tenant(assessor, Roles.Owner, Actor);
        var providerName = chain.Portfolio.Organizations.First(o => o.Id == largest).Name;
        var provider = await organizations.CreateAsync(providerName, OrganizationKinds.Msp, Actor);
        var example = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")).Assessment with { Organization = providerName };
        _providerAssessment = AssessmentFile.Parse(AssessmentFile.ToJson(example), "provider assessment");
        _providerAssessmentId = await new AssessmentStore(installation, audit, clock).ImportAsync(new Application.Tenant(assessor, Roles.Owner, Actor), _providerAssessment);
        _key = Ed25519SigningKey.Generate();

        var linked = await StoreCustomersAsync(installation, chain, customers);
        var portfolio = chain.Portfolio with
        {
            Organizations = chain.Portfolio.Organizations.Select(o =>
                o.Id == largest ? o with { CustodesOrganization = provider.ToString() }
                : linked.TryGetValue(o.Id, out var id) ? o with { CustodesOrganization = id.ToString() }
                : o).ToArray(),
        };
        await portfolios.ImportAsync(new Application.Tenant(assessor, Roles.Owner, Actor), portfolio, [MatrixUpload.Parse(Crm(chain.Matrices[largest]), $"matrix of {largest}")]);
        Console.WriteLine($"// largest provider {largest}: {_dependents:N0} linked customers with an assessment; setup {(DateTime.UtcNow - started).TotalSeconds:F0} s");
    }

    /// <summary>One organization per customer and its assessment, in one transaction: the rows <see cref="AssessmentStore.ImportAsync"/> writes, in bulk.</summary>
    private static async Task<Dictionary<string, Guid>> StoreCustomersAsync(Installation installation, SyntheticSupplyChain chain, string[] customers)
    {
        var now = DateTime.UtcNow;
        var names = chain.Portfolio.Organizations.ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        var linked = new Dictionary<string, Guid>(StringComparer.Ordinal);
        await using var db = installation.OpenDb();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var determinations = new List<DeterminationRow>(customers.Length * 110);
        foreach (var customer in customers)
        {
            var organization = new OrganizationRow { Id = Guid.CreateVersion7(), Name = names[customer], Kind = OrganizationKinds.Customer, CreatedAt = now };
            var row = new AssessmentRow
            {
                Id = Guid.CreateVersion7(), OrganizationId = organization.Id, SubjectOrganizationId = organization.Id, Framework = "", Subject = "",
                Version = 1, CreatedAt = now, UpdatedAt = now,
            };
            AssessmentRows.Fill(row, chain.Assessments[customer].ToAssessment() with { Organization = organization.Name });
            determinations.AddRange(row.Determinations);
            row.Determinations = [];
            db.Organizations.Add(organization);
            db.Assessments.Add(row);
            linked[customer] = organization.Id;
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync();
        await DeterminationBulkInsert.InsertAsync(db, determinations, CancellationToken.None);
        await transaction.CommitAsync();
        return linked;
    }

    /// <summary>The generated matrix as a <c>custodes.crm/v1</c> file.</summary>
    private static byte[] Crm(ResponsibilityMatrix matrix)
    {
        var text = new StringBuilder($"schema: custodes.crm/v1\nprovider: {matrix.Provider}\nframework: {matrix.Framework}\nrequirements:\n");
        foreach (var (id, entry) in matrix.Requirements)
            text.Append($"  \"{id}\": {{responsibility: {InheritanceNames.Name(entry.Responsibility)}, description: \"{entry.Description}\"}}\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [IterationSetup]
    public void IssueFresh() => _letter = _issue.HandleAsync(new IssueLetterRequest
    {
        Assessment = _providerAssessment,
        Source = $"assessment {_providerAssessmentId}",
        AssessmentId = _providerAssessmentId,
        Key = _key,
        Issuer = Issuer,
        Actor = Actor,
    }).GetAwaiter().GetResult().LetterId;

    [GlobalCleanup]
    public void Cleanup()
    {
        _key.Dispose();
        _test.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "revoke the largest provider's letter and notify its 20,331 customers")]
    public async Task<int> Revoke_and_recompute()
    {
        var revoked = await _revoke.HandleAsync(_issuer, new RevokeLetterRequest(_letter, "benchmark", null));
        if (revoked.Dependents?.Notices != _dependents)
            throw new InvalidOperationException($"expected {_dependents} notices, got {revoked.Dependents?.Notices.ToString() ?? revoked.DependentsError}");
        return revoked.Dependents.Notices;
    }
}
