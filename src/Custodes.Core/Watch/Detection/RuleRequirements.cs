using Custodes.Catalogs;

namespace Custodes.Watch.Detection;

/// <summary>A requirement an alert is evidence against, and why (in words a reader who does not know the catalog follows).</summary>
public sealed record RequirementLink(string Id, string Why);

/// <summary>What each detection rule is evidence against in NIST SP 800-171 r2 (the catalog assessments and letters attest), and what
/// a rule's alert left open means in plain words. An assessment is a point in time; the watch is continuous: an alert of a rule says a
/// requirement the letter attests as met may not hold today.</summary>
/// <remarks>
/// The mapping is deliberately narrow: a rule names the requirements whose practice the detected behaviour contradicts, not every
/// requirement it touches (every alert is also evidence that 3.3.1 audit logging works, which is not a finding against it).
/// Sigma rules name theirs in the rule file (<c>requirements:</c>), checked against the same catalog.
/// </remarks>
public static class RuleRequirements
{
    /// <summary>The catalog the ids are in.</summary>
    public const string Framework = Frameworks.NistR2;

    private static readonly Dictionary<string, (RequirementLink[] Links, string Meaning)> Map = new(StringComparer.Ordinal)
    {
        [RuleIds.MfaDisabled] = ([
            new("3.5.3", "multi-factor authentication was turned off for an account"),
        ], "Multi-factor sign-in was switched off for an account that can reach your computers, and nobody has dealt with it. A stolen password alone may now be enough to get in."),
        [RuleIds.BackupDestruction] = ([
            new("3.8.9", "backups or recovery points were deleted or switched off"),
        ], "Someone deleted backups or recovery points, which is what ransomware does before it strikes. Until this is explained, your data may not be recoverable."),
        [RuleIds.UnapprovedRemoteTool] = ([
            new("3.4.8", "software not on the approved list was installed and allowed to run"),
            new("3.4.9", "the installation of software was not controlled"),
        ], "A remote-control program nobody approved was installed. Attackers install such tools to come back whenever they like."),
        [RuleIds.MassExecution] = ([
            new("3.1.7", "one account ran a privileged command on many customers at once"),
            new("3.4.6", "the tools allowed a use well beyond what the work needs"),
        ], "One account ran the same command on many customers' computers at once. That is how a single break-in at an IT provider becomes an attack on all its customers."),
        [RuleIds.SecurityToolTampering] = ([
            new("3.14.2", "protection against malicious code was disabled or removed"),
            new("3.14.6", "monitoring of the systems was switched off"),
        ], "Antivirus or endpoint protection was switched off or removed. The computers are unguarded until it is back."),
        [RuleIds.PrivilegedAccountCreated] = ([
            new("3.1.1", "an account was created or given rights outside the usual authorization"),
            new("3.1.5", "administrator rights were granted beyond what is needed"),
        ], "A new administrator account appeared, or an account was made administrator. Unless someone asked for it, an intruder may be making themselves at home."),
        [RuleIds.NewSourceIp] = ([
            new("3.1.12", "a remote session came from a place never seen for that person"),
        ], "Someone signed in to the provider's tools from an unfamiliar place. It may be a technician travelling, or someone using a stolen password."),
        [RuleIds.OffHoursActivity] = ([
            new("3.1.12", "remote sessions or scripts ran outside working hours"),
        ], "The provider's tools were used at night or at the weekend, when nobody should be working on your computers."),
        [RuleIds.BruteForce] = ([
            new("3.1.8", "many failed sign-ins were followed by a successful one"),
        ], "Someone tried many passwords and then got in. The account may be in the wrong hands."),
    };

    private static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        [RuleIds.MfaDisabled] = "Multi-factor sign-in turned off",
        [RuleIds.BackupDestruction] = "Backups deleted",
        [RuleIds.UnapprovedRemoteTool] = "Unapproved remote-control tool installed",
        [RuleIds.MassExecution] = "One command run on many customers at once",
        [RuleIds.SecurityToolTampering] = "Antivirus or endpoint protection switched off",
        [RuleIds.PrivilegedAccountCreated] = "New administrator account",
        [RuleIds.NewSourceIp] = "Sign-in from an unfamiliar place",
        [RuleIds.OffHoursActivity] = "Activity outside working hours",
        [RuleIds.BruteForce] = "Password guessing followed by a sign-in",
    };

    /// <summary>The rule's name in plain words (the rule id itself for a rule it does not know).</summary>
    public static string Title(string rule) => Titles.GetValueOrDefault(rule) ?? rule;

    /// <summary>The requirement ids a built-in rule is evidence against (none for a rule it does not know, such as a Sigma rule's id).</summary>
    public static IReadOnlyList<string> For(string rule) =>
        Map.TryGetValue(rule, out var entry) ? [.. entry.Links.Select(l => l.Id)] : [];

    /// <summary>The requirements a built-in rule is evidence against, with why.</summary>
    public static IReadOnlyList<RequirementLink> Explain(string rule) => Map.TryGetValue(rule, out var entry) ? entry.Links : [];

    /// <summary>What an alert of the rule, left open, means for the organizations that rely on the MSP (plain words).</summary>
    public static string Meaning(string rule) =>
        Map.TryGetValue(rule, out var entry) ? entry.Meaning
        : "A serious warning about the IT provider's tools has been open for more than a day without being dealt with.";

    /// <summary>The catalog's requirement (for its text), or null when the id is not in it.</summary>
    public static Requirement? Requirement(string id) => CatalogSet.Get(Framework).Find(id);

    /// <summary>Checks requirement ids named by a rule file against the catalog; returns them in catalog order, without repeats.</summary>
    /// <exception cref="Common.BadInputException">An id the catalog does not have (naming the file and the path).</exception>
    public static IReadOnlyList<string> Validate(IReadOnlyList<string> ids, string file, string path)
    {
        var catalog = CatalogSet.Get(Framework);
        for (var i = 0; i < ids.Count; i++)
            if (catalog.Find(ids[i]) is null)
                throw new Common.BadInputException($"'{ids[i]}' is not a requirement of {Framework} (expected an id such as 3.5.3)", file, $"{path}[{i}]");
        return [.. ids.Distinct(StringComparer.Ordinal).OrderBy(catalog.OrdinalOf)];
    }
}
