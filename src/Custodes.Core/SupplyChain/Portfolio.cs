namespace Custodes.SupplyChain;

/// <summary>Who provides what to whom, with which tools and access: the content of a <c>custodes.portfolio/v1</c> file (contracts §8).</summary>
/// <remarks>Lists keep document order so that validation errors can name <c>$.relationships[3]</c>; use <see cref="PortfolioGraph"/> for queries.</remarks>
public sealed record Portfolio
{
    public const string Schema = "custodes.portfolio/v1";

    public IReadOnlyList<Organization> Organizations { get; init; } = [];
    public IReadOnlyList<Tool> Tools { get; init; } = [];
    public IReadOnlyList<Relationship> Relationships { get; init; } = [];
}

/// <summary>An organization: a provider (MSP, cloud provider…), a customer or an assessor.</summary>
public sealed record Organization
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required OrganizationKind Kind { get; init; }
    /// <summary>Data classes the organization holds; null when not declared (treated as unknown, not as none).</summary>
    public DataClasses? Data { get; init; }
    /// <summary>How the organization is known inside tools (an RMM site, a Microsoft 365 tenant): ties watch events to customers.</summary>
    public IReadOnlyList<Tenant> Tenants { get; init; } = [];
    /// <summary>The organization's account in the Custodes installation (its id, or its exact name in a file), through which its letters and assessments are found.</summary>
    public string? CustodesOrganization { get; init; }
    /// <summary>How a provider restores its customers after a compromise (contracts §13); null when not stated (the defaults in <see cref="Recovery"/> apply).</summary>
    public Recovery? Recovery { get; init; }
}

/// <summary>A provider's capacity to restore customers at once: crews working in parallel, each restoring one customer at a time.</summary>
/// <remarks>A field left out is not stated; the schedule then assumes the default (<see cref="DefaultCrews"/>…) and says so.</remarks>
public sealed record Recovery
{
    /// <summary>Assumed when not stated: one team, as at a small MSP whose technicians all work the same incident.</summary>
    public const int DefaultCrews = 1;
    /// <summary>Assumed technician hours to re-image and restore one workstation.</summary>
    public const decimal DefaultHoursPerEndpoint = 2m;
    /// <summary>Assumed technician hours to rebuild one server and restore its data and applications.</summary>
    public const decimal DefaultHoursPerServer = 8m;

    public int? Crews { get; init; }
    public decimal? HoursPerEndpoint { get; init; }
    public decimal? HoursPerServer { get; init; }
    /// <summary>Partners (an incident-response firm, another MSP) that join with their own crews after a delay.</summary>
    public IReadOnlyList<SurgePartner> Surge { get; init; } = [];
    /// <summary>Customers the provider restores first, in this order, before the default order (critical data, then smallest first).</summary>
    public IReadOnlyList<string> Priority { get; init; } = [];
}

/// <summary>Extra crews that join a provider's recovery <see cref="StartDelayHours"/> after the compromise.</summary>
public sealed record SurgePartner
{
    public required string Name { get; init; }
    public required int Crews { get; init; }
    public decimal StartDelayHours { get; init; }
}

/// <summary>How a customer's data in a relationship is backed up: what a compromise cannot destroy, and whether a restore was ever proven.</summary>
public sealed record Backup
{
    /// <summary>Copies cannot be changed or deleted before they expire (object lock, WORM), even with the backup console's admin rights.</summary>
    public bool Immutable { get; init; }
    /// <summary>A copy is kept away from the customer's site and network.</summary>
    public bool Offsite { get; init; }
    /// <summary>The last time a restore from this backup was tested; null when never.</summary>
    public DateOnly? LastRestoreTest { get; init; }
    /// <summary>Recovery point objective: how many hours of data the customer accepts to lose.</summary>
    public decimal? RpoHours { get; init; }
    /// <summary>Recovery time objective: how many hours the customer can be down.</summary>
    public decimal? RtoHours { get; init; }
    /// <summary>The organization that runs the backup (its console can delete copies that are not immutable); null means the relationship's provider.</summary>
    public string? Provider { get; init; }
}

/// <summary>An organization's identity in one tool or platform (the <c>tenant</c> of watch events).</summary>
public sealed record Tenant
{
    public required string Id { get; init; }
    /// <summary>The tool the tenant lives in, when it is one of the portfolio's tools.</summary>
    public string? Tool { get; init; }
    public string? Name { get; init; }
}

