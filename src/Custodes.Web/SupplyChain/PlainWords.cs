using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.SupplyChain;

namespace Custodes.Web.SupplyChain;

/// <summary>A code as a person reads it: a short label and one line saying what it means.</summary>
public sealed record PlainLabel(string Code, string Label, string Explanation);

/// <summary>
/// The words the supply-chain pages use for the portfolio's codes (kinds, services, access, tools), requirement statuses and inheritance,
/// written for someone who runs an office, not an IT department. The codes stay the files' and the API's; only what a page shows changes.
/// </summary>
public static class PlainWords
{
    public static readonly IReadOnlyList<(OrganizationKind Kind, PlainLabel Label)> Kinds =
    [
        (OrganizationKind.Msp, new("msp", "IT provider (managed service provider, MSP)", "Looks after your computers, network, email or accounts for a monthly fee.")),
        (OrganizationKind.Mssp, new("mssp", "Security monitoring provider (MSSP)", "Watches your systems for attacks around the clock and responds.")),
        (OrganizationKind.CloudProvider, new("cloud-provider", "Cloud provider", "Runs servers or software for you in its data centers (Microsoft, Amazon, Google…).")),
        (OrganizationKind.BackupProvider, new("backup-provider", "Backup provider", "Keeps copies of your data so you can recover after a failure or ransomware.")),
        (OrganizationKind.SoftwareVendor, new("software-vendor", "Software vendor", "Makes software you use (practice management, imaging…) and may connect to it remotely.")),
    ];

    public static readonly IReadOnlyList<(Services Service, PlainLabel Label)> Services =
    [
        (Custodes.SupplyChain.Services.OnPremisesIt, new("on-premises-it", "Computers and servers in your office", "Installs, updates and repairs the machines at your premises.")),
        (Custodes.SupplyChain.Services.Microsoft365, new("microsoft-365", "Microsoft 365", "Runs your email, Teams and Office accounts.")),
        (Custodes.SupplyChain.Services.GoogleWorkspace, new("google-workspace", "Google Workspace", "Runs your Gmail, Drive and Google accounts.")),
        (Custodes.SupplyChain.Services.Azure, new("azure", "Microsoft Azure", "Runs servers or services for you in Microsoft's cloud.")),
        (Custodes.SupplyChain.Services.Aws, new("aws", "Amazon Web Services (AWS)", "Runs servers or services for you in Amazon's cloud.")),
        (Custodes.SupplyChain.Services.GoogleCloud, new("google-cloud", "Google Cloud", "Runs servers or services for you in Google's cloud.")),
        (Custodes.SupplyChain.Services.Backup, new("backup", "Backup", "Keeps copies of your data and restores them when needed.")),
        (Custodes.SupplyChain.Services.SecurityMonitoring, new("security-monitoring", "Security monitoring", "Watches for attacks and alerts or responds.")),
        (Custodes.SupplyChain.Services.Network, new("network", "Network and firewall", "Runs your internet connection, Wi-Fi and firewall.")),
        (Custodes.SupplyChain.Services.HelpDesk, new("help-desk", "Help desk", "Answers your staff's calls and fixes their problems.")),
        (Custodes.SupplyChain.Services.LineOfBusinessApp, new("line-of-business-app", "Practice or business software", "Supports software you run your business on (scheduling, charts, billing).")),
        (Custodes.SupplyChain.Services.Other, new("other", "Something else", "Any other service.")),
    ];

    public static readonly IReadOnlyList<(AccessLevels Access, PlainLabel Label)> Access =
    [
        (AccessLevels.AdminAllEndpoints, new("admin-all-endpoints", "Full control of every computer", "Can install and run anything on all your machines: the most an attacker could use.")),
        (AccessLevels.DomainAdmin, new("domain-admin", "Full control of your network accounts", "Can create, change or lock any user account in your office network.")),
        (AccessLevels.CloudGlobalAdmin, new("cloud-global-admin", "Full control of your cloud accounts", "Global administrator of your Microsoft 365, Google or cloud tenant.")),
        (AccessLevels.CloudAdmin, new("cloud-admin", "Some control of your cloud accounts", "An administrator role in your cloud accounts, short of full control.")),
        (AccessLevels.BackupAdmin, new("backup-admin", "Control of your backups", "Can change or delete your backup copies.")),
        (AccessLevels.AdminSomeEndpoints, new("admin-some-endpoints", "Full control of some computers", "Administrator on some of your machines only (e.g. the servers).")),
        (AccessLevels.Limited, new("limited", "Limited access", "A normal user account or a narrow role.")),
        (AccessLevels.ReadOnly, new("read-only", "Can only look", "Can see settings or data but change nothing.")),
    ];

