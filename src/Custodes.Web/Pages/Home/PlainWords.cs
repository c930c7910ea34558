using System.Globalization;
using Custodes.SupplyChain;
using ServiceFlags = Custodes.SupplyChain.Services;
using Custodes.Watch.Detection;

namespace Custodes.Web.Pages.Home;

/// <summary>
/// Codes a customer sees, in the words of the person reading them (a practice manager, not an engineer): requirement statuses
/// as "fixed / not yet / partly", a provider's services and access, alert rules with what to do now, and dates as people write them.
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

    /// <summary>A requirement's status for a customer: fixed, not yet, partly, does not apply, not checked.</summary>
    public static string Status(string status, bool partial = false) => status switch
    {
        "met" => "fixed",
        "not-met" when partial => "partly",
        "not-met" => "not yet",
        "partial" => "partly",
        "not-applicable" => "does not apply",
        _ => "not checked",
    };

    /// <summary>What a status means, for the "what is this?" line.</summary>
    public const string StatusHelp = "\"Fixed\" means the assessor found the safeguard in place; \"not yet\" means it is missing or still being put in place; "
        + "\"partly\" means it is in place but not to the full standard (it earns some of its points); \"does not apply\" means the safeguard has nothing to protect here.";

    public static string Service(ServiceFlags service) => service switch
    {
        ServiceFlags.OnPremisesIt => "your office computers and servers",
        ServiceFlags.Microsoft365 => "Microsoft 365 (email, files, accounts)",
        ServiceFlags.GoogleWorkspace => "Google Workspace (email, files, accounts)",
        ServiceFlags.Azure => "your Microsoft Azure cloud",
        ServiceFlags.Aws => "your Amazon Web Services cloud",
        ServiceFlags.GoogleCloud => "your Google Cloud",
        ServiceFlags.Backup => "your backups",
        ServiceFlags.SecurityMonitoring => "security monitoring",
        ServiceFlags.Network => "your network (firewall, Wi-Fi)",
        ServiceFlags.HelpDesk => "your help desk",
        ServiceFlags.LineOfBusinessApp => "a business application you use",
        ServiceFlags.Other => "other services",
        _ => service.ToString(),
    };

    public static string Services(ServiceFlags services) =>
        services == ServiceFlags.None ? "services not stated" : Join([.. Enum.GetValues<ServiceFlags>().Where(s => s != ServiceFlags.None && services.HasFlag(s)).Select(Service)]);

    public static string Access(AccessLevels access) => access switch
    {
        AccessLevels.AdminAllEndpoints => "administrator access to all your computers",
        AccessLevels.DomainAdmin => "control of your office network's accounts (domain administrator)",
        AccessLevels.CloudGlobalAdmin => "full control of your cloud accounts",
        AccessLevels.CloudAdmin => "administrator access to parts of your cloud accounts",
        AccessLevels.BackupAdmin => "control of your backups (it can delete them)",
        AccessLevels.AdminSomeEndpoints => "administrator access to some of your computers",
        AccessLevels.Limited => "limited access",
        AccessLevels.ReadOnly => "read-only access",
        _ => access.ToString(),
    };

    public static string AccessList(AccessLevels access) =>
        access == AccessLevels.None ? "no stated access" : Join([.. Enum.GetValues<AccessLevels>().Where(a => a != AccessLevels.None && access.HasFlag(a)).Select(Access)]);

    public static string Kind(OrganizationKind kind) => kind switch
    {
        OrganizationKind.Msp => "IT provider",
        OrganizationKind.Mssp => "security monitoring provider",
        OrganizationKind.CloudProvider => "cloud provider",
        OrganizationKind.BackupProvider => "backup provider",
        OrganizationKind.SoftwareVendor => "software vendor",
        OrganizationKind.Customer => "customer",
        OrganizationKind.Assessor => "assessor firm",
        _ => kind.ToString(),
    };

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

    private static string Join(IReadOnlyList<string> parts) => parts.Count switch
    {
        0 => "",
        1 => parts[0],
        _ => string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1],
    };
}
