using System.Text.Json.Serialization;

namespace Custodes.Watch.Detection;

/// <summary>One MSP's detection parameters. The defaults are the contract's (contracts §7); every one can be set per MSP.</summary>
public sealed record DetectionSettings
{
    /// <summary>The MSP's time zone for working hours: an IANA id (<c>America/Denver</c>), <c>UTC</c>, or <c>+02:00</c>.</summary>
    public string TimeZone { get; init; } = "UTC";

    public WorkingHours WorkingHours { get; init; } = new();
    public MassExecutionSettings MassExecution { get; init; } = new();
    public NewSourceIpSettings NewSourceIp { get; init; } = new();
    public BruteForceSettings BruteForce { get; init; } = new();

    /// <summary>Script names that may run anywhere, anytime (<c>*</c> and <c>?</c> wildcards, case-insensitive).</summary>
    public IReadOnlyList<string> ApprovedScripts { get; init; } = [];

    /// <summary>Command lines that may run anywhere, anytime (wildcards as for scripts).</summary>
    public IReadOnlyList<string> ApprovedCommandLines { get; init; } = [];

    /// <summary>Remote-access tools the MSP uses (names or product ids: <c>ScreenConnect</c>, <c>splashtop</c>). The RMM that
    /// logs an install is approved for its own agent without being listed.</summary>
    public IReadOnlyList<string> ApprovedRemoteTools { get; init; } = [];

    /// <summary>More names to treat as remote-access tools, besides the built-in catalog.</summary>
    public IReadOnlyList<string> RemoteAccessTools { get; init; } = [];

    /// <summary>More role names that count as admin, besides any role containing admin, owner, superuser, root, master, global.</summary>
    public IReadOnlyList<string> AdminRoles { get; init; } = [];

    /// <summary>Rule ids not to run for this MSP.</summary>
    public IReadOnlyList<string> DisabledRules { get; init; } = [];

    /// <summary>Hits of one rule by one actor are one alert while each follows the last within this gap.</summary>
    public TimeSpan AlertGap { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>For this long from an MSP's first event, a script run on many tenants is treated as routine: with no history
    /// a scheduled job cannot be told from an attack. Zero (the default) means every unexplained mass run alerts.</summary>
    public TimeSpan LearningPeriod { get; init; } = TimeSpan.Zero;

    /// <summary>How far out of time order events may arrive and still be evaluated in order.</summary>
    public TimeSpan ReorderWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Events kept with each alert as evidence (the count is always exact).</summary>
    public int SampleSize { get; init; } = 50;
}

/// <summary>When the MSP's technicians work; sessions and scripts outside are <c>off-hours-activity</c>.</summary>
public sealed record WorkingHours
{
    [JsonConverter(typeof(ClockJsonConverter))]
    public TimeOnly Start { get; init; } = new(7, 0);

    /// <summary>End of the working day, exclusive (19:00 itself is off hours).</summary>
    [JsonConverter(typeof(ClockJsonConverter))]
    public TimeOnly End { get; init; } = new(19, 0);

    public IReadOnlyList<DayOfWeek> Days { get; init; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>True when a local time is inside working hours (a start after the end means a shift over midnight).</summary>
    public bool Contains(DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        if (Start <= End) return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
        // Overnight shift: the part after midnight belongs to the previous day's shift.
        return time >= Start ? Days.Contains(local.DayOfWeek) : time < End && Days.Contains(local.AddDays(-1).DayOfWeek);
    }
}

/// <summary><c>mass-execution</c>: one actor, one script or command line, many tenants, short window.</summary>
public sealed record MassExecutionSettings
{
    public int MinTenants { get; init; } = 5;
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A script that ran on <see cref="RecurringMinTenants"/> tenants in this much data before the window is a recurring job.</summary>
    public TimeSpan RecurringLookback { get; init; } = TimeSpan.FromDays(7);

    public int RecurringMinTenants { get; init; } = 5;
}

/// <summary><c>new-source-ip</c>: a successful login from an IP the actor has not used lately.</summary>
public sealed record NewSourceIpSettings
{
    public TimeSpan Lookback { get; init; } = TimeSpan.FromDays(14);

    /// <summary>How much of an actor's history must exist before a new IP means anything.</summary>
    public TimeSpan MinHistory { get; init; } = TimeSpan.FromDays(7);
}

/// <summary><c>brute-force</c>: many failed logins then a success.</summary>
public sealed record BruteForceSettings
{
    public int MinFailures { get; init; } = 10;
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);
}
