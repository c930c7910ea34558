namespace Custodes.Watch.Events;

/// <summary>The actions of <c>custodes.event/v1</c> (contracts §7). Other action strings are valid and kept as they are.</summary>
public static class EventActions
{
    public const string LoginSuccess = "login.success";
    public const string LoginFailure = "login.failure";
    public const string MfaDisabled = "mfa.disabled";
    public const string AccountCreated = "account.created";
    public const string AccountRoleChanged = "account.role_changed";
    public const string SessionStart = "session.start";
    public const string SessionEnd = "session.end";
    public const string ScriptRun = "script.run";
    public const string FileTransfer = "file.transfer";
    public const string AgentInstalled = "agent.installed";
    public const string AgentRemoved = "agent.removed";
    public const string SecurityToolDisabled = "security_tool.disabled";
    public const string BackupDeleted = "backup.deleted";
    public const string PolicyChanged = "policy.changed";
    public const string ApiKeyCreated = "api_key.created";

    public static readonly IReadOnlyList<string> All =
    [
        LoginSuccess, LoginFailure, MfaDisabled, AccountCreated, AccountRoleChanged, SessionStart, SessionEnd, ScriptRun,
        FileTransfer, AgentInstalled, AgentRemoved, SecurityToolDisabled, BackupDeleted, PolicyChanged, ApiKeyCreated,
    ];

    private static readonly Dictionary<string, string> Canonical = All.ToDictionary(a => a, a => a, StringComparer.OrdinalIgnoreCase);

    public static bool IsKnown(string action) => Canonical.ContainsKey(action);

    /// <summary>The known action spelled canonically when <paramref name="action"/> is one (any case), else null.</summary>
    public static string? TryCanonical(string action) => Canonical.GetValueOrDefault(action.Trim());
}

/// <summary>Detail keys the parsers fill and the rules read; other keys are kept as the source named them.</summary>
public static class DetailKeys
{
    public const string Script = "script";
    public const string CommandLine = "command_line";
    public const string Tool = "tool";
    public const string Role = "role";
    public const string Account = "account";
    public const string Result = "result";
    public const string Status = "status";
    public const string File = "file";
    public const string Message = "message";
    public const string SessionId = "session_id";
    public const string Parameters = "parameters";
}

/// <summary>Reading what an event ran.</summary>
public static class EventCommands
{
    /// <summary>The command an event ran: its <c>command_line</c>, else the <c>parameters</c> a script was given (Automate
    /// and others pass the real command that way).</summary>
    public static string? CommandText(this WatchEvent e) => e.Detail[DetailKeys.CommandLine] ?? e.Detail[DetailKeys.Parameters];
}