/// <summary>One instance of a remote-management or administration tool, run by one organization.</summary>
public sealed record Tool
{
    public required string Id { get; init; }
    public required ToolProduct Product { get; init; }
    /// <summary>The organization that runs the instance (whose compromise is the tool's compromise).</summary>
    public required string Operator { get; init; }
    /// <summary>The instance's address (an on-premises VSA server, a SaaS tenant URL).</summary>
    public string? Instance { get; init; }
    public string? Name { get; init; }
}

/// <summary>A provider serving a customer. When the customer is itself a provider, the provider is its subcontractor.</summary>
public sealed record Relationship
{
    /// <summary>Optional stable id (for storage and references); unique when given.</summary>
    public string? Id { get; init; }
    public required string Customer { get; init; }
    public required string Provider { get; init; }
    public Services Services { get; init; }
    /// <summary>Tool ids through which the provider reaches the customer.</summary>
    public IReadOnlyList<string> Tools { get; init; } = [];
    public AccessLevels Access { get; init; }
    /// <summary>Customer endpoints the provider manages in this relationship; null when unknown (counted as 0).</summary>
    public int? Endpoints { get; init; }
    /// <summary>Data classes the provider can reach here; null means everything the customer holds.</summary>
    public DataClasses? Data { get; init; }
    public DateOnly? ContractStart { get; init; }
    public DateOnly? ContractEnd { get; init; }
    /// <summary>Customer servers the provider manages (and would rebuild) in this relationship; null when unknown (counted as 0).</summary>
    public int? Servers { get; init; }
    /// <summary>The backup of the customer's data in this relationship; null when none is described.</summary>
    public Backup? Backup { get; init; }
}

/// <summary>What an organization is.</summary>
public enum OrganizationKind
{
    Msp,
    Mssp,
    CloudProvider,
    BackupProvider,
    SoftwareVendor,
    Customer,
    Assessor,
}

/// <summary>Classes of sensitive data. <c>none</c> in a file is the empty set.</summary>
[Flags]
public enum DataClasses : byte
{
    None = 0,
    /// <summary>Controlled Unclassified Information (DFARS 252.204-7012, NIST SP 800-171).</summary>
    Cui = 1,
    /// <summary>Federal Contract Information (FAR 52.204-21, CMMC Level 1).</summary>
    Fci = 2,
    /// <summary>Protected Health Information (HIPAA).</summary>
    Phi = 4,
    /// <summary>Payment card data (PCI DSS).</summary>
    Pci = 8,
    /// <summary>Personally identifiable information.</summary>
    Pii = 16,
}

/// <summary>Services a provider delivers in a relationship.</summary>
[Flags]
public enum Services : ushort
{
    None = 0,
    OnPremisesIt = 1 << 0,
    Microsoft365 = 1 << 1,
    GoogleWorkspace = 1 << 2,
    Azure = 1 << 3,
    Aws = 1 << 4,
    GoogleCloud = 1 << 5,
    Backup = 1 << 6,
    SecurityMonitoring = 1 << 7,
    Network = 1 << 8,
    HelpDesk = 1 << 9,
    LineOfBusinessApp = 1 << 10,
    Other = 1 << 11,
}

/// <summary>Access a provider holds in a relationship.</summary>
[Flags]
public enum AccessLevels : ushort
{
    None = 0,
    AdminAllEndpoints = 1 << 0,
    DomainAdmin = 1 << 1,
    CloudGlobalAdmin = 1 << 2,
    CloudAdmin = 1 << 3,
    BackupAdmin = 1 << 4,
    AdminSomeEndpoints = 1 << 5,
    Limited = 1 << 6,
    ReadOnly = 1 << 7,
}

/// <summary>Remote-management, remote-access and administration products.</summary>
public enum ToolProduct
{
    KaseyaVsa,
    ConnectwiseAutomate,
    Screenconnect,
    Ninjaone,
    DattoRmm,
    NAble,
    Atera,
    Syncro,
    Teamviewer,
    Anydesk,
    Splashtop,
    Logmein,
    Microsoft365Admin,
    AzureLighthouse,
    AwsOrganizations,
    GoogleWorkspaceAdmin,
    BackupConsole,
    Other,
}