    /// <summary>Remote-management (RMM) and admin tools, grouped as a person recognizes them.</summary>
    public static readonly IReadOnlyList<(ToolProduct Product, PlainLabel Label)> Tools =
    [
        (ToolProduct.KaseyaVsa, new("kaseya-vsa", "Kaseya VSA", "remote management (RMM)")),
        (ToolProduct.ConnectwiseAutomate, new("connectwise-automate", "ConnectWise Automate", "remote management (RMM)")),
        (ToolProduct.Ninjaone, new("ninjaone", "NinjaOne", "remote management (RMM)")),
        (ToolProduct.DattoRmm, new("datto-rmm", "Datto RMM", "remote management (RMM)")),
        (ToolProduct.NAble, new("n-able", "N-able", "remote management (RMM)")),
        (ToolProduct.Atera, new("atera", "Atera", "remote management (RMM)")),
        (ToolProduct.Syncro, new("syncro", "Syncro", "remote management (RMM)")),
        (ToolProduct.Screenconnect, new("screenconnect", "ScreenConnect", "remote control")),
        (ToolProduct.Teamviewer, new("teamviewer", "TeamViewer", "remote control")),
        (ToolProduct.Anydesk, new("anydesk", "AnyDesk", "remote control")),
        (ToolProduct.Splashtop, new("splashtop", "Splashtop", "remote control")),
        (ToolProduct.Logmein, new("logmein", "LogMeIn", "remote control")),
        (ToolProduct.Microsoft365Admin, new("microsoft-365-admin", "Microsoft 365 admin center", "cloud administration")),
        (ToolProduct.AzureLighthouse, new("azure-lighthouse", "Azure Lighthouse", "cloud administration")),
        (ToolProduct.AwsOrganizations, new("aws-organizations", "AWS Organizations", "cloud administration")),
        (ToolProduct.GoogleWorkspaceAdmin, new("google-workspace-admin", "Google Workspace admin", "cloud administration")),
        (ToolProduct.BackupConsole, new("backup-console", "Backup console", "backup administration")),
        (ToolProduct.Other, new("other", "Another tool", "any other remote tool")),
    ];

    public static string Kind(OrganizationKind kind) => Kinds.FirstOrDefault(k => k.Kind == kind).Label?.Label ?? kind switch
    {
        OrganizationKind.Customer => "Customer",
        OrganizationKind.Assessor => "Assessor",
        _ => PortfolioNames.Kinds.Name(kind),
    };

    public static string ServiceNames(Services services) => Join(Services.Where(s => (services & s.Service) != 0).Select(s => s.Label.Label));

    public static string AccessNames(AccessLevels access) => Join(Access.Where(a => (access & a.Access) != 0).Select(a => a.Label.Label));

    public static string Tool(ToolProduct product) => Tools.First(t => t.Product == product).Label.Label;

    /// <summary>A requirement status in three words a person knows: fixed, not yet, partly — and "does not apply", "not checked".</summary>
    public static string Status(Status status, bool partial = false) => status switch
    {
        Custodes.Assessments.Status.Met => "fixed",
        Custodes.Assessments.Status.NotMet when partial => "partly",
        Custodes.Assessments.Status.NotMet => "not yet",
        Custodes.Assessments.Status.NotApplicable => "does not apply",
        _ => "not checked",
    };

    /// <summary>What "inherited" means for one requirement's provider claim, in words.</summary>
    public static string Cause(InheritanceCause cause) => cause switch
    {
        InheritanceCause.Holds => "covered: their letter confirms it",
        InheritanceCause.NoLetter => "not confirmed: they have no letter here",
        InheritanceCause.SignatureInvalid => "not confirmed: their letter's signature does not check out",
        InheritanceCause.LetterRevoked => "not confirmed: their letter was revoked",
        InheritanceCause.LetterExpired => "not confirmed: their letter has expired",
        InheritanceCause.FrameworkMismatch => "not confirmed: their letter is about another standard",
        InheritanceCause.NotMetByProvider => "not confirmed: their own assessment found it not yet fixed",
        _ => InheritanceNames.Name(cause),
    };

    /// <summary>Who is responsible for a requirement, in words.</summary>
    public static string Responsibility(Responsibility responsibility) => responsibility switch
    {
        Custodes.SupplyChain.Responsibility.Provider => "your provider does it",
        Custodes.SupplyChain.Responsibility.Shared => "shared between you and your provider",
        _ => "you do it",
    };

    /// <summary>The CMMC Level 2 status of a score, in words (the code stays in files and the API).</summary>
    public static string CmmcLevel2(string? status) => status switch
    {
        "final" => "meets Level 2",
        "conditional" => "meets Level 2 on condition (open items to fix within 180 days)",
        "no-status" => "does not meet Level 2 yet",
        null => "unknown",
        _ => status,
    };

    /// <summary>The CMMC Level 1 status, in words.</summary>
    public static string CmmcLevel1(string? status) => status switch
    {
        "final" => "meets Level 1",
        "no-status" => "does not meet Level 1 yet",
        null => "unknown",
        _ => status,
    };

    /// <summary>A requirement id with its short title ("3.1.12 Monitor and control remote access sessions"), from the catalog of the r2 family.</summary>
    public static string Requirement(string id, string framework = Frameworks.NistR2)
    {
        var requirement = (CatalogSet.Find(framework) ?? CatalogSet.Find(Frameworks.NistR2))?.Find(id);
        if (requirement is null) return id;
        var title = requirement.Title ?? Shorten(requirement.Text);
        return $"{requirement.Id} {title}";
    }

    /// <summary>A requirement's full text (for a tooltip beside its short title), or its id when the catalog does not know it.</summary>
    public static string RequirementText(string id, string framework = Frameworks.NistR2) =>
        (CatalogSet.Find(framework) ?? CatalogSet.Find(Frameworks.NistR2))?.Find(id)?.Text ?? id;

    /// <summary>Data classes in words (PHI → "patient health records (PHI)").</summary>
    public static string Data(IEnumerable<string> classes) => Join(classes.Select(c => c switch
    {
        "PHI" => "patient health records (PHI)",
        "PII" => "personal details (PII)",
        "PCI" => "payment card data (PCI)",
        "CUI" => "controlled government information (CUI)",
        "FCI" => "federal contract information (FCI)",
        _ => c,
    }));

    private static string Shorten(string text)
    {
        var sentence = text.Split('.', 2)[0];
        return sentence.Length <= 90 ? sentence : sentence[..87].TrimEnd() + "…";
    }

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "none given" : string.Join(", ", list);
    }
}
