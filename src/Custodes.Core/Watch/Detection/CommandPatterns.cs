using System.Buffers;
using System.Text.RegularExpressions;

namespace Custodes.Watch.Detection;

/// <summary>Command lines that destroy backups, tamper with endpoint protection or make admin accounts. A cheap
/// multi-string search rules out almost every command before any regular expression runs.</summary>
internal static partial class CommandPatterns
{
    private static readonly SearchValues<string> BackupWords = SearchValues.Create(
        ["vssadmin", "shadowcopy", "shadowstorage", "wbadmin", "bcdedit", "diskshadow", "win32_shadowcopy"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> TamperWords = SearchValues.Create(
        ["mppreference", "mpcmdrun", "windefend", "taskkill", "sc ", "sc.exe", "net ", "net1", "stop-service", "set-service", "windows defender",
         "advfirewall", "firewall", "uninstall", "msmpeng"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> AccountWords = SearchValues.Create(
        ["localgroup", "/add", "add-localgroupmember", "add-adgroupmember", "new-localuser"], StringComparison.OrdinalIgnoreCase);

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private static readonly (Regex Pattern, string Finding)[] Backup =
    [
        (new(@"vssadmin(?:\.exe)?""?\s+(?:.*\s)?delete\s+shadows", Options), "vssadmin delete shadows"),
        (new(@"vssadmin(?:\.exe)?""?\s+(?:.*\s)?resize\s+shadowstorage", Options), "vssadmin resize shadowstorage"),
        (new(@"wmic(?:\.exe)?""?\s+(?:.*\s)?shadowcopy\b.*\bdelete", Options), "wmic shadowcopy delete"),
        (new(@"win32_shadowcopy.*(?:\.delete\(|remove-(?:wmi|cim)object|remove-ciminstance)|(?:remove-ciminstance|remove-wmiobject).*win32_shadowcopy", Options), "Win32_ShadowCopy delete"),
        (new(@"diskshadow(?:\.exe)?.*\bdelete\s+shadows", Options), "diskshadow delete shadows"),
        (new(@"wbadmin(?:\.exe)?""?\s+(?:.*\s)?delete\s+(?:catalog|systemstatebackup|backup)", Options), "wbadmin delete"),
        (new(@"bcdedit(?:\.exe)?""?\s+(?:.*\s)?recoveryenabled\s+(?:no|off|false|0)\b", Options), "bcdedit recoveryenabled no"),
        (new(@"bcdedit(?:\.exe)?""?\s+(?:.*\s)?bootstatuspolicy\s+ignoreallfailures", Options), "bcdedit bootstatuspolicy ignoreallfailures"),
    ];

    private const string AvServices = @"(?:WinDefend|Sense|WdNisSvc|WdBoot|WdFilter|MsMpSvc|SecurityHealthService|SentinelAgent|SentinelOne\w*|CSFalconService|CSAgent|SAVService|SAVAdminService|Sophos[\w ]*|McAfee\w*|mfemms|ekrn|WRSVC|WRSkyClient|WRCoreService|bdservicehost|VSSERV|EPSecurityService|EPProtectedService|CylanceSvc|CbDefense|carbonblack\w*|avast\w*|AVP\w*|klnagent|MBAMService|Malwarebytes\w*|TmCCSF|ntrtscan|ds_agent|HuntressAgent|Huntress\w*)";

    private static readonly (Regex Pattern, string Finding)[] Tamper =
    [
        (new(@"set-mppreference\b.*-(?:DisableRealtimeMonitoring|DisableBehaviorMonitoring|DisableIOAVProtection|DisableIntrusionPreventionSystem|DisableScriptScanning|DisableBlockAtFirstSeen|DisableArchiveScanning|DisableOnAccessProtection|DisableAntiSpyware|DisableAntiVirus)\b\s*:?\s*(?:\$true|1|true)\b", Options), "Defender protection disabled (Set-MpPreference)"),
        (new(@"set-mppreference\b.*-(?:EnableControlledFolderAccess\s+Disabled|MAPSReporting\s+(?:0|Disabled)|SubmitSamplesConsent\s+(?:2|NeverSend)|EnableNetworkProtection\s+(?:AuditMode|Disabled))", Options), "Defender protection weakened (Set-MpPreference)"),
        (new(@"add-mppreference\b.*-Exclusion(?:Path|Process|Extension)\b", Options), "Defender exclusion added"),
        (new(@"mpcmdrun(?:\.exe)?""?\s+.*-RemoveDefinitions", Options), "Defender definitions removed"),
        (new(@"reg(?:\.exe)?\s+add\s+.*Windows Defender.*\b(?:DisableAntiSpyware|DisableAntiVirus|DisableRealtimeMonitoring|DisableBehaviorMonitoring)\b.*/d\s+1\b", Options), "Defender disabled in the registry"),
        (new(@"\bsc(?:\.exe)?\s+(?:\\\\\S+\s+)?(?:stop|delete|config)\s+""?" + AvServices + @"\b", Options), "endpoint protection service stopped or removed (sc)"),
        (new(@"\bnet1?(?:\.exe)?\s+stop\s+""?" + AvServices + @"\b", Options), "endpoint protection service stopped (net stop)"),
        (new(@"\b(?:stop-service|set-service)\b.*" + AvServices + @"\b", Options), "endpoint protection service stopped (PowerShell)"),
        (new(@"taskkill(?:\.exe)?\s+.*/im\s+""?(?:MsMpEng|MsSense|NisSrv|SentinelAgent|SentinelUI|CSFalconService|SophosUI|SavService|WRSA|ekrn|egui|bdagent|vsserv|avp|mbam|CylanceSvc)(?:\.exe)?", Options), "endpoint protection process killed"),
        (new(@"\b(?:wmic\b.*\bproduct\b.*(?:sophos|mcafee|symantec|norton|webroot|eset|kaspersky|sentinel|crowdstrike|bitdefender|malwarebytes|cylance|trend ?micro|avast|avg|vipre|huntress).*\b(?:call\s+)?uninstall|uninstall-package\b.*(?:sophos|mcafee|symantec|webroot|eset|kaspersky|sentinel|crowdstrike|bitdefender|malwarebytes|huntress))", Options), "endpoint protection uninstalled"),
        (new(@"netsh(?:\.exe)?\s+(?:advfirewall\s+set\s+\w+\s+state\s+off|firewall\s+set\s+opmode\s+(?:mode=)?disable)", Options), "Windows Firewall turned off"),
    ];

    private static readonly Regex LocalAdminAdd = new(@"\bnet1?(?:\.exe)?\s+localgroup\s+""?administrators""?\s+""?(?<account>[^\s""/]+)""?\s+/add\b", Options);
    private static readonly Regex DomainAdminAdd = new(@"\bnet1?(?:\.exe)?\s+group\s+""(?:domain|enterprise) admins""\s+""?(?<account>[^\s""/]+)""?\s+/add\b", Options);
    private static readonly Regex PsLocalAdmin = new(@"add-localgroupmember\b(?=.*-group\s+['""]?administrators)(?:.*-member\s+['""]?(?<account>[^\s'""]+))?", Options);
    private static readonly Regex PsDomainAdmin = new(@"add-adgroupmember\b.*(?:domain|enterprise) admins(?:.*-members?\s+['""]?(?<account>[^\s'""]+))?", Options);
    private static readonly Regex NetUserAdd = new(@"\bnet1?(?:\.exe)?\s+user\s+""?(?<account>[^\s""/]+)""?\s+(?:\S+\s+)?/add\b", Options);
    private static readonly Regex PsNewUser = new(@"new-localuser\b.*-name\s+['""]?(?<account>[^\s'""]+)", Options);

    /// <summary>What in the command destroys backups or recovery, or null.</summary>
    public static string? BackupDestruction(string commandLine) =>
        commandLine.AsSpan().IndexOfAny(BackupWords) < 0 ? null : Match(Backup, commandLine);

    /// <summary>What in the command disables or removes endpoint protection, or null.</summary>
    public static string? SecurityTampering(string commandLine) =>
        commandLine.AsSpan().IndexOfAny(TamperWords) < 0 ? null : Match(Tamper, commandLine);

    /// <summary>An account the command makes an administrator (<c>Admin: true</c>) or creates (<c>false</c>), or null.</summary>
    public static (string Account, bool Admin)? AccountChange(string commandLine)
    {
        if (commandLine.AsSpan().IndexOfAny(AccountWords) < 0) return null;
        foreach (var regex in (Regex[])[LocalAdminAdd, DomainAdminAdd, PsLocalAdmin, PsDomainAdmin])
            if (regex.Match(commandLine) is { Success: true } m) return (m.Groups["account"] is { Success: true } a ? a.Value : "(unnamed)", true);
        foreach (var regex in (Regex[])[NetUserAdd, PsNewUser])
            if (regex.Match(commandLine) is { Success: true } m) return (m.Groups["account"].Value, false);
        return null;
    }

    public static bool IsDestructive(string? commandLine) =>
        commandLine is not null && (BackupDestruction(commandLine) is not null || SecurityTampering(commandLine) is not null);

    private static string? Match((Regex Pattern, string Finding)[] patterns, string commandLine)
    {
        foreach (var (pattern, finding) in patterns)
            if (pattern.IsMatch(commandLine)) return finding;
        return null;
    }
}
