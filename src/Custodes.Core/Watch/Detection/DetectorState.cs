using System.Text.RegularExpressions;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;

namespace Custodes.Watch.Detection;

/// <summary>What the rules of one MSP share: its settings, alerts, job history, clock and approvals.</summary>
internal sealed class DetectorState
{
    private static readonly string[] BuiltInAdminWords = ["admin", "owner", "superuser", "super user", "root", "master", "global", "full access", "domain admins"];

    private readonly Func<string, bool>? _approvedScript;
    private readonly Func<string, bool>? _approvedCommand;
    private readonly Func<string, bool>? _extraAdminRoles;
    private long _offsetHour = long.MinValue;
    private long _offsetTicks;

    public DetectorState(string msp, DetectionSettings settings)
    {
        Msp = msp;
        Settings = settings;
        Zone = Timestamps.ResolveZone(settings.TimeZone);
        Book = new AlertBook(msp, settings.SampleSize);
        Jobs = new JobHistory(settings.MassExecution.Window);
        _approvedScript = Glob.Compile(settings.ApprovedScripts);
        _approvedCommand = Glob.Compile(settings.ApprovedCommandLines);
        _extraAdminRoles = Glob.Compile(settings.AdminRoles);
        MassWindow = settings.MassExecution.Window.Ticks;
    }

    public string Msp { get; }
    public DetectionSettings Settings { get; }
    public TimeZoneInfo Zone { get; }
    public AlertBook Book { get; }
    public JobHistory Jobs { get; }
    public long MassWindow { get; }

    /// <summary>Time of the MSP's first event (learning period starts there).</summary>
    public long FirstTicks { get; set; } = long.MaxValue;

    public bool IsApproved(WatchEvent e) =>
        (e.Detail[DetailKeys.Script] is { } script && _approvedScript?.Invoke(script) == true)
        || (e.Detail[DetailKeys.CommandLine] is { } command && _approvedCommand?.Invoke(command) == true);

    public bool InLearning(long ticks) => Settings.LearningPeriod > TimeSpan.Zero && ticks - FirstTicks < Settings.LearningPeriod.Ticks;

    /// <summary>The job ran on enough tenants in the lookback before <paramref name="windowStart"/> (history cut short by a
    /// recent alerted burst of the same key, see <see cref="JobHistory.Alerted"/>).</summary>
    public bool IsRecurring(string key, long windowStart, long now) =>
        Jobs.TenantsBetween(key, windowStart - Settings.MassExecution.RecurringLookback.Ticks, Jobs.HistoryEnd(key, windowStart, now))
            >= Settings.MassExecution.RecurringMinTenants;

    /// <summary>Approved, still learning, or a recurring job.</summary>
    public bool IsRoutine(WatchEvent e, string key, long windowStart) => IsApproved(e) || InLearning(e.Ticks) || IsRecurring(key, windowStart, e.Ticks);

    public bool IsAdminRole(string? role)
    {
        if (string.IsNullOrWhiteSpace(role)) return false;
        if (_extraAdminRoles?.Invoke(role) == true) return true;
        var r = role.ToLowerInvariant();
        if (r.Contains("non-admin", StringComparison.Ordinal) || r.Contains("not admin", StringComparison.Ordinal)) return false;
        return BuiltInAdminWords.Any(w => r.Contains(w, StringComparison.Ordinal));
    }

    /// <summary>Local wall-clock time in the MSP's zone; the offset is cached per UTC hour (zones change offset on the hour).</summary>
    public DateTime Local(long utcTicks)
    {
        var hour = utcTicks / TimeSpan.TicksPerHour;
        if (hour != _offsetHour)
        {
            _offsetHour = hour;
            _offsetTicks = Zone.GetUtcOffset(new DateTime(hour * TimeSpan.TicksPerHour, DateTimeKind.Utc)).Ticks;
        }
        return new DateTime(utcTicks + _offsetTicks, DateTimeKind.Unspecified);
    }

    private readonly Dictionary<string, string> _scriptKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _commandKeys = new(StringComparer.Ordinal);

    /// <summary><see cref="ExecutionKeys.Of"/>, cached: the same few scripts and command lines run again and again.</summary>
    public string? KeyOf(WatchEvent e)
    {
        if (e.Detail[DetailKeys.Script] is { Length: > 0 } script) return Cached(_scriptKeys, script, ExecutionKeys.ScriptPrefix);
        return e.Detail[DetailKeys.CommandLine] is { Length: > 0 } command ? Cached(_commandKeys, command, ExecutionKeys.CommandPrefix) : null;
    }

    private static string Cached(Dictionary<string, string> cache, string raw, string prefix)
    {
        if (cache.TryGetValue(raw, out var key)) return key;
        if (cache.Count >= 16_384) cache.Clear(); // bounded; refilled by what is still running
        return cache[raw] = ExecutionKeys.Key(prefix, raw);
    }

    public string Describe(long ticks) => $"{Local(ticks):yyyy-MM-dd HH:mm} {(Zone == TimeZoneInfo.Utc ? "UTC" : Zone.Id)}";
}

/// <summary>Case-insensitive <c>*</c>/<c>?</c> patterns compiled into one matcher.</summary>
internal static class Glob
{
    public static Func<string, bool>? Compile(IReadOnlyList<string> patterns)
    {
        if (patterns.Count == 0) return null;
        var alternatives = patterns.Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => "^" + Regex.Escape(p.Trim()).Replace(@"\*", ".*").Replace(@"\?", ".") + "$");
        var regex = new Regex(string.Join("|", alternatives), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        return s => regex.IsMatch(s.Trim());
    }
}

/// <summary>What "the same script or command line" means: the script's name when the event names one, else the command
/// line with case and spacing normalised.</summary>
internal static class ExecutionKeys
{
    public const string ScriptPrefix = "script:";
    public const string CommandPrefix = "cmd:";

    public static string? Of(WatchEvent e)
    {
        if (e.Detail[DetailKeys.Script] is { Length: > 0 } script) return Key(ScriptPrefix, script);
        if (e.Detail[DetailKeys.CommandLine] is { Length: > 0 } command) return Key(CommandPrefix, command);
        return null;
    }

    public static string Key(string prefix, string raw) => prefix + Normalize(raw);

    /// <summary>"script 'Maint-0829'" or "command 'vssadmin delete shadows /all /quiet'" for summaries.</summary>
    public static string Describe(WatchEvent e) =>
        e.Detail[DetailKeys.Script] is { Length: > 0 } s ? $"script '{Clip(s)}'" : $"command '{Clip(e.Detail[DetailKeys.CommandLine] ?? "")}'";

    public static string Subject(WatchEvent e) => Clip(e.Detail[DetailKeys.Script] ?? e.Detail[DetailKeys.CommandLine] ?? "", 200);

    private static string Normalize(string s)
    {
        var collapsed = string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        // Very long command lines are kept as a prefix and a hash so job history stays small.
        return collapsed.Length <= 256 ? collapsed : $"{collapsed[..200]}#{StableHash(collapsed):x8}";
    }

    /// <summary>FNV-1a: the same in every process, so state keyed by it can move between hosts.</summary>
    private static uint StableHash(string s)
    {
        var hash = 2166136261u;
        foreach (var c in s) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    private static string Clip(string s, int max = 80) => s.Length <= max ? s : s[..max] + "…";
}
