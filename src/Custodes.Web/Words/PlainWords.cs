using System.Globalization;
using System.Text.Encodings.Web;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.SupplyChain;
using Custodes.Watch.Detection;
using Microsoft.AspNetCore.Html;

namespace Custodes.Web.Words;

/// <summary>A code as a person reads it: a short label and one line saying what it means.</summary>
public sealed record PlainLabel(string Code, string Label, string Explanation);

/// <summary>
/// The one place a page turns a code into the words of the person reading it (a practice manager, not an engineer): the portfolio's
/// codes (kinds, services, access, tools), requirement statuses and inheritance, alert rules with what to do now, and dates as people
/// write them. The codes stay the files' and the API's; only what a page shows changes. Every page says a thing the way this class does.
/// </summary>
public static class PlainWords
{
    // The invariant culture names months in English, and the app runs in globalization-invariant mode (no other culture exists).
    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    /// <summary>1 Oct 2026.</summary>
    public static string Day(DateOnly day) => day.ToString("d MMM yyyy", English);

    public static string Day(DateTime day) => Day(DateOnly.FromDateTime(day));

    /// <summary>Dec 2027.</summary>
    public static string Month(DateOnly day) => day.ToString("MMM yyyy", English);

    /// <summary>March 2027.</summary>
    public static string LongMonth(DateOnly day) => day.ToString("MMMM yyyy", English);

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

    /// <summary>What a status means, for the "what is this?" line.</summary>
    public const string StatusHelp = "\"Fixed\" means the assessor found the safeguard in place; \"not yet\" means it is missing or still being put in place; "
        + "\"partly\" means it is in place but not to the full standard (it earns some of its points); \"does not apply\" means the safeguard has nothing to protect here.";

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

    /// <summary>
    /// A requirement id as a customer sees it everywhere: its id and short title, linked to its text on /requirements/{id}, with the full
    /// text as a tooltip. The framework goes in the link only when the page could not tell it from the id (an r3 id starts with 0).
    /// </summary>
    public static IHtmlContent RequirementLink(string id, string framework = Frameworks.NistR2)
    {
        var implied = id.StartsWith('0') ? Frameworks.NistR3 : Frameworks.NistR2;
        var href = Custodes.Web.Pages.Requirements.RequirementModel.Link(id) + (framework == implied ? "" : "?framework=" + Uri.EscapeDataString(framework));
        var html = HtmlEncoder.Default;
        return new HtmlString($"<a class=\"requirement\" href=\"{html.Encode(href)}\" title=\"{html.Encode(RequirementText(id, framework))}\">{html.Encode(Requirement(id, framework))}</a>");
    }

    /// <summary>Several requirement links, separated by "; ".</summary>
    public static IHtmlContent RequirementLinks(IEnumerable<string> ids, string framework = Frameworks.NistR2)
    {
        var links = new HtmlContentBuilder();
        foreach (var id in ids)
        {
            if (links.Count > 0) links.AppendHtml("; ");
            links.AppendHtml(RequirementLink(id, framework));
        }
        return links;
    }

    public static string Severity(string severity) => severity switch
    {
        "critical" => "Critical: act now",
        "high" => "High: act today",
        "medium" => "Medium: look this week",
        _ => "Low: for information",
    };

    public static string AlertStatus(string status) => status switch
    {
        "open" => "not yet handled by your provider",
        "acknowledged" => "your provider is handling it",
        "resolved" => "your provider closed it",
        _ => status,
    };

    /// <summary>An alert rule for a customer: a title, what it means, and what to do now.</summary>
    public sealed record AlertGuidance(string Title, string Meaning, string WhatToDo);

    public static AlertGuidance Alert(string rule) => rule switch
    {
        RuleIds.BackupDestruction => new("Someone deleted or disabled backups",
            "A command that deletes backups or the copies Windows keeps of your files ran on your computers through your IT provider's remote tools. Attackers do this just before they lock files for ransom.",
            "Call your IT provider now and ask whether they did this on purpose. If they cannot say yes at once, ask them to disconnect the affected computers from the network and check that your backups outside the office are still there. Do not turn computers off."),
        RuleIds.MassExecution => new("The same script ran on many computers at once",
            "Your IT provider's remote tool ran one script across many computers in a short time. It can be routine maintenance; it is also how the 2019 attacks on dental practices and the 2021 Kaseya attack spread ransomware.",
            "Call your IT provider and ask what the script was and who ran it. If they did not plan it, ask them to stop their remote tool until they know."),
        RuleIds.SecurityToolTampering => new("Security software was turned off",
            "Antivirus or other protection on your computers was disabled or removed through your provider's tools.",
            "Ask your IT provider who turned it off and why, and to turn it back on today."),
        RuleIds.PrivilegedAccountCreated => new("A new administrator account appeared",
            "An account with full control was created. Attackers create one to come back later.",
            "Ask your IT provider who created it. If nobody at the practice asked for it, ask them to remove it and change the administrator passwords."),
        RuleIds.MfaDisabled => new("Two-step sign-in was turned off",
            "The second step at sign-in (a code on a phone) was turned off for an account, which makes a stolen password enough to get in.",
            "Ask your IT provider to turn two-step sign-in back on for that account today."),
        RuleIds.NewSourceIp => new("A technician signed in from a new place",
            "Someone using your provider's tools connected from an internet address never seen before.",
            "Ask your IT provider whether that sign-in was one of their technicians."),
        RuleIds.OffHoursActivity => new("Activity outside working hours",
            "Your provider's tools were used on your computers at night or at the weekend.",
            "Ask your IT provider whether the work was planned."),
        RuleIds.BruteForce => new("Many failed sign-ins",
            "Someone tried many passwords on your provider's remote tool.",
            "Ask your IT provider to confirm the account is locked and protected with two-step sign-in."),
        RuleIds.UnapprovedRemoteTool => new("An unexpected remote-control program was installed",
            "A program that lets someone control your computers from afar, other than the ones your provider normally uses, was installed.",
            "Ask your IT provider whether they installed it. If not, ask them to remove it and check the computer."),
        _ => new(rule, "A rule your provider's monitoring uses found something unusual on your computers.", "Ask your IT provider what it was."),
    };

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

    /// <summary>"a", "a and b", "a, b and c" — as a person lists things; "none given" for none.</summary>
    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "none given",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1],
        };
    }
}
