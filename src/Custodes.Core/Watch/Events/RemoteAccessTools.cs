namespace Custodes.Watch.Events;

/// <summary>Remote-access and RMM products by the names they appear under in audit logs, so <c>agent.installed</c> of
/// "AnyDesk 7.1" is recognised as a remote-access tool.</summary>
public static class RemoteAccessTools
{
    /// <summary>Canonical product id → names and fragments it is logged as (matched case-insensitively, ignoring spaces).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Products = new Dictionary<string, string[]>
    {
        ["anydesk"] = ["anydesk"],
        ["teamviewer"] = ["teamviewer"],
        ["screenconnect"] = ["screenconnect", "connectwise control", "connectwisecontrol", "screenconnect client"],
        ["connectwise-automate"] = ["connectwise automate", "labtech", "ltsvc", "automate agent"],
        ["kaseya-vsa"] = ["kaseya", "agentmon", "kaseya vsa"],
        ["ninjaone"] = ["ninjaone", "ninjarmm", "ninja rmm", "ninjarmmagent", "ninja remote"],
        ["datto-rmm"] = ["datto rmm", "centrastage", "aemagent", "cagservice", "autotask endpoint"],
        ["n-able"] = ["n-able", "n-central", "n-sight", "solarwinds msp", "take control", "advanced monitoring agent", "windows agent (n-able)"],
        ["atera"] = ["atera", "ateraagent"],
        ["splashtop"] = ["splashtop"],
        ["logmein"] = ["logmein", "gotoassist", "goto resolve", "goto assist", "rescue assist"],
        ["rustdesk"] = ["rustdesk"],
        ["beyondtrust"] = ["beyondtrust", "bomgar"],
        ["remotepc"] = ["remotepc"],
        ["vnc"] = ["realvnc", "tightvnc", "ultravnc", "tigervnc", "vnc server"],
        ["zoho-assist"] = ["zoho assist"],
        ["chrome-remote-desktop"] = ["chrome remote desktop"],
        ["ammyy"] = ["ammyy"],
        ["supremo"] = ["supremo"],
        ["meshcentral"] = ["meshcentral", "meshagent"],
        ["simplehelp"] = ["simplehelp", "simple help"],
        ["netsupport"] = ["netsupport"],
        ["radmin"] = ["radmin"],
        ["dwservice"] = ["dwservice", "dwagent"],
        ["action1"] = ["action1"],
        ["tactical-rmm"] = ["tactical rmm", "tacticalrmm"],
        ["syncro"] = ["syncro"],
        ["pulseway"] = ["pulseway"],
        ["level"] = ["level rmm", "level.io"],
        ["parsec"] = ["parsec"],
        ["ngrok"] = ["ngrok"],
    };

    /// <summary>Which product an RMM's own events come from (its own agents are implicitly approved there).</summary>
    public static readonly IReadOnlyDictionary<string, string> SourceProducts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["kaseya-vsa"] = "kaseya-vsa",
        ["connectwise-automate"] = "connectwise-automate",
        ["screenconnect"] = "screenconnect",
        ["ninjaone"] = "ninjaone",
        ["datto-rmm"] = "datto-rmm",
        ["n-able"] = "n-able",
        ["atera"] = "atera",
    };

    /// <summary>The product id a name refers to (<c>"AnyDesk 7.1.8"</c> → <c>anydesk</c>), or null when it is not a
    /// remote-access tool. <paramref name="extra"/> adds names an MSP configured.</summary>
    public static string? Identify(string? name, IEnumerable<string>? extra = null)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var text = Squash(name);
        foreach (var (product, names) in Products)
            foreach (var n in names)
                if (text.Contains(Squash(n), StringComparison.Ordinal)) return product;
        if (extra is not null)
            foreach (var n in extra)
                if (Squash(n) is { Length: > 0 } s && text.Contains(s, StringComparison.Ordinal)) return Squash(n);
        return null;
    }

    private static string Squash(string s) => new([.. s.ToLowerInvariant().Where(c => !char.IsWhiteSpace(c))]);
}
