using BenchmarkDotNet.Attributes;
using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Organizations;
using Custodes.Assessments;
using Custodes.Testing;

namespace Custodes.Bench;

/// <summary>Importing an assessment file with evidence metadata (targets: SQLite ≤ 20 ms median, PostgreSQL ≤ 40 ms).</summary>
[ShortJob]
public class StorageBenchmarks
{
    private TestInstallation _test = null!;
    private AssessmentStore _store = null!;
    private Tenant _tenant = null!;
    private ParsedAssessment _parsed = null!;

    [Params(DatabaseProvider.Sqlite, DatabaseProvider.Postgres)]
    public DatabaseProvider Provider { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _test = TestInstallation.CreateAsync(Provider).GetAwaiter().GetResult();
        var audit = new AuditTrail(TimeProvider.System);
        _store = new AssessmentStore(_test.Installation, audit, TimeProvider.System);
        var org = new OrganizationStore(_test.Installation, audit, TimeProvider.System).CreateAsync("Bench Assessors", "assessor", "bench").GetAwaiter().GetResult();
        _tenant = Tenant.Operator(org);
        _parsed = AssessmentFile.Parse(AssessmentFile.ToJson(FullAssessment.Create()), "bench");
    }

    [GlobalCleanup]
    public void Cleanup() => _test.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "import full assessment (430 determinations)")]
    public Task<Guid> Import() => _store.ImportAsync(_tenant, _parsed);
}
