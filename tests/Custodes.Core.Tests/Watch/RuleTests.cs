using Custodes.Watch.Detection;
using Custodes.Watch.Events;
using static Custodes.Core.Tests.Watch.Ev;

namespace Custodes.Core.Tests.Watch;

public sealed class RuleTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData("vssadmin delete shadows /all /quiet", "vssadmin delete shadows")]
    [InlineData("cmd.exe /c vssadmin.exe Delete Shadows /All /Quiet", "vssadmin delete shadows")]
    [InlineData("vssadmin resize shadowstorage /for=c: /on=c: /maxsize=401MB", "vssadmin resize shadowstorage")]
    [InlineData("wmic shadowcopy delete", "wmic shadowcopy delete")]
    [InlineData("wmic.exe /namespace:\\\\root\\cimv2 path shadowcopy delete", "wmic shadowcopy delete")]
    [InlineData("Get-WmiObject Win32_Shadowcopy | ForEach-Object { $_.Delete() }", "Win32_ShadowCopy delete")]
    [InlineData("wbadmin delete catalog -quiet", "wbadmin delete")]
    [InlineData("wbadmin DELETE SYSTEMSTATEBACKUP -keepVersions:0", "wbadmin delete")]
    [InlineData("bcdedit /set {default} recoveryenabled No", "bcdedit recoveryenabled no")]
    [InlineData("bcdedit.exe /set {default} bootstatuspolicy ignoreallfailures", "bcdedit bootstatuspolicy ignoreallfailures")]
    public void Backup_destruction_fires_on_commands_that_delete_shadow_copies_catalogs_or_recovery(string command, string finding)
    {
        var alert = Assert.Single(Detect([Command(Tenant(1), Night, command)]).Rule(RuleIds.BackupDestruction));
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Equal(finding, alert.Subject);
    }

    [Theory]
    [InlineData("vssadmin list shadows")]
    [InlineData("wbadmin get versions")]
    [InlineData("bcdedit /enum")]
    [InlineData("Get-WmiObject Win32_ShadowCopy | Measure-Object")]
    public void Backup_destruction_ignores_commands_that_only_look(string command) =>
        Assert.Empty(Detect([Command(Tenant(1), Night, command)]).Rule(RuleIds.BackupDestruction));

    [Fact]
    public void Backup_deleted_events_are_backup_destruction_and_group_per_actor()
    {
        var events = Enumerable.Range(1, 3).Select(i => Make(EventActions.BackupDeleted, Night + i * Minute, Tenant(i), detail: ("backup", "nightly image")));
        var alert = Assert.Single(Detect(events).Rule(RuleIds.BackupDestruction));
        Assert.Equal(3, alert.Tenants.Count);
        Assert.Equal(3, alert.EventCount);
    }

    [Theory]
    [InlineData("powershell Set-MpPreference -DisableRealtimeMonitoring $true")]
    [InlineData("Set-MpPreference -DisableIntrusionPreventionSystem $true -DisableIOAVProtection $true -Force")]
    [InlineData("powershell.exe Set-MpPreference -EnableControlledFolderAccess Disabled")]
    [InlineData("Add-MpPreference -ExclusionPath C:\\kworking")]
    [InlineData("sc stop WinDefend")]
    [InlineData("sc.exe config SentinelAgent start= disabled")]
    [InlineData("net stop \"Sophos Endpoint Defense Service\"")]
    [InlineData("taskkill /f /im MsMpEng.exe")]
    [InlineData("reg add \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\" /v DisableAntiSpyware /t REG_DWORD /d 1 /f")]
    [InlineData("\"C:\\Program Files\\Windows Defender\\MpCmdRun.exe\" -RemoveDefinitions -All")]
    [InlineData("wmic product where \"name like '%Webroot%'\" call uninstall /nointeractive")]
    [InlineData("netsh advfirewall set allprofiles state off")]
    public void Security_tool_tampering_fires_on_commands_that_disable_endpoint_protection(string command) =>
        Assert.Equal(Severity.High, Assert.Single(Detect([Command(Tenant(1), Day, command)]).Rule(RuleIds.SecurityToolTampering)).Severity);

    [Theory]
    [InlineData("Set-MpPreference -DisableRealtimeMonitoring $false")]
    [InlineData("Get-MpComputerStatus")]
    [InlineData("sc query WinDefend")]
    [InlineData("net stop spooler")]
    public void Security_tool_tampering_ignores_benign_commands(string command) =>
        Assert.Empty(Detect([Command(Tenant(1), Day, command)]).Rule(RuleIds.SecurityToolTampering));

    [Fact]
    public void Security_tool_disabled_events_name_the_tool()
    {
        var alert = Assert.Single(Detect([Make(EventActions.SecurityToolDisabled, Night, detail: (DetailKeys.Tool, "Webroot SecureAnywhere"))]).Rule(RuleIds.SecurityToolTampering));
        Assert.Equal("Webroot SecureAnywhere disabled", alert.Subject);
    }

    [Theory]
    [InlineData("Administrator", Severity.High)]
    [InlineData("Global Admin", Severity.High)]
    [InlineData("Owner", Severity.High)]
    public void Privileged_account_created_fires_for_admin_roles(string role, Severity severity)
    {
        var e = Make(EventActions.AccountCreated, Day, detail: [(DetailKeys.Account, "svc-backup"), (DetailKeys.Role, role)]);
        Assert.Equal(severity, Assert.Single(Detect([e]).Rule(RuleIds.PrivilegedAccountCreated)).Severity);
    }

    [Fact]
    public void An_account_created_with_a_plain_role_is_not_privileged() =>
        Assert.Empty(Detect([Make(EventActions.AccountCreated, Day, detail: [(DetailKeys.Account, "jdoe"), (DetailKeys.Role, "Technician")])]).Rule(RuleIds.PrivilegedAccountCreated));

    [Fact]
    public void An_account_created_without_a_logged_role_is_reported_at_medium() =>
        Assert.Equal(Severity.Medium, Assert.Single(Detect([Make(EventActions.AccountCreated, Day, detail: (DetailKeys.Account, "jdoe"))]).Rule(RuleIds.PrivilegedAccountCreated)).Severity);

    [Fact]
    public void A_role_change_counts_only_when_it_is_to_an_admin_role()
    {
        Assert.Single(Detect([Make(EventActions.AccountRoleChanged, Day, detail: (DetailKeys.Role, "Admin"))]).Rule(RuleIds.PrivilegedAccountCreated));
        Assert.Empty(Detect([Make(EventActions.AccountRoleChanged, Day, detail: (DetailKeys.Role, "Viewer"))]).Rule(RuleIds.PrivilegedAccountCreated));
    }

    [Fact]
    public void Admin_roles_can_be_extended_per_msp()
    {
        var settings = new DetectionSettings { AdminRoles = ["Tier 3*"] };
        Assert.Single(Detect([Make(EventActions.AccountRoleChanged, Day, detail: (DetailKeys.Role, "Tier 3 Engineer"))], settings).Rule(RuleIds.PrivilegedAccountCreated));
    }

    [Theory]
    [InlineData("net localgroup administrators svc-backup /add", Severity.High)]
    [InlineData("net group \"Domain Admins\" helpdesk2 /add /domain", Severity.High)]
    [InlineData("Add-LocalGroupMember -Group Administrators -Member svc-backup", Severity.High)]
    [InlineData("net user svc-backup P@ssw0rd! /add", Severity.Medium)]
    public void Commands_that_create_or_promote_accounts_are_privileged_account_creation(string command, Severity severity) =>
        Assert.Equal(severity, Assert.Single(Detect([Command(Tenant(1), Day, command)]).Rule(RuleIds.PrivilegedAccountCreated)).Severity);

    [Fact]
    public void Mfa_disabled_fires_and_names_the_account()
    {
        var alert = Assert.Single(Detect([Make(EventActions.MfaDisabled, Day, tenant: null, detail: (DetailKeys.Account, "tech3"))]).Rule(RuleIds.MfaDisabled));
        Assert.Equal("tech3", alert.Subject);
        Assert.Equal(Severity.High, alert.Severity);
    }

    [Fact]
    public void Unapproved_remote_tool_fires_for_a_second_remote_access_tool()
    {
        var e = Make(EventActions.AgentInstalled, Day, detail: (DetailKeys.Tool, "AnyDesk 7.1.8"));
        var alert = Assert.Single(Detect([e]).Rule(RuleIds.UnapprovedRemoteTool));
        Assert.Equal([Tenant(1)], alert.Tenants);
        Assert.Equal("AnyDesk 7.1.8", alert.Subject);
    }

    [Fact]
    public void The_rmm_installing_its_own_agent_is_approved() =>
        Assert.Empty(Detect([Make(EventActions.AgentInstalled, Day, source: "kaseya-vsa", detail: (DetailKeys.Tool, "Kaseya Agent"))]).Rule(RuleIds.UnapprovedRemoteTool));

    [Fact]
    public void Approved_remote_tools_and_non_remote_software_do_not_fire()
    {
        var settings = new DetectionSettings { ApprovedRemoteTools = ["ConnectWise Control"] };
        Assert.Empty(Detect([Make(EventActions.AgentInstalled, Day, detail: (DetailKeys.Tool, "ScreenConnect Client (b1a2)"))], settings).Rule(RuleIds.UnapprovedRemoteTool));
        Assert.Empty(Detect([Make(EventActions.AgentInstalled, Day, detail: (DetailKeys.Tool, "Sophos Endpoint Agent"))]).Rule(RuleIds.UnapprovedRemoteTool));
    }

    [Fact]
    public void Brute_force_fires_for_ten_failures_in_ten_minutes_then_a_success()
    {
        var failures = Enumerable.Range(0, 10).Select(i => Make(EventActions.LoginFailure, Day + i * Minute, tenant: null, ip: "192.0.2.7"));
        var success = Make(EventActions.LoginSuccess, Day + 10 * Minute, tenant: null, ip: "192.0.2.7");
        var alert = Assert.Single(Detect([.. failures, success]).Rule(RuleIds.BruteForce));
        Assert.Equal(11, alert.EventCount);
        Assert.Equal("tech7", alert.Actor);
        Assert.Contains("192.0.2.7", alert.Summary);
    }

    [Fact]
    public void Nine_failures_then_a_success_are_not_brute_force()
    {
        var failures = Enumerable.Range(0, 9).Select(i => Make(EventActions.LoginFailure, Day + i * Minute, tenant: null));
        Assert.Empty(Detect([.. failures, Make(EventActions.LoginSuccess, Day + 9 * Minute, tenant: null)]).Rule(RuleIds.BruteForce));
    }

    [Fact]
    public void Failures_spread_over_more_than_ten_minutes_are_not_brute_force()
    {
        var failures = Enumerable.Range(0, 10).Select(i => Make(EventActions.LoginFailure, Day + i * 70 * TimeSpan.FromSeconds(1), tenant: null));
        Assert.Empty(Detect([.. failures, Make(EventActions.LoginSuccess, Day + 10.5 * Minute, tenant: null)]).Rule(RuleIds.BruteForce));
    }

    [Fact]
    public void Failures_without_a_success_are_not_brute_force()
    {
        var failures = Enumerable.Range(0, 30).Select(i => Make(EventActions.LoginFailure, Day + i * TimeSpan.FromSeconds(10), tenant: null));
        Assert.Empty(Detect(failures).Rule(RuleIds.BruteForce));
    }

    [Fact]
    public void Brute_force_thresholds_are_settings()
    {
        var settings = new DetectionSettings { BruteForce = new BruteForceSettings { MinFailures = 3, Window = TimeSpan.FromMinutes(1) } };
        var failures = Enumerable.Range(0, 3).Select(i => Make(EventActions.LoginFailure, Day + i * TimeSpan.FromSeconds(10), tenant: null));
        Assert.Single(Detect([.. failures, Make(EventActions.LoginSuccess, Day + Minute, tenant: null)], settings).Rule(RuleIds.BruteForce));
    }

    [Fact]
    public void Disabled_rules_do_not_run()
    {
        var settings = new DetectionSettings { DisabledRules = [RuleIds.BackupDestruction] };
        Assert.Empty(Detect([Command(Tenant(1), Night, "vssadmin delete shadows /all")], settings).Rule(RuleIds.BackupDestruction));
    }
}
