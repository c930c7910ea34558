namespace Custodes.SupplyChain;

/// <summary>Wire names of the portfolio's enums (contracts §8 and docs/supply-chain.md).</summary>
public static class PortfolioNames
{
    public static readonly WireNames<OrganizationKind> Kinds = new(
        (OrganizationKind.Msp, "msp"),
        (OrganizationKind.Mssp, "mssp"),
        (OrganizationKind.CloudProvider, "cloud-provider"),
        (OrganizationKind.BackupProvider, "backup-provider"),
        (OrganizationKind.SoftwareVendor, "software-vendor"),
        (OrganizationKind.Customer, "customer"),
        (OrganizationKind.Assessor, "assessor"));

    /// <summary>Data class names; <c>none</c> (the empty set) is handled apart, since it may not be combined.</summary>
    public static readonly WireNames<DataClasses> Data = new(
        (DataClasses.Cui, "CUI"),
        (DataClasses.Fci, "FCI"),
        (DataClasses.Phi, "PHI"),
        (DataClasses.Pci, "PCI"),
        (DataClasses.Pii, "PII"));

    public const string NoData = "none";

    public static readonly WireNames<Services> Services = new(
        (SupplyChain.Services.OnPremisesIt, "on-premises-it"),
        (SupplyChain.Services.Microsoft365, "microsoft-365"),
        (SupplyChain.Services.GoogleWorkspace, "google-workspace"),
        (SupplyChain.Services.Azure, "azure"),
        (SupplyChain.Services.Aws, "aws"),
        (SupplyChain.Services.GoogleCloud, "google-cloud"),
        (SupplyChain.Services.Backup, "backup"),
        (SupplyChain.Services.SecurityMonitoring, "security-monitoring"),
        (SupplyChain.Services.Network, "network"),
        (SupplyChain.Services.HelpDesk, "help-desk"),
        (SupplyChain.Services.LineOfBusinessApp, "line-of-business-app"),
        (SupplyChain.Services.Other, "other"));

    public static readonly WireNames<AccessLevels> Access = new(
        (AccessLevels.AdminAllEndpoints, "admin-all-endpoints"),
        (AccessLevels.DomainAdmin, "domain-admin"),
        (AccessLevels.CloudGlobalAdmin, "cloud-global-admin"),
        (AccessLevels.CloudAdmin, "cloud-admin"),
        (AccessLevels.BackupAdmin, "backup-admin"),
        (AccessLevels.AdminSomeEndpoints, "admin-some-endpoints"),
        (AccessLevels.Limited, "limited"),
        (AccessLevels.ReadOnly, "read-only"));

    public static readonly WireNames<ToolProduct> Products = new(
        (ToolProduct.KaseyaVsa, "kaseya-vsa"),
        (ToolProduct.ConnectwiseAutomate, "connectwise-automate"),
        (ToolProduct.Screenconnect, "screenconnect"),
        (ToolProduct.Ninjaone, "ninjaone"),
        (ToolProduct.DattoRmm, "datto-rmm"),
        (ToolProduct.NAble, "n-able"),
        (ToolProduct.Atera, "atera"),
        (ToolProduct.Syncro, "syncro"),
        (ToolProduct.Teamviewer, "teamviewer"),
        (ToolProduct.Anydesk, "anydesk"),
        (ToolProduct.Splashtop, "splashtop"),
        (ToolProduct.Logmein, "logmein"),
        (ToolProduct.Microsoft365Admin, "microsoft-365-admin"),
        (ToolProduct.AzureLighthouse, "azure-lighthouse"),
        (ToolProduct.AwsOrganizations, "aws-organizations"),
        (ToolProduct.GoogleWorkspaceAdmin, "google-workspace-admin"),
        (ToolProduct.BackupConsole, "backup-console"),
        (ToolProduct.Other, "other"));

    /// <summary>The kinds that deliver services; a relationship's provider must be one of them.</summary>
    public static bool IsProvider(this OrganizationKind kind) => kind is not (OrganizationKind.Customer or OrganizationKind.Assessor);

    /// <summary>Names of the set flags of a flags enum, in table order.</summary>
    public static IReadOnlyList<string> Names<T>(this WireNames<T> names, T flags) where T : struct, Enum
    {
        var value = Convert.ToUInt64(flags, System.Globalization.CultureInfo.InvariantCulture);
        var list = new List<string>();
        foreach (var flag in names.Values)
            if ((value & Convert.ToUInt64(flag, System.Globalization.CultureInfo.InvariantCulture)) != 0) list.Add(names.Name(flag));
        return list;
    }

    // Every combination of the five data classes, named once: reports name one per reached customer.
    private static readonly IReadOnlyList<string>[] DataNameTable = Enumerable.Range(0, 32).Select(v => Data.Names((DataClasses)v)).ToArray();

    /// <summary>Data classes as written in reports: <c>[]</c> for none or unknown.</summary>
    public static IReadOnlyList<string> DataNames(DataClasses? data) => data is { } d ? DataNameTable[(int)d & 31] : [];

    /// <summary>How much an access level lets an attacker do, 0–1; a relationship counts with its strongest level.</summary>
    /// <remarks>Admin on every endpoint, domain admin and cloud global admin are full control (ransomware on everything: Kaseya 2021);
    /// backup admin can destroy recovery; read-only still leaks data and topology.</remarks>
    public static double Weight(AccessLevels access)
    {
        if ((access & (AccessLevels.AdminAllEndpoints | AccessLevels.DomainAdmin | AccessLevels.CloudGlobalAdmin)) != 0) return 1.0;
        if ((access & AccessLevels.CloudAdmin) != 0) return 0.8;
        if ((access & AccessLevels.BackupAdmin) != 0) return 0.7;
        if ((access & AccessLevels.AdminSomeEndpoints) != 0) return 0.6;
        if ((access & AccessLevels.Limited) != 0) return 0.3;
        if ((access & AccessLevels.ReadOnly) != 0) return 0.1;
        return 0.05;
    }

    /// <summary>The strongest access level in a set (the one <see cref="Weight"/> counts), or null for none.</summary>
    public static string? Strongest(AccessLevels access)
    {
        foreach (var level in Access.Values)
            if ((access & level) != 0) return Access.Name(level);
        return null;
    }
}
