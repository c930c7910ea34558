using Custodes.Watch.Events;
using Custodes.Watch.Formats;

namespace Custodes.Watch.Simulation;

/// <summary>Generates realistic <c>custodes.event/v1</c> streams, deterministic for a seed: MSPs with technicians who keep
/// working hours and log in from home or office, nightly and weekly patch jobs to every tenant, maintenance scripts,
/// sessions, file transfers, occasional failed logins, agent onboarding; and, on request, one staged attack.
/// Events come out in time order, one simulated day at a time, so any length streams in bounded memory.</summary>
public sealed class Simulator
{
    private static readonly string[] Sources = ["kaseya-vsa", "connectwise-automate", "ninjaone", "datto-rmm", "n-able", "atera"];
    private static readonly string[] Kinds = ["dental", "law", "clinic", "cpa", "school", "mfg", "realty", "vet"];
    private static readonly string[] DeviceNames = ["FRONTDESK-01", "FRONTDESK-02", "DR-OFFICE", "XRAY-PC", "SERVER01", "BACKOFFICE", "LAPTOP-07", "RECEPTION"];

    private static readonly (string Script, string Command)[] Maintenance =
    [
        ("Clear-TempFiles", "powershell -NoProfile -Command \"Remove-Item $env:TEMP\\* -Recurse -Force -ErrorAction SilentlyContinue\""),
        ("Restart-PrintSpooler", "powershell -NoProfile -Command \"Restart-Service Spooler\""),
        ("Check-DiskSpace", "powershell -NoProfile -Command \"Get-PSDrive -PSProvider FileSystem\""),
        ("Reset-WindowsUpdate", "cmd /c net stop wuauserv & net start wuauserv"),
        ("Collect-Inventory", "powershell -NoProfile -File C:\\ProgramData\\MSP\\Get-Inventory.ps1"),
        ("Flush-DNS", "ipconfig /flushdns"),
        ("Check-Backups", "powershell -NoProfile -Command \"Get-WBSummary\""),
    ];

    private static readonly string[] AgentNames =
        ["Kaseya Agent", "ConnectWise Automate Agent (LTSvc)", "NinjaOne Agent", "Datto RMM Agent (CagService)", "N-able Windows Agent", "Atera Agent"];

    private const string PatchScript = "Patch-Windows-Nightly";
    private const string PatchCommand = "powershell.exe -NoProfile -File C:\\ProgramData\\MSP\\Install-Updates.ps1 -Reboot Never";
    private const string WeeklyScript = "Weekly-Maintenance";
    private const string WeeklyCommand = "powershell.exe -NoProfile -File C:\\ProgramData\\MSP\\Weekly-Maintenance.ps1";

    private sealed record Tech(string Name, string HomeIp, double Start, double End, int Index);
    private sealed record Tenant(string Id, string[] Devices);
    private sealed record Msp(string Id, int Index, string Source, string SessionSource, string OfficeIp, Tech[] Techs, Tenant[] Tenants);

    private readonly SimulationOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly Msp[] _msps;
    private readonly int _attackDay;

    public Simulator(SimulationOptions options)
    {
        options.Validate();
        _options = options;
        _zone = Timestamps.ResolveZone(options.TimeZone);
        _msps = [.. Enumerable.Range(0, options.Msps).Select(BuildMsp)];
        _attackDay = AttackDay();
        Truth = options.Attack is { } attack ? BuildTruth(attack) : null;
    }

    /// <summary>What the staged attack did (null without one).</summary>
    public AttackTruth? Truth { get; }

    public IEnumerable<string> MspIds => _msps.Select(m => m.Id);

    public IEnumerable<WatchEvent> Events()
    {
        var day = new List<(WatchEvent Event, long Seq)>();
        for (var d = 0; d < _options.Days; d++)
        {
            day.Clear();
            long seq = 0;
            void Emit(WatchEvent e) => day.Add((e, seq++));
            foreach (var msp in _msps) Day(msp, d, Emit);
            if (_options.Attack is { } attack) Attack(attack, d, Emit);
            day.Sort((a, b) => a.Event.Ticks != b.Event.Ticks ? a.Event.Ticks.CompareTo(b.Event.Ticks) : a.Seq.CompareTo(b.Seq));
            foreach (var (e, _) in day) yield return e;
        }
    }

