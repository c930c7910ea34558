using Custodes.Assessment;
using Custodes.Storage.Accounts;
using Custodes.Storage.Assessments;
using Custodes.Storage.Evidence;
using Custodes.Storage.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Storage.Demo;

/// <summary>What the demo created: ids, sign-ins and an API key to try.</summary>
public sealed record DemoSummary(
    bool Created,
    Guid AssessorOrganization,
    Guid MspOrganization,
    IReadOnlyList<Guid> CustomerOrganizations,
    Guid Assessment,
    Guid? PriorAssessment,
    IReadOnlyList<DemoSignIn> SignIns,
    string? ApiKey);

/// <summary>A demo account.</summary>
public sealed record DemoSignIn(string Email, string Organization, string Role);

/// <summary>
/// A realistic sample installation: an assessor firm, an MSP serving dental practices and a defense subcontractor,
/// a full 110-requirement assessment of the MSP (from samples/assessments/example-msp.json) with a few gaps, a POA&amp;M and evidence,
/// and an earlier assessment to show the trend.
/// </summary>
public sealed class DemoWorkspace(Installation installation, OrganizationStore organizations, AccountStore accounts, AssessmentStore assessments, EvidenceStore evidence)
{
    public const string AssessorName = "Northgate Security Assessors LLC";
    public const string MspName = "Granite Peak Managed IT LLC";
    public static readonly string[] CustomerNames = ["Smile Dental Group", "Bayside Family Dentistry", "Ridgeline Precision Machining"];
    private const string Actor = "demo";

    /// <summary>The demo password (for every demo account), unless <c>CUSTODES_DEMO_PASSWORD</c> sets another.</summary>
    public static string Password => Environment.GetEnvironmentVariable("CUSTODES_DEMO_PASSWORD") is { Length: >= 12 } p ? p : "custodes-demo-2026";

    /// <summary>Creates the demo workspace once; a second run finds it and changes nothing.</summary>
    public async Task<DemoSummary> EnsureAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = installation.OpenDb())
        {
            var existing = await db.Organizations.AsNoTracking().Where(o => o.Name == AssessorName || o.Name == MspName || CustomerNames.Contains(o.Name)).ToListAsync(cancellationToken);
            if (existing.Any(o => o.Name == AssessorName))
            {
                var assessor = existing.First(o => o.Name == AssessorName).Id;
                var ids = await db.Assessments.AsNoTracking().Where(a => a.OrganizationId == assessor).OrderByDescending(a => a.AssessedOn).Select(a => a.Id).ToListAsync(cancellationToken);
                return new DemoSummary(false, assessor, existing.First(o => o.Name == MspName).Id, existing.Where(o => CustomerNames.Contains(o.Name)).Select(o => o.Id).ToArray(),
                    ids.FirstOrDefault(), ids.Skip(1).Cast<Guid?>().FirstOrDefault(), SignIns(), null);
            }
        }

        var assessorId = await organizations.CreateAsync(AssessorName, OrganizationKinds.Assessor, Actor, cancellationToken);
        var mspId = await organizations.CreateAsync(MspName, OrganizationKinds.Msp, Actor, cancellationToken);
        var customers = new List<Guid>();
        foreach (var name in CustomerNames) customers.Add(await organizations.CreateAsync(name, OrganizationKinds.Customer, Actor, cancellationToken));

        await accounts.CreateUserAsync("lead@northgate.example", assessorId, Roles.Owner, Password, Actor, cancellationToken);
        await accounts.CreateUserAsync("assessor@northgate.example", assessorId, Roles.Assessor, Password, Actor, cancellationToken);
        await accounts.CreateUserAsync("admin@granitepeak.example", mspId, Roles.Owner, Password, Actor, cancellationToken);
        await accounts.CreateUserAsync("office@smiledental.example", customers[0], Roles.Owner, Password, Actor, cancellationToken);
        await accounts.CreateUserAsync("it@ridgeline.example", customers[2], Roles.Owner, Password, Actor, cancellationToken);
        var (_, key) = await accounts.CreateApiKeyAsync("lead@northgate.example", assessorId, "demo", [], Actor, cancellationToken);

        var tenant = new Tenant(assessorId, Roles.Owner, Actor);
        var current = AssessmentFile.Parse(Resource("example-msp.json"), "example-msp.json");
        var prior = Prior(current.Assessment);
        var priorId = await assessments.ImportAsync(tenant, AssessmentFile.Parse(AssessmentFile.ToJson(prior), "prior assessment"), cancellationToken);
        var currentId = await assessments.ImportAsync(tenant, current, cancellationToken);

        foreach (var (file, name, targets) in EvidenceFiles)
        {
            await using var content = new MemoryStream(Resource($"evidence.{file}"));
            await evidence.AddAsync(tenant, content, file, file.EndsWith(".csv") ? "text/csv" : "text/plain", name, currentId, targets, cancellationToken);
        }
        return new DemoSummary(true, assessorId, mspId, customers, currentId, priorId, SignIns(), key);
    }

    private static readonly (string File, string Name, string[] Targets)[] EvidenceFiles =
    [
        ("rmm-mfa-policy.txt", "RMM access policy", ["3.5.3"]),
        ("cmdb-export.csv", "CMDB export", ["3.4.1"]),
        ("access-review-2026q3.txt", "Privileged access review", ["3.1.1", "3.1.2"]),
        ("firewall-ruleset.txt", "Firewall ruleset", ["3.13.1"]),
        ("incident-response-plan.txt", "Incident response plan", ["3.6.1"]),
    ];

    private static IReadOnlyList<DemoSignIn> SignIns() =>
    [
        new("lead@northgate.example", AssessorName, Roles.Owner),
        new("assessor@northgate.example", AssessorName, Roles.Assessor),
        new("admin@granitepeak.example", MspName, Roles.Owner),
        new("office@smiledental.example", CustomerNames[0], Roles.Owner),
        new("it@ridgeline.example", CustomerNames[2], Roles.Owner),
    ];

    // Six months earlier: MFA only for remote and privileged users, no FIPS crypto, two more gaps, no POA&M yet.
    private static Assessment.Assessment Prior(Assessment.Assessment current)
    {
        var requirements = new Dictionary<string, Finding>(current.Requirements)
        {
            ["3.5.3"] = new() { Status = Status.NotMet, Partial = "mfa-remote-and-privileged-only", Note = "MFA on the RMM consoles, not yet on technician workstations." },
            ["3.1.12"] = new() { Status = Status.NotMet, Note = "Remote access sessions were not monitored." },
            ["3.8.9"] = new() { Status = Status.NotMet, Note = "Backup copies of CUI were not protected at the storage location." },
        };
        return current with { AssessedOn = new DateOnly(2026, 4, 1), Requirements = requirements, Poam = [] };
    }

    private static byte[] Resource(string name)
    {
        using var stream = typeof(DemoWorkspace).Assembly.GetManifestResourceStream($"Custodes.Demo.{name}")
            ?? throw new InvalidOperationException($"demo resource {name} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
