using Custodes.Watch.Events;

namespace Custodes.Watch.Formats;

/// <summary>Maps the action words generic sources write onto <see cref="EventActions"/>; anything else is kept as written.</summary>
internal static class ActionNames
{
    private static readonly Dictionary<string, string> Synonyms = Build();

    public static string Normalize(string raw)
    {
        var trimmed = raw.Trim();
        return Synonyms.GetValueOrDefault(Names.Canonical(trimmed)) ?? trimmed;
    }

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>();
        foreach (var a in EventActions.All) map[Names.Canonical(a)] = a;
        void Add(string action, params string[] words)
        {
            foreach (var w in words) map[Names.Canonical(w)] = action;
        }
        Add(EventActions.LoginSuccess, "login", "logon", "signin", "sign in", "logged in", "login succeeded", "successful login", "login success", "loginsuccess");
        Add(EventActions.LoginFailure, "login failed", "failed login", "logon failure", "login failure", "invalid password", "sign in failed", "loginfailed", "authentication failed");
        Add(EventActions.MfaDisabled, "mfa disabled", "2fa disabled", "two factor disabled", "disable mfa", "disable 2fa");
        Add(EventActions.AccountCreated, "user created", "account created", "create user", "add user", "user added");
        Add(EventActions.AccountRoleChanged, "role changed", "role change", "user role changed");
        Add(EventActions.SessionStart, "session start", "session started", "remote session", "connect", "connected", "remote control");
        Add(EventActions.SessionEnd, "session end", "session ended", "disconnect", "disconnected");
        Add(EventActions.ScriptRun, "script", "run script", "script run", "execute script", "script executed", "command", "run command", "execute command", "procedure", "run procedure", "job");
        Add(EventActions.FileTransfer, "file transfer", "transfer", "upload", "download", "file upload", "file download");
        Add(EventActions.AgentInstalled, "agent installed", "install agent", "software installed", "installed");
        Add(EventActions.AgentRemoved, "agent removed", "uninstall agent", "agent uninstalled", "uninstalled");
        Add(EventActions.SecurityToolDisabled, "av disabled", "antivirus disabled", "security tool disabled", "protection disabled");
        Add(EventActions.BackupDeleted, "backup deleted", "delete backup");
        Add(EventActions.PolicyChanged, "policy changed", "policy updated", "policy change");
        Add(EventActions.ApiKeyCreated, "api key created", "token created", "create api key");
        return map;
    }
}