    private Msp BuildMsp(int m)
    {
        var rng = Prng.For(_options.Seed, m, -1);
        var source = _options.Attack is AttackScenario.Dental2019 or AttackScenario.Kaseya2021 && m == 0 ? "kaseya-vsa" : Sources[m % Sources.Length];
        var techCount = Math.Clamp(_options.Tenants / 6 + 2, 3, 15);
        var techs = Enumerable.Range(0, techCount).Select(i =>
        {
            var start = rng.Between(7.5, 9.0);
            return new Tech($"tech{i + 1:00}", $"100.{64 + m % 64}.{m / 64 % 256}.{10 + i}", start, start + rng.Between(8.0, 9.0), i);
        }).ToArray();
        var tenants = Enumerable.Range(0, _options.Tenants).Select(t =>
        {
            var devices = Enumerable.Range(0, rng.Between(1, 4)).Select(i => DeviceNames[(t + i * 3) % DeviceNames.Length]).Distinct().ToArray();
            return new Tenant($"{Kinds[(m + t) % Kinds.Length]}-{m * _options.Tenants + t + 1:0000}", devices);
        }).ToArray();
        return new Msp($"msp-{m + 1:00}", m, source, m % 2 == 0 ? "screenconnect" : source, $"198.51.100.{m % 250 + 1}", techs, tenants);
    }

