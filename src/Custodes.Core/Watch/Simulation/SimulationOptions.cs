using Custodes.Common;
using Custodes.Watch.Detection;

namespace Custodes.Watch.Simulation;

/// <summary>The attacks <c>custodes watch simulate --attack</c> can stage.</summary>
public enum AttackScenario
{
    /// <summary>2019 dental practices: an off-hours script on ~100 tenants deletes shadow copies and disables antivirus.</summary>
    Dental2019,
    /// <summary>Kaseya VSA, July 2021: a malicious agent procedure pushed to every tenant disables Defender and deletes backups.</summary>
    Kaseya2021,
    /// <summary>APT10 Cloud Hopper: stolen technician credentials from a new IP, slow access over weeks, a new admin account.</summary>
    CloudHopper,
    /// <summary>A second remote-access tool (AnyDesk) installed on tenants.</summary>
    RogueTool,
}

/// <summary>Names of <see cref="AttackScenario"/> on the command line.</summary>
public static class AttackScenarios
{
    public static readonly IReadOnlyDictionary<string, AttackScenario> ByName = new Dictionary<string, AttackScenario>(StringComparer.OrdinalIgnoreCase)
    {
        ["dental-2019"] = AttackScenario.Dental2019,
        ["kaseya-2021"] = AttackScenario.Kaseya2021,
        ["cloud-hopper"] = AttackScenario.CloudHopper,
        ["rogue-tool"] = AttackScenario.RogueTool,
    };

    public static string Name(AttackScenario scenario) => ByName.First(kv => kv.Value == scenario).Key;

    public static AttackScenario Parse(string name) =>
        ByName.TryGetValue(name.Trim(), out var s) ? s : throw new BadInputException($"unknown attack '{name}'; expected one of {string.Join(", ", ByName.Keys)}");
}

/// <summary>What to simulate.</summary>
public sealed record SimulationOptions
{
    public int Msps { get; init; } = 3;

    /// <summary>Tenants per MSP.</summary>
    public int Tenants { get; init; } = 20;

    public int Days { get; init; } = 30;
    public int Seed { get; init; } = 1;
    public AttackScenario? Attack { get; init; }

    /// <summary>First simulated day (local to <see cref="TimeZone"/>); a Monday by default.</summary>
    public DateOnly Start { get; init; } = new(2025, 3, 3);

    /// <summary>The simulated MSPs' time zone: their technicians' hours and nightly jobs are local to it.</summary>
    public string TimeZone { get; init; } = "UTC";

    public void Validate()
    {
        if (Msps is < 1 or > 10_000) throw new BadInputException("--msps must be between 1 and 10000");
        if (Tenants is < 1 or > 10_000) throw new BadInputException("--tenants must be between 1 and 10000");
        if (Days is < 1 or > 3_650) throw new BadInputException("--days must be between 1 and 3650");
    }
}

/// <summary>What an attack did, for checking a detection against it.</summary>
public sealed record AttackTruth(AttackScenario Scenario, string Msp, string Actor, IReadOnlyList<string> Tenants,
    IReadOnlyList<string> Rules, DateTimeOffset Start, string? Ip);

/// <summary>The settings the simulated MSPs would configure: their time zone, and a learning period because the log
/// starts on the first simulated day (scheduled jobs have no history before it).</summary>
public static class SimulatedSettings
{
    public static string Yaml(SimulationOptions options) =>
        $"""
        # Detection settings for the MSPs of `custodes watch simulate` (seed {options.Seed}).
        # The simulated log starts on {options.Start:yyyy-MM-dd}: its nightly and weekly jobs have no history before that, so
        # for the first week mass runs are treated as routine (learning_period) instead of all alerting on their first night.
        time_zone: {options.TimeZone}
        learning_period: 7d
        """ + "\n";

    public static WatchSettings For(SimulationOptions options) => WatchSettings.Parse(Yaml(options), "simulated settings");
}
