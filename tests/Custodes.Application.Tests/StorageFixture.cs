using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Evidence;
using Custodes.Application.Organizations;
using Custodes.Testing;

namespace Custodes.Application.Tests;

/// <summary>The stores of one fresh test installation, wired as the CLI and web app wire them.</summary>
internal sealed class Stores : IAsyncDisposable
{
    private readonly TestInstallation _test;

    private Stores(TestInstallation test)
    {
        _test = test;
        var audit = new AuditTrail(TimeProvider.System);
        Organizations = new OrganizationStore(test.Installation, audit, TimeProvider.System);
        Accounts = new AccountStore(test.Installation, audit, TimeProvider.System);
        Assessments = new AssessmentStore(test.Installation, audit, TimeProvider.System);
        Evidence = new EvidenceStore(test.Installation, audit, TimeProvider.System) { MaxBytes = 1024 * 1024 };
    }

    public Installation Installation => _test.Installation;
    public OrganizationStore Organizations { get; }
    public AccountStore Accounts { get; }
    public AssessmentStore Assessments { get; }
    public EvidenceStore Evidence { get; }

    public static async Task<Stores> CreateAsync(DatabaseProvider provider) => new(await TestInstallation.CreateAsync(provider));

    public async Task<Tenant> NewTenantAsync(string name = "Independent Assessors LLC", string kind = "assessor") =>
        Tenant.Operator(await Organizations.CreateAsync(name, kind, "test"));

    public ValueTask DisposeAsync() => _test.DisposeAsync();
}
