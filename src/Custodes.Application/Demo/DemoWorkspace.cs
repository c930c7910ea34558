using System.Text;
using Custodes.Application.Accounts;
using Custodes.Application.Assessments;
using Custodes.Application.Evidence;
using Custodes.Application.Letters;
using Custodes.Application.Organizations;
using Custodes.Application.SupplyChain;
using Custodes.Application.Trust;
using Custodes.Assessments;
using Custodes.Attestation;
using Custodes.SupplyChain;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Demo;

/// <summary>What the demo created: ids, sign-ins and an API key to try.</summary>
public sealed record DemoSummary(
    bool Created,
    Guid AssessorOrganization,
    Guid MspOrganization,
    IReadOnlyList<Guid> CustomerOrganizations,
    Guid Assessment,
    Guid? PriorAssessment,
    IReadOnlyList<DemoSignIn> SignIns,
    string? ApiKey,
    Guid? Letter = null,
    string? SigningKeyFile = null);

/// <summary>A demo account.</summary>
public sealed record DemoSignIn(string Email, string Organization, string Role);

/// <summary>
/// A realistic sample installation: an assessor firm, an MSP serving dental practices and a defense subcontractor,
/// a full 110-requirement assessment of the MSP (from samples/assessments/example-msp.json) with a few gaps, a POA&amp;M and evidence,
/// and an earlier assessment to show the trend. Its supply chain: the assessor firm's signing key and a letter attesting the MSP's
/// assessment (in the transparency log), and Smile Dental Group's portfolio — the attested MSP and a backup provider without a letter,
/// the MSP's responsibility matrix — with the practice's own assessment, so the practice inherits what the MSP covers. The MSP keeps
/// its own portfolio: 43 practices and shops behind one VSA, its restore crews and a surge partner, and each customer's servers and
/// backups (some immutable and offsite with CloudVault, some deletable, stale or missing), so its recovery page tells the 2019 story.
/// </summary>
/// <remarks>
/// With the watch services (as the CLI and the web app resolve it), Granite Peak also maps its RMM tenant <c>smile-dental</c> to the practice
/// (accepted at once: the practice's portfolio names Granite Peak) and its VSA logs a script deleting shadow copies on two of the practice's
/// computers, so the practice's home page shows a critical backup-destruction alert with what to do and whom to call. With the questionnaire
/// services it also shows posture drift — a critical alert about the MSP left open for two days — and the practice's signed cyber-insurance
/// questionnaire, which revoking the letter makes out of date.
/// </remarks>
public sealed class DemoWorkspace(Installation installation, OrganizationStore organizations, AccountStore accounts, AssessmentStore assessments, EvidenceStore evidence,
    IssueLetter issue, PortfolioStore portfolios, TrustPages trustPages, Agreements.ImportAgreement? agreements = null, Watch.WatchMspStore? watch = null,
    Watch.WatchPipeline? pipeline = null, TimeProvider? clock = null, SupplyChainQueries? queries = null, QuestionnaireStore? questionnaires = null)
{
    /// <summary>A second MSP with a published trust page: the candidate Smile Dental Group can compare with Granite Peak (Supply chain → Compare providers).</summary>
    public const string CandidateMspName = "Summit Ridge IT Services";
    public const string CandidateSlug = "summit-ridge";

    /// <summary>The practice's RMM tenant at Granite Peak, whose backup-destruction alert the demo raises.</summary>
    public const string PracticeTenant = "smile-dental";

    public const string BackupProviderName = "CloudVault Backup Inc.";

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
                var msp = existing.First(o => o.Name == MspName).Id;
                var practice = existing.First(o => o.Name == CustomerNames[0]).Id;
                var (letter, keyFile) = await EnsureSupplyChainAsync(msp, practice, ids.FirstOrDefault(), cancellationToken);
                await EnsureDriftAndQuestionnaireAsync(msp, practice, cancellationToken);
                await EnsureCandidateAsync(keyFile, cancellationToken);
                await EnsureWatchAlertAsync(msp, practice, cancellationToken);
                await EnsureMspPortfolioAsync(msp, cancellationToken);
                return new DemoSummary(false, assessor, msp, existing.Where(o => CustomerNames.Contains(o.Name)).Select(o => o.Id).ToArray(),
                    ids.FirstOrDefault(), ids.Skip(1).Cast<Guid?>().FirstOrDefault(), SignIns(), null, letter, keyFile);
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
        var priorId = await assessments.ImportAsync(tenant, AssessmentFile.Validate(prior, "prior assessment"), cancellationToken);
        var currentId = await assessments.ImportAsync(tenant, current, cancellationToken);

        foreach (var (file, name, targets) in EvidenceFiles)
        {
            await using var content = new MemoryStream(Resource($"evidence.{file}"));
            await evidence.AddAsync(tenant, content, file, file.EndsWith(".csv") ? "text/csv" : "text/plain", name, currentId, targets, cancellationToken);
        }
        var (issued, signingKey) = await EnsureSupplyChainAsync(mspId, customers[0], currentId, cancellationToken);
        await EnsureDriftAndQuestionnaireAsync(mspId, customers[0], cancellationToken);
        await EnsureCandidateAsync(signingKey, cancellationToken);
        await EnsureWatchAlertAsync(mspId, customers[0], cancellationToken);
        await EnsureMspPortfolioAsync(mspId, cancellationToken);
        return new DemoSummary(true, assessorId, mspId, customers, currentId, priorId, SignIns(), key, issued, signingKey);
    }

    /// <summary>The letter attesting the MSP's assessment and the practice's portfolio and assessment, once (also added to a demo made before them).</summary>
    private async Task<(Guid? Letter, string? KeyFile)> EnsureSupplyChainAsync(Guid mspId, Guid practiceId, Guid mspAssessment, CancellationToken cancellationToken)
    {
        var keyFile = Path.Combine(installation.KeysDirectory, "demo", "northgate-signing.key");
        if (await portfolios.VersionAsync(new Tenant(practiceId, Roles.Owner, Actor), cancellationToken) is not null)
        {
            await using var db = installation.OpenDb();
            var existing = await db.Letters.AsNoTracking().Where(l => l.Subject == MspName).OrderByDescending(l => l.IssuedAt).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(cancellationToken);
            return (existing, File.Exists(keyFile) ? keyFile : null);
        }

        // The assessor firm's key, kept in the data directory so 'custodes attest revoke --key' can sign a revocation with it.
        using var signing = Ed25519SigningKey.Generate();
        installation.EnsureDirectory(Path.GetDirectoryName(keyFile)!);
        Keys.KeyFiles.WritePrivate(keyFile, signing.ToPem(), overwrite: true);
        var mspFile = AssessmentFile.Parse(Resource("example-msp.json"), "example-msp.json");
        var letter = await issue.HandleAsync(new IssueLetterRequest
        {
            Assessment = mspFile,
            Source = $"assessment {mspAssessment}",
            AssessmentId = mspAssessment,
            Key = signing,
            Issuer = AssessorName,
            SignerName = "Ana Ruiz, Northgate",
            ValidDays = 365,
            Actor = Actor,
        }, cancellationToken);

        var own = AssessmentFile.Parse(Resource("dental-001-assessment.yaml"), "dental-001-assessment.yaml").Assessment with { Organization = CustomerNames[0] };
        await assessments.ImportAsync(new Tenant(practiceId, Roles.Owner, Actor), AssessmentFile.Validate(own, "Smile Dental Group's assessment"), cancellationToken);

        var crm = Encoding.UTF8.GetString(Resource("crm-frontrange-it.yaml")).Replace("provider: frontrange-it", "provider: granite-peak", StringComparison.Ordinal)
            .Replace("Backups to Vaultline", "Backups to CloudVault", StringComparison.Ordinal);
        var portfolio = new Portfolio
        {
            Organizations =
            [
                new Organization { Id = "smile-dental", Name = CustomerNames[0], Kind = OrganizationKind.Customer, Data = DataClasses.Phi | DataClasses.Pii, CustodesOrganization = practiceId.ToString() },
                new Organization { Id = "granite-peak", Name = MspName, Kind = OrganizationKind.Msp, CustodesOrganization = mspId.ToString(), Recovery = GraniteRecovery },
                new Organization { Id = "cloudvault", Name = BackupProviderName, Kind = OrganizationKind.BackupProvider },
            ],
            Tools =
            [
                new Tool { Id = "granite-vsa", Product = ToolProduct.KaseyaVsa, Operator = "granite-peak", Instance = "https://vsa.granitepeak.example", Name = "Granite Peak VSA" },
                new Tool { Id = "granite-screenconnect", Product = ToolProduct.Screenconnect, Operator = "granite-peak" },
                new Tool { Id = "cloudvault-console", Product = ToolProduct.BackupConsole, Operator = "cloudvault", Instance = "https://console.cloudvault.example" },
            ],
            Relationships =
            [
                new Relationship { Id = "granite-smile", Customer = "smile-dental", Provider = "granite-peak", Services = Services.OnPremisesIt | Services.Microsoft365 | Services.HelpDesk,
                    Tools = ["granite-vsa", "granite-screenconnect"], Access = AccessLevels.AdminAllEndpoints | AccessLevels.CloudGlobalAdmin, Endpoints = 14,
                    ContractStart = new DateOnly(2025, 1, 1), ContractEnd = new DateOnly(2027, 12, 31), Servers = 1 },
                new Relationship { Id = "cloudvault-smile", Customer = "smile-dental", Provider = "cloudvault", Services = Services.Backup, Tools = ["cloudvault-console"],
                    Access = AccessLevels.BackupAdmin, Endpoints = 3, Data = DataClasses.Phi | DataClasses.Pii, ContractStart = new DateOnly(2025, 6, 1),
                    Backup = new Backup { Immutable = true, Offsite = true, LastRestoreTest = Today.AddDays(-40), RpoHours = 24, RtoHours = 72 } },
            ],
        };
        await portfolios.ImportAsync(new Tenant(practiceId, Roles.Owner, Actor), portfolio, [MatrixUpload.Parse(Encoding.UTF8.GetBytes(crm), "Granite Peak responsibility matrix")], "demo portfolio", cancellationToken);
        // What Granite Peak promised the practice, checked at once: the letter and score hold, the watch and backup promises wait for their facts.
        if (agreements is not null)
            await agreements.HandleAsync(new Tenant(practiceId, Roles.Owner, Actor), Custodes.Agreements.AgreementFile.Parse(Resource("agreement-granite-smile.yaml"), "demo agreement"),
                "demo agreement", cancellationToken: cancellationToken);
        return (letter.LetterId, keyFile);
    }

    /// <summary>Once: a critical alert about the MSP raised two days ago and still open (posture drift on the practice's dashboard and the
    /// assessor's letters), and the practice's cyber-insurance questionnaire, proposed from what it inherits and signed off by its office manager.</summary>
    private async Task EnsureDriftAndQuestionnaireAsync(Guid mspId, Guid practiceId, CancellationToken cancellationToken)
    {
        if (clock is null) return;
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = installation.OpenDb())
        {
            if (!await db.WatchAlerts.AnyAsync(a => a.MspOrganizationId == mspId && a.Rule == Custodes.Watch.Detection.RuleIds.MfaDisabled, cancellationToken))
            {
                // Written as the pipeline stores it, two days back, so the demo shows drift at once (the alert page explains it).
                var seen = now.AddDays(-2).AddHours(-1);
                var id = Guid.CreateVersion7();
                db.WatchAlerts.Add(new Database.WatchAlertRow
                {
                    Id = id, MspOrganizationId = mspId, Rule = Custodes.Watch.Detection.RuleIds.MfaDisabled, Severity = (int)Custodes.Watch.Detection.Severity.Critical,
                    Msp = "granite-peak", Actor = "tech-jordan", Subject = "admin@granitepeak.example", Tenants = "smile-dental", FirstSeen = seen, LastSeen = seen,
                    EventCount = 1, Summary = "MFA disabled for admin@granitepeak.example by tech-jordan on tenant smile-dental",
                    Status = Watch.AlertStatuses.Open, Growing = false, DetectedAt = now.AddDays(-2), UpdatedAt = now.AddDays(-2), Version = 1,
                });
                db.WatchAlertTenants.Add(new Database.WatchAlertTenantRow { AlertId = id, Tenant = "smile-dental" });
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        if (queries is null || questionnaires is null) return;
        Guid? officeManager;
        await using (var db = installation.OpenDb())
        {
            if (await db.QuestionnaireResponses.AnyAsync(q => q.OrganizationId == practiceId, cancellationToken)) return;
            officeManager = await db.Users.AsNoTracking().Where(u => u.Email == "office@smiledental.example").Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
        }
        if (officeManager is null) return;
        var office = new Tenant(practiceId, Roles.Owner, "user:office@smiledental.example", officeManager);
        var proposal = await queries.ProposeAsync(office, "cyber-insurance-msp", cancellationToken);
        var draft = await questionnaires.CreateAsync(office, proposal, QuestionnaireSources.Proposed, cancellationToken: cancellationToken);
        var reviewed = await questionnaires.ReviewAsync(office, draft.Id,
            [.. proposal.Answers.Select(a => new AnswerReview(a.QuestionId, Custodes.SupplyChain.Questionnaires.ReviewState.Reviewed))], draft.Version, cancellationToken);
        await questionnaires.SignOffAsync(office, draft.Id, reviewed.Version, cancellationToken);
    }

    /// <summary>
    /// The candidate MSP, once: attested by the same firm (every requirement met), its own portfolio of two customers and its responsibility matrix,
    /// and its trust page published — what a practice weighing a switch compares with its current MSP.
    /// </summary>
    private async Task EnsureCandidateAsync(string? keyFile, CancellationToken cancellationToken)
    {
        if (keyFile is null || !File.Exists(keyFile)) return;
        await using (var db = installation.OpenDb())
            if (await db.Organizations.AsNoTracking().AnyAsync(o => o.Name == CandidateMspName, cancellationToken)) return;
        var candidateId = await organizations.CreateAsync(CandidateMspName, OrganizationKinds.Msp, Actor, cancellationToken);

        var template = AssessmentFile.Parse(Resource("example-msp.json"), "example-msp.json").Assessment;
        var catalog = Custodes.Catalogs.CatalogSet.Get(template.Framework);
        var met = template.Requirements.Where(r => r.Value.Status != Status.Met && r.Value.Status != Status.NotApplicable).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var attested = template with
        {
            Organization = CandidateMspName,
            Requirements = template.Requirements.ToDictionary(r => r.Key, r => met.Contains(r.Key) ? new Finding { Status = Status.Met, Note = "Remediated and verified." } : r.Value, StringComparer.Ordinal),
            Objectives = template.Objectives.Where(o => !met.Contains(catalog.FindObjective(o.Key)?.RequirementId ?? "")).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal),
            Poam = [],
        };
        using var signing = Ed25519SigningKey.FromPem(await File.ReadAllTextAsync(keyFile, cancellationToken));
        await issue.HandleAsync(new IssueLetterRequest
        {
            Assessment = AssessmentFile.Validate(attested, "Summit Ridge IT Services' assessment"),
            Source = "demo: Summit Ridge IT Services' assessment",
            Key = signing,
            Issuer = AssessorName,
            SignerName = "Ana Ruiz, Northgate",
            ValidDays = 365,
            Actor = Actor,
        }, cancellationToken);

        var owner = new Tenant(candidateId, Roles.Owner, Actor);
        var crm = Encoding.UTF8.GetString(Resource("crm-frontrange-it.yaml")).Replace("provider: frontrange-it", "provider: summit-ridge", StringComparison.Ordinal);
        var portfolio = new Portfolio
        {
            Organizations =
            [
                new Organization { Id = "summit-ridge", Name = CandidateMspName, Kind = OrganizationKind.Msp, CustodesOrganization = candidateId.ToString() },
                new Organization { Id = "harbor-pediatric", Name = "Harbor Pediatric Dental", Kind = OrganizationKind.Customer, Data = DataClasses.Phi },
                new Organization { Id = "lakeside-ortho", Name = "Lakeside Orthodontics", Kind = OrganizationKind.Customer, Data = DataClasses.Phi },
            ],
            Relationships =
            [
                new Relationship { Id = "summit-harbor", Customer = "harbor-pediatric", Provider = "summit-ridge", Services = Services.OnPremisesIt | Services.HelpDesk, Access = AccessLevels.AdminAllEndpoints, Endpoints = 9 },
                new Relationship { Id = "summit-lakeside", Customer = "lakeside-ortho", Provider = "summit-ridge", Services = Services.OnPremisesIt | Services.HelpDesk, Access = AccessLevels.AdminAllEndpoints, Endpoints = 6 },
            ],
        };
        await portfolios.ImportAsync(owner, portfolio, [MatrixUpload.Parse(Encoding.UTF8.GetBytes(crm), "Summit Ridge responsibility matrix")], "demo portfolio", cancellationToken);
        await trustPages.PublishAsync(owner, CandidateSlug, cancellationToken);
    }

    /// <summary>Granite Peak's RMM logs a script deleting shadow copies on the practice's computers an hour ago, once (when the watch services are given).</summary>
    private async Task EnsureWatchAlertAsync(Guid mspId, Guid practiceId, CancellationToken cancellationToken)
    {
        if (watch is null || pipeline is null) return;
        await using (var db = installation.OpenDb())
            if (await db.WatchTenants.AnyAsync(t => t.MspOrganizationId == mspId && t.Tenant == PracticeTenant, cancellationToken)) return;
        var msp = new Tenant(mspId, Roles.Owner, Actor);
        var profile = await watch.ProfileAsync(msp, cancellationToken);
        await watch.MapTenantAsync(msp, PracticeTenant, practiceId, cancellationToken);
        var at = (clock ?? TimeProvider.System).GetUtcNow().AddHours(-1);
        var events = new[] { "FRONTDESK-01", "RECEPTION" }.Select((computer, i) => new Custodes.Watch.Events.WatchEvent
        {
            Time = at.AddSeconds(25 * i), Source = "kaseya-vsa", Msp = profile.EventName, Tenant = PracticeTenant, Actor = "tech02", ActorIp = "203.0.113.9",
            Action = Custodes.Watch.Events.EventActions.ScriptRun, Target = computer,
            Detail = Custodes.Watch.Events.EventDetail.From([new("script", "Maint-1207"), new("command_line", "vssadmin delete shadows /all /quiet")]),
        }).ToArray();
        await pipeline.IngestAsync(mspId, events, [], cancellationToken);
        await pipeline.FlushAsync(mspId, cancellationToken);
    }

    private DateOnly Today => DateOnly.FromDateTime((clock ?? TimeProvider.System).GetUtcNow().UtcDateTime);

    /// <summary>Granite Peak's stated capacity: three crews, and a regional incident-response firm that sends three more after a day and a half.</summary>
    private static readonly Recovery GraniteRecovery = new()
    {
        Crews = 3, HoursPerEndpoint = 1.5m, HoursPerServer = 6,
        Surge = [new SurgePartner { Name = "Summit Incident Response", Crews = 3, StartDelayHours = 36 }],
    };

    private static readonly string[] PracticeNames =
        ["Aspen", "Bluebird", "Canyon", "Cedar", "Elk Ridge", "Foothills", "Gateway", "Highland", "Juniper", "Larkspur",
         "Meadow", "Mesa", "Pine Hollow", "Red Rock", "Riverbend", "Sage", "Summit", "Timberline", "Valley View", "Willow"];

    /// <summary>The MSP's own portfolio, once: everyone its VSA reaches, with their servers and backups (also added to a demo made before it).</summary>
    private async Task EnsureMspPortfolioAsync(Guid mspId, CancellationToken cancellationToken)
    {
        var owner = new Tenant(mspId, Roles.Owner, Actor);
        if (await portfolios.VersionAsync(owner, cancellationToken) is not null) return;
        var today = Today;
        var organizations = new List<Organization>
        {
            new() { Id = "granite-peak", Name = MspName, Kind = OrganizationKind.Msp, CustodesOrganization = mspId.ToString(), Recovery = GraniteRecovery },
            new() { Id = "cloudvault", Name = BackupProviderName, Kind = OrganizationKind.BackupProvider },
            new() { Id = "smile-dental", Name = CustomerNames[0], Kind = OrganizationKind.Customer, Data = DataClasses.Phi | DataClasses.Pii },
            new() { Id = "bayside-dentistry", Name = CustomerNames[1], Kind = OrganizationKind.Customer, Data = DataClasses.Phi | DataClasses.Pii },
            new() { Id = "ridgeline-machining", Name = CustomerNames[2], Kind = OrganizationKind.Customer, Data = DataClasses.Cui | DataClasses.Fci | DataClasses.Pii },
        };
        var relationships = new List<Relationship>
        {
            Managed("smile-dental", 14, 1, null),
            new() { Customer = "smile-dental", Provider = "cloudvault", Services = Services.Backup, Tools = ["cloudvault-console"], Access = AccessLevels.BackupAdmin,
                Backup = new Backup { Immutable = true, Offsite = true, LastRestoreTest = today.AddDays(-40), RpoHours = 24, RtoHours = 72 } },
            // Bayside's backup is a NAS in the office run through Granite Peak's console: the attack encrypts it with everything else.
            Managed("bayside-dentistry", 9, 1, new Backup { LastRestoreTest = today.AddDays(-300) }),
            Managed("ridgeline-machining", 35, 3, new Backup { Immutable = true, Offsite = true, LastRestoreTest = today.AddDays(-20), RtoHours = 48, Provider = "cloudvault" }),
        };
        for (var i = 0; i < 2 * PracticeNames.Length; i++)
        {
            var id = $"practice-{i + 1:D2}";
            organizations.Add(new Organization { Id = id, Name = $"{PracticeNames[i % PracticeNames.Length]} {(i < PracticeNames.Length ? "Dental" : "Family Dentistry")}", Kind = OrganizationKind.Customer, Data = DataClasses.Phi | DataClasses.Pii });
            // Five kinds of backup, as MSPs' customers have them: none, deletable by the MSP, sound with CloudVault, not tested in a year, immutable but in the office.
            var backup = (i % 5) switch
            {
                0 => null,
                1 => new Backup { Offsite = true, LastRestoreTest = today.AddDays(-(30 + i)) },
                2 => new Backup { Immutable = true, Offsite = true, LastRestoreTest = today.AddDays(-(10 + i * 2)), RtoHours = 72, Provider = "cloudvault" },
                3 => new Backup { Immutable = true, Offsite = true, LastRestoreTest = today.AddDays(-(200 + i)), Provider = "cloudvault" },
                _ => new Backup { Immutable = true, LastRestoreTest = today.AddDays(-(60 + i)), RtoHours = 48 },
            };
            relationships.Add(Managed(id, 4 + i * 7 % 17, 1 + i % 2, backup));
        }
        var portfolio = new Portfolio
        {
            Organizations = organizations,
            Tools =
            [
                new Tool { Id = "granite-vsa", Product = ToolProduct.KaseyaVsa, Operator = "granite-peak", Instance = "https://vsa.granitepeak.example", Name = "Granite Peak VSA" },
                new Tool { Id = "granite-screenconnect", Product = ToolProduct.Screenconnect, Operator = "granite-peak" },
                new Tool { Id = "cloudvault-console", Product = ToolProduct.BackupConsole, Operator = "cloudvault", Instance = "https://console.cloudvault.example" },
            ],
            Relationships = relationships,
        };
        await portfolios.ImportAsync(owner, portfolio, [], "demo MSP portfolio", cancellationToken);

        static Relationship Managed(string customer, int endpoints, int servers, Backup? backup) => new()
        {
            Customer = customer, Provider = "granite-peak", Services = Services.OnPremisesIt | Services.Backup | Services.HelpDesk, Tools = ["granite-vsa"],
            Access = AccessLevels.AdminAllEndpoints, Endpoints = endpoints, Servers = servers, Backup = backup,
        };
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
    private static Assessment Prior(Assessment current)
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
