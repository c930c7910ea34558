using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Custodes.Common;
using Custodes.Watch.Events;
using Custodes.Watch.Simulation;

namespace Custodes.Cli.Watch;

/// <summary><c>custodes watch simulate</c>: writes a deterministic <c>custodes.event/v1</c> NDJSON stream to stdout or
/// <c>--out</c>, optionally with a staged attack.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var msps = new Option<int>("--msps") { Description = "Number of MSPs.", DefaultValueFactory = _ => 3 };
        var tenants = new Option<int>("--tenants") { Description = "Tenants per MSP.", DefaultValueFactory = _ => 20 };
        var days = new Option<int>("--days") { Description = "Days to simulate.", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same events.", DefaultValueFactory = _ => 1 };
        var attack = new Option<string?>("--attack") { Description = $"Stage an attack: {string.Join(", ", AttackScenarios.ByName.Keys)}." };
        attack.AcceptOnlyFromAmong([.. AttackScenarios.ByName.Keys]);
        var start = new Option<string?>("--start") { Description = "First simulated day, yyyy-MM-dd (default 2025-03-03, a Monday)." };
        var zone = new Option<string>("--time-zone") { Description = "The simulated MSPs' time zone.", DefaultValueFactory = _ => "UTC" };
        var output = new Option<string?>("--out") { Description = "Write the NDJSON here instead of stdout." };
        var settingsOut = new Option<string?>("--settings-out") { Description = "Also write the detection settings the simulated MSPs would use." };

        var command = new Command("simulate", "Write simulated RMM audit events (custodes.event/v1 NDJSON), optionally with an attack.")
        {
            msps, tenants, days, seed, attack, start, zone, output, settingsOut,
        };
        command.SetHandler(null, (parse, reporter) =>
        {
            var options = new SimulationOptions
            {
                Msps = parse.GetValue(msps),
                Tenants = parse.GetValue(tenants),
                Days = parse.GetValue(days),
                Seed = parse.GetValue(seed),
                Attack = parse.GetValue(attack) is { } a ? AttackScenarios.Parse(a) : null,
                Start = parse.GetValue(start) is { } s ? ParseDate(s) : new SimulationOptions().Start,
                TimeZone = parse.GetValue(zone) ?? "UTC",
            };
            return Run(options, parse.GetValue(output), parse.GetValue(settingsOut), reporter);
        });
        return command;
    }

    public static int Run(SimulationOptions options, string? outPath, string? settingsOut, Reporter reporter)
    {
        Custodes.Watch.Formats.Timestamps.ResolveZone(options.TimeZone);
        var simulator = new Simulator(options);
        long count;
        if (outPath is not null)
        {
            using var file = new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            count = Write(simulator.Events(), file);
        }
        else if (ReferenceEquals(reporter.Out, Console.Out))
        {
            // The real stdout: write UTF-8 bytes straight to it rather than through a TextWriter.
            using var stdout = Console.OpenStandardOutput();
            count = Write(simulator.Events(), stdout);
        }
        else
        {
            count = 0;
            foreach (var e in simulator.Events())
            {
                reporter.Out.Write(EventJson.Serialize(e));
                reporter.Out.Write('\n');
                count++;
            }
        }
        if (settingsOut is not null) File.WriteAllText(settingsOut, SimulatedSettings.Yaml(options));

        var attack = simulator.Truth is { } t
            ? $"; attack {AttackScenarios.Name(t.Scenario)} on {t.Msp} by {t.Actor}, {t.Tenants.Count} tenant(s), from {EventJson.FormatTime(t.Start)}"
            : "";
        reporter.Err.WriteLine($"simulated {count} events: {options.Msps} MSP(s) × {options.Tenants} tenants × {options.Days} day(s), seed {options.Seed}{attack}");
        return ExitCodes.Ok;
    }

    private static long Write(IEnumerable<WatchEvent> events, Stream stream)
    {
        var buffered = new BufferedStream(stream, 1 << 16);
        using var writer = new Utf8JsonWriter(buffered, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        long count = 0;
        foreach (var e in events)
        {
            EventJson.Write(writer, e);
            writer.Flush();
            buffered.WriteByte((byte)'\n');
            writer.Reset();
            count++;
        }
        buffered.Flush();
        return count;
    }

    private static DateOnly ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new BadInputException($"--start '{text}' is not a date (expected yyyy-MM-dd)");
}
