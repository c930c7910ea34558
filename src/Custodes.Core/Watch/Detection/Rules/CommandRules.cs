using Custodes.Watch.Events;

namespace Custodes.Watch.Detection.Rules;

/// <summary><c>backup-destruction</c>: <c>backup.deleted</c>, or command lines that delete shadow copies, backup catalogs or
/// recovery (vssadmin/wmic shadowcopy delete, wbadmin delete, bcdedit recoveryenabled no).</summary>
internal sealed class BackupDestructionRule(DetectorState state) : Rule(state)
{
    public override string Id => RuleIds.BackupDestruction;

    public override void Evaluate(WatchEvent e)
    {
        string? finding = null;
        if (e.Action == EventActions.BackupDeleted) finding = "backup deleted" + ((e.Detail["backup"] ?? e.Detail["backup_set"]) is { } b ? $" ({b})" : "");
        else if (e.CommandText() is { } command) finding = CommandPatterns.BackupDestruction(command);
        if (finding is null) return;
        Hit(e, Severity.Critical, group: null, subject: finding, Summarize, finding);
    }

    private string Summarize(OpenAlert a) =>
        $"{Who(a)} destroyed backups or recovery{OnTenants(a)} {Span(a)}: {string.Join("; ", a.Findings)} ({Events(a)})";
}

/// <summary><c>security-tool-tampering</c>: <c>security_tool.disabled</c>, or command lines that disable or remove
/// endpoint protection (Set-MpPreference -Disable…, sc/net stop of AV services, AV uninstall, firewall off).</summary>
internal sealed class SecurityToolTamperingRule(DetectorState state) : Rule(state)
{
    public override string Id => RuleIds.SecurityToolTampering;

    public override void Evaluate(WatchEvent e)
    {
        string? finding = null;
        if (e.Action == EventActions.SecurityToolDisabled) finding = $"{e.Detail[DetailKeys.Tool] ?? "security tool"} disabled";
        else if (e.CommandText() is { } command) finding = CommandPatterns.SecurityTampering(command);
        if (finding is null) return;
        Hit(e, Severity.High, group: null, subject: finding, Summarize, finding);
    }

    private string Summarize(OpenAlert a) =>
        $"{Who(a)} disabled or removed endpoint protection{OnTenants(a)} {Span(a)}: {string.Join("; ", a.Findings)} ({Events(a)})";
}

/// <summary><c>privileged-account-created</c>: <c>account.created</c> or <c>account.role_changed</c> to an admin role, or a
/// command line that adds an account to Administrators / Domain Admins. An account created without a logged role is
/// reported at medium severity: the log cannot say it is harmless.</summary>
internal sealed class PrivilegedAccountRule(DetectorState state) : Rule(state)
{
    public override string Id => RuleIds.PrivilegedAccountCreated;

    public override void Evaluate(WatchEvent e)
    {
        var account = e.Detail[DetailKeys.Account] ?? e.Detail["user"] ?? e.Detail["username"] ?? e.Target;
        switch (e.Action)
        {
            case EventActions.AccountCreated:
            {
                var role = Role(e);
                if (State.IsAdminRole(role)) Report(e, Severity.High, $"{account ?? "account"} created as {role}");
                else if (role is null) Report(e, Severity.Medium, $"{account ?? "account"} created (role not logged)");
                return;
            }
            case EventActions.AccountRoleChanged:
            {
                var role = Role(e);
                if (State.IsAdminRole(role)) Report(e, Severity.High, $"{account ?? "account"} given role {role}");
                return;
            }
        }
        if (e.CommandText() is { } command && CommandPatterns.AccountChange(command) is { } change)
            Report(e, change.Admin ? Severity.High : Severity.Medium,
                change.Admin ? $"{change.Account} added to an admin group" : $"local account {change.Account} created");
    }

    private static string? Role(WatchEvent e) =>
        e.Detail[DetailKeys.Role] ?? e.Detail["new_role"] ?? e.Detail["roles"] ?? e.Detail["group"] ?? e.Detail["to"];

    private void Report(WatchEvent e, Severity severity, string finding) => Hit(e, severity, group: null, subject: finding, Summarize, finding);

    private string Summarize(OpenAlert a) => $"{Who(a)} created or promoted privileged accounts{OnTenants(a)} {Span(a)}: {string.Join("; ", a.Findings)}";
}

/// <summary><c>mfa-disabled</c>: multi-factor authentication turned off for an account.</summary>
internal sealed class MfaDisabledRule(DetectorState state) : Rule(state)
{
    public override string Id => RuleIds.MfaDisabled;

    public override void Evaluate(WatchEvent e)
    {
        if (e.Action != EventActions.MfaDisabled) return;
        var account = e.Detail[DetailKeys.Account] ?? e.Detail["user"] ?? e.Target ?? e.Actor ?? "an account";
        Hit(e, Severity.High, group: null, subject: account, a => $"{Who(a)} disabled MFA for {string.Join(", ", a.Findings)} {Span(a)}", account);
    }
}

/// <summary><c>unapproved-remote-tool</c>: <c>agent.installed</c> of a remote-access tool that is not on the MSP's approved
/// list (the RMM that logs the install is approved for its own agent).</summary>
internal sealed class UnapprovedRemoteToolRule(DetectorState state) : Rule(state)
{
    public override string Id => RuleIds.UnapprovedRemoteTool;

    public override void Evaluate(WatchEvent e)
    {
        if (e.Action != EventActions.AgentInstalled) return;
        var name = e.Detail[DetailKeys.Tool] ?? e.Detail["product"] ?? e.Detail["software"] ?? e.Detail["name"] ?? e.Detail["package"];
        if (RemoteAccessTools.Identify(name, Settings.RemoteAccessTools) is not { } product) return;
        if (RemoteAccessTools.SourceProducts.TryGetValue(e.Source, out var own) && own == product) return;
        foreach (var approved in Settings.ApprovedRemoteTools)
            if (RemoteAccessTools.Identify(approved, Settings.RemoteAccessTools) == product || string.Equals(approved, name, StringComparison.OrdinalIgnoreCase))
                return;
        Hit(e, Severity.High, group: product, subject: name, a => $"{Who(a)} installed {a.Subject}, a remote-access tool not on the approved list,{OnTenants(a)} {Span(a)} ({Events(a)})");
    }
}