    private DateTimeOffset At(int day, double hours)
    {
        var local = _options.Start.ToDateTime(TimeOnly.MinValue).AddDays(day).AddTicks((long)(hours * TimeSpan.TicksPerHour));
        local = new DateTime(local.Ticks - local.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);
        if (_zone.IsInvalidTime(local)) local = local.AddHours(1); // the skipped hour when clocks go forward
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, _zone), TimeSpan.Zero);
    }

    private DayOfWeek Weekday(int day) => _options.Start.AddDays(day).DayOfWeek;

    /// <summary>How many Monday–Friday days precede <paramref name="day"/>.</summary>
    private int WorkdayIndex(int day)
    {
        var weeks = day / 7;
        var count = weeks * 5;
        for (var d = weeks * 7; d < day; d++)
            if (Weekday(d) is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) count++;
        return count;
    }

    private static WatchEvent Event(Msp msp, string source, DateTimeOffset time, string action, string? tenant, string? actor, string? ip, string? target,
        params (string Key, string Value)[] detail) => new()
    {
        Time = time, Source = source, Msp = msp.Id, Tenant = tenant, Actor = actor, ActorIp = ip, Action = action, Target = target,
        Detail = detail.Length == 0 ? EventDetail.Empty : EventDetail.Of(detail),
    };

    /// <summary>One ordinary day of one MSP.</summary>
    private void Day(Msp msp, int d, Action<WatchEvent> emit)
    {
        var rng = Prng.For(_options.Seed, msp.Index, d, 1);
        var weekday = Weekday(d);
        var workday = weekday is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

        // The nightly patch job, run by the RMM's scheduler on every device of every tenant.
        foreach (var (tenant, i) in msp.Tenants.Select((t, i) => (t, i)))
            foreach (var (device, k) in tenant.Devices.Select((v, k) => (v, k)))
                emit(Event(msp, msp.Source, At(d, 2.0).AddSeconds(i * 15 + k * 3 + rng.Next(3)), EventActions.ScriptRun, tenant.Id, "system", null, device,
                    (DetailKeys.Script, PatchScript), (DetailKeys.CommandLine, PatchCommand)));

        // The weekly maintenance job, scheduled by the lead technician for Sunday 03:00.
        if (weekday == DayOfWeek.Sunday)
            foreach (var (tenant, i) in msp.Tenants.Select((t, i) => (t, i)))
                emit(Event(msp, msp.Source, At(d, 3.0).AddSeconds(i * 20 + rng.Next(5)), EventActions.ScriptRun, tenant.Id, msp.Techs[0].Name, null,
                    tenant.Devices[0], (DetailKeys.Script, WeeklyScript), (DetailKeys.CommandLine, WeeklyCommand)));

        foreach (var tech in msp.Techs)
        {
            // Everyone works the first week, so both their home and office addresses are familiar before new-source-ip can judge.
            if (workday && (rng.Chance(0.95) || d < 7)) Workday(msp, tech, d, ref rng, emit);
            else if (weekday == DayOfWeek.Saturday && rng.Chance(0.05))
            {
                // On call: one session from home on a Saturday.
                var ip = tech.HomeIp;
                var t = At(d, rng.Between(10.0, 16.0));
                var tenant = Assigned(msp, tech, ref rng);
                emit(Event(msp, msp.Source, t, EventActions.LoginSuccess, null, tech.Name, ip, null));
                Session(msp, tech, tenant, t.AddMinutes(3), rng.Between(10, 30), ip, ref rng, emit);
            }
        }

        if (workday && rng.Chance(0.10))
        {
            // A new device onboarded: the MSP's own RMM agent.
            var tech = rng.Pick(msp.Techs);
            var tenant = rng.Pick(msp.Tenants);
            emit(Event(msp, msp.Source, At(d, rng.Between(tech.Start + 1, tech.End - 1)), EventActions.AgentInstalled, tenant.Id, tech.Name, msp.OfficeIp,
                $"NEW-PC-{rng.Between(10, 99)}", (DetailKeys.Tool, AgentNames[Array.IndexOf(Sources, msp.Source)])));
        }
        if (workday && rng.Chance(0.05))
            emit(Event(msp, msp.Source, At(d, rng.Between(10.0, 15.0)), EventActions.PolicyChanged, null, msp.Techs[0].Name, msp.OfficeIp, null,
                ("policy", rng.Pick<string>(["Workstation monitoring", "Server patching", "Alert thresholds"]))));
        if (d % 30 == 9 && workday)
            emit(Event(msp, msp.Source, At(d, 11.0), EventActions.AccountCreated, null, msp.Techs[0].Name, msp.OfficeIp, null,
                (DetailKeys.Account, $"tech-new{d / 30 + 1}"), (DetailKeys.Role, "Technician")));
    }

    private void Workday(Msp msp, Tech tech, int d, ref Prng rng, Action<WatchEvent> emit)
    {
        // Home every third working day, office otherwise: both addresses are familiar within the first week and never
        // unused for two weeks unless the technician is away.
        var ip = (WorkdayIndex(d) + tech.Index) % 3 == 0 ? tech.HomeIp : msp.OfficeIp;
        var login = At(d, tech.Start + rng.Between(0.0, 0.15));
        if (rng.Chance(0.04))
            for (var f = rng.Between(1, 2); f >= 1; f--)
                emit(Event(msp, msp.Source, login.AddSeconds(-20 * f), EventActions.LoginFailure, null, tech.Name, ip, null, (DetailKeys.Result, "invalid password")));
        emit(Event(msp, msp.Source, login, EventActions.LoginSuccess, null, tech.Name, ip, null));

        var dayStart = tech.Start + 0.2;
        var dayEnd = tech.End - 0.7;
        for (var s = rng.Between(2, 6); s > 0; s--)
            Session(msp, tech, Assigned(msp, tech, ref rng), At(d, rng.Between(dayStart, dayEnd)), rng.Between(5, 40), ip, ref rng, emit);
        for (var s = rng.Between(1, 4); s > 0; s--)
        {
            var (script, command) = rng.Pick(Maintenance);
            var tenant = Assigned(msp, tech, ref rng);
            emit(Event(msp, msp.Source, At(d, rng.Between(dayStart, dayEnd)), EventActions.ScriptRun, tenant.Id, tech.Name, ip, rng.Pick(tenant.Devices),
                (DetailKeys.Script, script), (DetailKeys.CommandLine, command)));
        }
        if (rng.Chance(0.3))
        {
            var tenant = Assigned(msp, tech, ref rng);
            emit(Event(msp, msp.SessionSource, At(d, rng.Between(dayStart, dayEnd)), EventActions.FileTransfer, tenant.Id, tech.Name, ip, rng.Pick(tenant.Devices),
                (DetailKeys.File, rng.Pick<string>(["driver-update.msi", "scanner-setup.exe", "report.pdf", "logs.zip"]))));
        }
        if (rng.Chance(0.03))
            Session(msp, tech, Assigned(msp, tech, ref rng), At(d, rng.Between(19.25, 20.5)), rng.Between(10, 30), ip, ref rng, emit); // working late
    }

    private static Tenant Assigned(Msp msp, Tech tech, ref Prng rng)
    {
        // Each technician looks after a share of the tenants and sometimes helps with others.
        if (rng.Chance(0.2) || msp.Tenants.Length < msp.Techs.Length) return rng.Pick(msp.Tenants);
        var mine = msp.Tenants.Where((_, i) => i % msp.Techs.Length == tech.Index).ToArray();
        return rng.Pick(mine);
    }

    private static void Session(Msp msp, Tech tech, Tenant tenant, DateTimeOffset start, int minutes, string ip, ref Prng rng, Action<WatchEvent> emit)
    {
        var device = rng.Pick(tenant.Devices);
        var id = $"{tenant.Id}-{start.ToUnixTimeSeconds() % 100000:00000}";
        // Sessions start by 20:30 local and last at most 40 minutes, so each day's events stay within that local day.
        var end = start.AddMinutes(minutes);
        emit(Event(msp, msp.SessionSource, start, EventActions.SessionStart, tenant.Id, tech.Name, ip, device, (DetailKeys.SessionId, id)));
        emit(Event(msp, msp.SessionSource, end, EventActions.SessionEnd, tenant.Id, tech.Name, ip, device, (DetailKeys.SessionId, id)));
    }

    // ---- Attacks -------------------------------------------------------------------------------------------------

    private int AttackDay() => _options.Attack switch
    {
        AttackScenario.CloudHopper => _options.Days > 9 ? Math.Max(8, _options.Days / 3) : _options.Days - 1,
        AttackScenario.RogueTool => _options.Days / 2,
        AttackScenario.Kaseya2021 => FridayFrom(Math.Max(0, _options.Days * 2 / 3)),
        _ => Math.Min(_options.Days - 1, Math.Max(_options.Days > 8 ? 8 : 0, _options.Days * 2 / 3)),
    };

    private int FridayFrom(int day)
    {
        for (var d = day; d < _options.Days; d++)
            if (Weekday(d) == DayOfWeek.Friday) return d;
        return Math.Min(day, _options.Days - 1);
    }

    private IReadOnlyList<Tenant> Victims(AttackScenario attack)
    {
        var msp = _msps[0];
        return attack switch
        {
            AttackScenario.Dental2019 => [.. msp.Tenants.Take(100)],
            AttackScenario.Kaseya2021 => msp.Tenants,
            AttackScenario.RogueTool => [.. msp.Tenants.Take(3)],
            _ => CloudHopperVisits().Select(v => v.Tenant).Distinct().ToArray(),
        };
    }

    private AttackTruth BuildTruth(AttackScenario attack)
    {
        var msp = _msps[0];
        var tenants = Victims(attack).Select(t => t.Id).Order(StringComparer.Ordinal).ToArray();
        return attack switch
        {
            AttackScenario.Dental2019 => new(attack, msp.Id, Actor(2), tenants,
                ["mass-execution", "backup-destruction", "security-tool-tampering", "off-hours-activity", .. _attackDay >= 8 ? ["new-source-ip"] : Array.Empty<string>()],
                At(_attackDay, 2.9), DentalIp),
            AttackScenario.Kaseya2021 => new(attack, msp.Id, Actor(1), tenants, ["mass-execution", "security-tool-tampering", "backup-destruction"], At(_attackDay, 14.0), null),
            AttackScenario.CloudHopper => new(attack, msp.Id, Actor(3), tenants,
                ["privileged-account-created", "off-hours-activity", .. _attackDay >= 8 ? ["new-source-ip"] : Array.Empty<string>()], At(_attackDay, 1.5), HopperIp),
            _ => new(attack, msp.Id, Actor(2), tenants, ["unapproved-remote-tool"], At(_attackDay, 10.5), null),
        };
    }

    private string Actor(int n) => _msps[0].Techs[Math.Min(n, _msps[0].Techs.Length) - 1].Name;

    private const string DentalIp = "192.0.2.66";
    private const string HopperIp = "192.0.2.23";

    private const string RevilCommand =
        "C:\\WINDOWS\\system32\\cmd.exe /c ping 127.0.0.1 -n 4979 > nul & C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe Set-MpPreference " +
        "-DisableRealtimeMonitoring $true -DisableIntrusionPreventionSystem $true -DisableIOAVProtection $true -DisableScriptScanning $true " +
        "-EnableControlledFolderAccess Disabled -EnableNetworkProtection AuditMode -Force -MAPSReporting Disabled -SubmitSamplesConsent NeverSend & " +
        "copy /Y C:\\Windows\\System32\\certutil.exe C:\\Windows\\cert.exe & echo %RANDOM% >> C:\\Windows\\cert.exe & " +
        "C:\\Windows\\cert.exe -decode c:\\kworking\\agent.crt c:\\kworking\\agent.exe & del /q /f c:\\kworking\\agent.crt C:\\Windows\\cert.exe & c:\\kworking\\agent.exe";

    private void Attack(AttackScenario attack, int d, Action<WatchEvent> emit)
    {
        var msp = _msps[0];
        var rng = Prng.For(_options.Seed, msp.Index, d, 99);
        switch (attack)
        {
            case AttackScenario.Dental2019 when d == _attackDay:
            {
                var actor = Actor(2);
                var script = $"Maint-{_options.Start.AddDays(d):MMdd}";
                emit(Event(msp, msp.Source, At(d, 2.9), EventActions.LoginSuccess, null, actor, DentalIp, null));
                foreach (var (tenant, i) in Victims(attack).Select((t, i) => (t, i)))
                {
                    var t = At(d, 3.0).AddSeconds(i * 25 + rng.Next(5));
                    var device = tenant.Devices[0];
                    emit(Event(msp, msp.Source, t, EventActions.ScriptRun, tenant.Id, actor, DentalIp, device, (DetailKeys.Script, script),
                        (DetailKeys.CommandLine, "cmd.exe /c vssadmin delete shadows /all /quiet & wmic shadowcopy delete & bcdedit /set {default} recoveryenabled No")));
                    emit(Event(msp, msp.Source, t.AddSeconds(8), EventActions.ScriptRun, tenant.Id, actor, DentalIp, device, (DetailKeys.Script, script),
                        (DetailKeys.CommandLine, "powershell -ExecutionPolicy Bypass -Command \"Set-MpPreference -DisableRealtimeMonitoring $true\"")));
                    emit(Event(msp, msp.Source, t.AddSeconds(12), EventActions.SecurityToolDisabled, tenant.Id, actor, DentalIp, device,
                        (DetailKeys.Tool, "Webroot SecureAnywhere")));
                }
                break;
            }
            case AttackScenario.Kaseya2021 when d == _attackDay:
            {
                var actor = Actor(1);
                foreach (var (tenant, i) in Victims(attack).Select((t, i) => (t, i)))
                {
                    var t = At(d, 14.0).AddSeconds(i * 6 + rng.Next(3));
                    foreach (var device in tenant.Devices)
                    {
                        emit(Event(msp, msp.Source, t, EventActions.ScriptRun, tenant.Id, actor, null, device,
                            (DetailKeys.Script, "Kaseya VSA Agent Hot-fix"), (DetailKeys.CommandLine, RevilCommand)));
                        emit(Event(msp, msp.Source, t.AddSeconds(30), EventActions.SecurityToolDisabled, tenant.Id, actor, null, device, (DetailKeys.Tool, "Microsoft Defender")));
                        emit(Event(msp, msp.Source, t.AddSeconds(45), EventActions.ScriptRun, tenant.Id, actor, null, device,
                            (DetailKeys.Script, "Kaseya VSA Agent Hot-fix"), (DetailKeys.CommandLine, "cmd /c vssadmin delete shadows /all /quiet & wbadmin delete catalog -quiet")));
                        emit(Event(msp, msp.Source, t.AddSeconds(50), EventActions.BackupDeleted, tenant.Id, actor, null, device, ("backup", "local image backups")));
                    }
                }
                break;
            }
            case AttackScenario.CloudHopper:
                foreach (var visit in CloudHopperVisits().Where(v => v.Day == d)) CloudHopperVisit(msp, visit, emit);
                break;
            case AttackScenario.RogueTool when d == _attackDay:
            {
                var actor = Actor(2);
                foreach (var (tenant, i) in Victims(attack).Select((t, i) => (t, i)))
                    emit(Event(msp, msp.Source, At(d, 10.5).AddMinutes(i * 7), EventActions.AgentInstalled, tenant.Id, actor, msp.OfficeIp, tenant.Devices[0],
                        (DetailKeys.Tool, "AnyDesk"), ("version", "8.0.8")));
                break;
            }
        }
    }

    private sealed record Visit(int Day, Tenant Tenant, bool CreatesAdmin);

    /// <summary>Cloud Hopper's slow campaign: a night visit every three days from the attack day on, one or two tenants each.</summary>
    private IEnumerable<Visit> CloudHopperVisits()
    {
        var msp = _msps[0];
        var rng = Prng.For(_options.Seed, 0, -7);
        var first = true;
        for (var d = _attackDay; d < _options.Days; d += 3)
        {
            var count = rng.Between(1, 2);
            for (var k = 0; k < count; k++)
            {
                yield return new Visit(d, rng.Pick(msp.Tenants), first);
                first = false;
            }
        }
    }

    private void CloudHopperVisit(Msp msp, Visit visit, Action<WatchEvent> emit)
    {
        var actor = Actor(3);
        var rng = Prng.For(_options.Seed, 0, visit.Day, Array.IndexOf(msp.Tenants, visit.Tenant));
        var t = At(visit.Day, rng.Between(1.5, 3.5));
        emit(Event(msp, msp.Source, t, EventActions.LoginSuccess, null, actor, HopperIp, null));
        var device = visit.Tenant.Devices[^1];
        emit(Event(msp, msp.SessionSource, t.AddMinutes(4), EventActions.SessionStart, visit.Tenant.Id, actor, HopperIp, device, (DetailKeys.SessionId, $"ch-{visit.Day}")));
        emit(Event(msp, msp.SessionSource, t.AddMinutes(21), EventActions.FileTransfer, visit.Tenant.Id, actor, HopperIp, device, (DetailKeys.File, "C:\\Users\\Public\\Libraries\\sys.rar")));
        if (visit.CreatesAdmin)
        {
            emit(Event(msp, msp.Source, t.AddMinutes(12), EventActions.ScriptRun, visit.Tenant.Id, actor, HopperIp, device,
                (DetailKeys.CommandLine, "net user svc-backup Winter2025! /add & net localgroup administrators svc-backup /add")));
            emit(Event(msp, msp.Source, t.AddMinutes(13), EventActions.AccountCreated, visit.Tenant.Id, actor, HopperIp, device,
                (DetailKeys.Account, "svc-backup"), (DetailKeys.Role, "Administrator")));
        }
        emit(Event(msp, msp.SessionSource, t.AddMinutes(35), EventActions.SessionEnd, visit.Tenant.Id, actor, HopperIp, device, (DetailKeys.SessionId, $"ch-{visit.Day}")));
    }
}
