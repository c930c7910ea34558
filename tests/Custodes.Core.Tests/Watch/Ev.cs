using Custodes.Watch.Detection;
using Custodes.Watch.Events;

namespace Custodes.Core.Tests.Watch;

/// <summary>Terse event builders for detection specifications.</summary>
internal static class Ev
{
    /// <summary>Thursday 29 August 2019, 03:00 UTC: the night of the dental-practice attack.</summary>
    public static readonly DateTimeOffset Night = new(2019, 8, 29, 3, 0, 0, TimeSpan.Zero);

    /// <summary>Thursday 29 August 2019, 10:00 UTC: working hours.</summary>
    public static readonly DateTimeOffset Day = new(2019, 8, 29, 10, 0, 0, TimeSpan.Zero);

    public static WatchEvent Make(string action, DateTimeOffset time, string? tenant = "dental-001", string? actor = "tech7", string? ip = null,
        string msp = "percsoft", string source = "kaseya-vsa", string? target = null, params (string Key, string Value)[] detail) => new()
    {
        Time = time, Source = source, Msp = msp, Tenant = tenant, Actor = actor, ActorIp = ip, Action = action, Target = target,
        Detail = EventDetail.Of(detail),
    };

    public static WatchEvent Script(string tenant, DateTimeOffset time, string actor = "tech7", string script = "Maint-0829", string? command = null, string msp = "percsoft") =>
        command is null
            ? Make(EventActions.ScriptRun, time, tenant, actor, msp: msp, target: "FRONTDESK-01", detail: (DetailKeys.Script, script))
            : Make(EventActions.ScriptRun, time, tenant, actor, msp: msp, target: "FRONTDESK-01", detail: [(DetailKeys.Script, script), (DetailKeys.CommandLine, command)]);

    public static WatchEvent Command(string tenant, DateTimeOffset time, string command, string actor = "tech7") =>
        Make(EventActions.ScriptRun, time, tenant, actor, target: "FRONTDESK-01", detail: (DetailKeys.CommandLine, command));

    public static string Tenant(int i) => $"dental-{i:000}";

    /// <summary>The same script on <paramref name="count"/> tenants, one every <paramref name="every"/>.</summary>
    public static IEnumerable<WatchEvent> Burst(DateTimeOffset start, int count, TimeSpan every, string actor = "tech7", string script = "Maint-0829", int firstTenant = 1) =>
        Enumerable.Range(0, count).Select(i => Script(Tenant(firstTenant + i), start + every * i, actor, script));

    public static IReadOnlyList<Alert> Detect(IEnumerable<WatchEvent> events, DetectionSettings? settings = null) =>
        new DetectionEngine(new WatchSettings { Defaults = settings ?? new DetectionSettings() }).Run(events.OrderBy(e => e.Time));

    public static IReadOnlyList<Alert> Rule(this IReadOnlyList<Alert> alerts, string rule) => [.. alerts.Where(a => a.Rule == rule)];
}
