using Custodes.Catalogs;

namespace Custodes.SupplyChain;

/// <summary>Which SP 800-171 r2 requirements matter most for a customer, given the data classes it holds (used by provider comparison).</summary>
/// <remarks>
/// Our selection, documented in docs/supply-chain.md; not an official crosswalk.
/// <list type="bullet">
/// <item>Every customer: the MSP essentials, the requirements whose failure let the 2019 dental and 2021 Kaseya attacks spread
/// (remote access, MFA, nonlocal maintenance, least privilege, audit logs, backups, patching, malware protection, incident handling, boundary, allow-listing).</item>
/// <item>CUI: all 110 (DFARS 252.204-7012 makes SP 800-171 the standard for CUI).</item>
/// <item>FCI: the 17 of FAR 52.204-21 / CMMC Level 1.</item>
/// <item>PHI: the HIPAA Security Rule's technical safeguards (§164.312: access control, automatic logoff, audit, integrity, authentication,
/// transmission security) and the administrative ones an MSP touches (§164.308: risk analysis, awareness, incident response, contingency/backups),
/// guided by SP 800-66r2's mapping to controls.</item>
/// <item>PCI: PCI DSS v4.0 requirements 1–2 (network controls, secure configuration), 3–4 (protect stored and transmitted data), 5–6 (malware,
/// patching), 7–8 (access, identification, MFA), 10–12 (logging, testing, awareness, incident response).</item>
/// <item>PII: access, encryption of data in transit and at rest, media sanitization, backups, incident response and awareness.</item>
/// </list>
/// </remarks>
public static class DataClassRequirements
{
    public static readonly IReadOnlySet<string> MspEssentials = Set("3.1.5", "3.1.6", "3.1.12", "3.3.1", "3.4.8", "3.5.3", "3.6.1", "3.7.5", "3.8.9", "3.13.1", "3.14.1", "3.14.2");

    public static readonly IReadOnlySet<string> Phi = Set(
        "3.1.1", "3.1.2", "3.1.5", "3.1.10", "3.1.11", "3.1.12", "3.2.1", "3.3.1", "3.3.2", "3.5.1", "3.5.2", "3.5.3", "3.6.1", "3.6.2",
        "3.8.3", "3.8.9", "3.11.1", "3.11.2", "3.13.8", "3.13.11", "3.13.16", "3.14.1", "3.14.2");

    public static readonly IReadOnlySet<string> Pci = Set(
        "3.1.1", "3.1.2", "3.1.5", "3.1.12", "3.2.1", "3.3.1", "3.3.2", "3.4.1", "3.4.2", "3.4.6", "3.4.7", "3.5.1", "3.5.2", "3.5.3", "3.5.7",
        "3.6.1", "3.11.2", "3.11.3", "3.13.1", "3.13.5", "3.13.8", "3.13.16", "3.14.1", "3.14.2", "3.14.6");

    public static readonly IReadOnlySet<string> Pii = Set("3.1.1", "3.1.2", "3.1.5", "3.2.1", "3.3.1", "3.5.3", "3.6.1", "3.6.2", "3.8.3", "3.8.9", "3.13.8", "3.13.16");

    /// <summary>The requirements that matter for a set of data classes (null: not declared, treated as the essentials only).</summary>
    public static IReadOnlySet<string> For(DataClasses? data)
    {
        var set = new HashSet<string>(MspEssentials, StringComparer.Ordinal);
        if (data is not { } d) return set;
        if (d.HasFlag(DataClasses.Cui)) set.UnionWith(CatalogSet.NistR2.Requirements.Select(r => r.Id));
        if (d.HasFlag(DataClasses.Fci)) set.UnionWith(CatalogSet.NistR2.Requirements.Where(r => r.Level1).Select(r => r.Id));
        if (d.HasFlag(DataClasses.Phi)) set.UnionWith(Phi);
        if (d.HasFlag(DataClasses.Pci)) set.UnionWith(Pci);
        if (d.HasFlag(DataClasses.Pii)) set.UnionWith(Pii);
        return set;
    }

    private static HashSet<string> Set(params string[] ids) => new(ids, StringComparer.Ordinal);
}
