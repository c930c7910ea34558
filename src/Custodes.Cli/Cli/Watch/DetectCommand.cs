using System.CommandLine;
using Custodes.Common;
using Custodes.Watch.Detection;
using Custodes.Watch.Formats;
using Custodes.Watch.Sigma;
using Spectre.Console;

namespace Custodes.Cli.Watch;

/// <summary><c>custodes watch detect &lt;file…&gt;</c>: reads audit logs, prints <c>{"events": n, "alerts": [...]}</c> with
/// <c>--json</c> or a table; exit 1 when <c>--fail-on</c> finds an alert at or above that severity.</summary>
internal static class DetectCommand
{
    /// <summary>What <c>watch detect</c> was asked to do.</summary>
    public sealed record Request
    {
        public IReadOnlyList<string> Files { get; init; } = [];
        public string Format { get; init; } = EventFormats.Default;
        public string? Settings { get; init; }
        public IReadOnlyList<string> Sigma { get; init; } = [];
        public string? Quarantine { get; init; }
        public Severity? FailOn { get; init; }
        public string? Msp { get; init; }
        public string? Tenant { get; init; }
        public string? TimeZone { get; init; }
        public IReadOnlyList<string> Map { get; init; } = [];
        public int MaxRecordBytes { get; init; } = 1 << 20;
    }

    /// <summary>The <c>--json</c> output (contracts §7).</summary>
    public sealed record Output(long Events, IReadOnlyList<Alert> Alerts);

    private const int ShownQuarantine = 20;

    public static Command Create()
    {
        var files = new Argument<string[]>("file") { Description = "Log files to read; '-' or none reads stdin.", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format") { Description = $"Log format: {string.Join(", ", EventFormats.All.Select(f => f.Name))}.", DefaultValueFactory = _ => EventFormats.Default };
        var json = CommonOptions.Json();
        var settings = new Option<string?>("--settings") { Description = "Detection settings (YAML or JSON): thresholds, windows, working hours, time zone, approvals; per MSP under 'msps'." };
        var sigma = new Option<string[]>("--sigma") { Description = "Sigma rule file or directory (repeatable).", DefaultValueFactory = _ => [] };
        var quarantine = new Option<string?>("--quarantine") { Description = "Write every rejected record (file, line, reason, raw) to this NDJSON file." };
        var failOn = new Option<string?>("--fail-on") { Description = "Exit 1 when an alert at or above this severity is found." };
        failOn.AcceptOnlyFromAmong("low", "medium", "high", "critical");
        var msp = new Option<string?>("--msp") { Description = "MSP id for records that do not name one (every vendor export belongs to one MSP)." };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant for records that do not name one (a guest-side log of one customer)." };
        var timezone = new Option<string?>("--timezone") { Description = "Zone for timestamps written without one (IANA id, UTC, or +hh:mm)." };
        var map = new Option<string[]>("--map") { Description = "Field mapping, event field=source field (repeatable), e.g. --map actor=Technician.", DefaultValueFactory = _ => [] };
        var maxRecord = new Option<int>("--max-record-bytes") { Description = "Largest record accepted; longer ones are quarantined.", DefaultValueFactory = _ => 1 << 20 };

        var command = new Command("detect", "Detect MSP-borne attacks in audit logs.") { files, format, json, settings, sigma, quarantine, failOn, msp, tenant, timezone, map, maxRecord };
        command.SetHandler(json, (parse, reporter) => Run(new Request
        {
            Files = parse.GetValue(files) ?? [],
            Format = parse.GetValue(format) ?? EventFormats.Default,
            Settings = parse.GetValue(settings),
            Sigma = parse.GetValue(sigma) ?? [],
            Quarantine = parse.GetValue(quarantine),
            FailOn = parse.GetValue(failOn) is { } f ? Enum.Parse<Severity>(f, ignoreCase: true) : null,
            Msp = parse.GetValue(msp),
            Tenant = parse.GetValue(tenant),
            TimeZone = parse.GetValue(timezone),
            Map = parse.GetValue(map) ?? [],
            MaxRecordBytes = parse.GetValue(maxRecord),
        }, reporter));
        return command;
    }

    public static int Run(Request request, Reporter reporter)
    {
        var format = EventFormats.Get(request.Format);
        if (request.MaxRecordBytes is < 1024 or > 256 << 20) throw new BadInputException("--max-record-bytes must be between 1024 and 268435456");
        var options = new ReadOptions
        {
            Msp = request.Msp,
            Tenant = request.Tenant,
            TimeZone = request.TimeZone is { } z ? Timestamps.ResolveZone(z) : null,
            FieldMap = ParseMap(request.Map),
            MaxRecordBytes = request.MaxRecordBytes,
        };
        var settings = request.Settings is { } path ? DocumentFiles.ReadWatchSettings(path) : WatchSettings.Default;
        var sigma = DocumentFiles.ReadSigmaRules(request.Sigma);

        using var quarantineFile = request.Quarantine is { } q ? new StreamWriter(q, append: false) : null;
        var quarantine = new Quarantine(quarantineFile is null ? null : entry => quarantineFile.WriteLine(entry.ToJson()), keep: ShownQuarantine);
        var reader = new EventReader(format, options, quarantine);
        var engine = new DetectionEngine(settings, sigma);
        var alerts = new List<Alert>();

        foreach (var input in request.Files.Count == 0 ? ["-"] : request.Files)
        {
            var stdin = input == "-";
            using var stream = stdin ? Console.OpenStandardInput() : File.OpenRead(input);
            foreach (var e in reader.Read(stream, stdin ? "<stdin>" : input)) alerts.AddRange(engine.Process(e));
        }
        alerts.AddRange(engine.Flush());
        var ordered = DetectionEngine.Order(alerts);

        ReportQuarantine(quarantine, request.Quarantine, reporter);
        if (engine.Late > 0)
            reporter.Warning($"{engine.Late} event(s) arrived later than the reorder window allows; they were evaluated out of order");
        if (reader.Events == 0 && quarantine.Count > 0)
            throw new BadInputException($"no events could be read: all {quarantine.Count} record(s) were rejected (is --format {format.Name} right?)");

        if (reporter.Json) reporter.WriteJson(new Output(reader.Events, ordered));
        else Table(reader.Events, ordered, reporter);
        return request.FailOn is { } threshold && ordered.Any(a => a.Severity >= threshold) ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }

    internal static IReadOnlyDictionary<string, string> ParseMap(IReadOnlyList<string> entries)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0 || eq == entry.Length - 1) throw new BadInputException($"--map '{entry}': expected field=source_field, e.g. actor=Technician");
            map[entry[..eq].Trim()] = entry[(eq + 1)..].Trim();
        }
        return map;
    }

    private static void ReportQuarantine(Quarantine quarantine, string? file, Reporter reporter)
    {
        if (quarantine.Count == 0) return;
        foreach (var entry in quarantine.Entries) reporter.Warning(entry.Describe());
        var more = quarantine.Count - quarantine.Entries.Count;
        reporter.Warning($"{quarantine.Count} record(s) quarantined{(more > 0 ? $" ({more} not shown)" : "")}; " +
            (file is null ? "pass --quarantine <file> to keep them" : $"all written to {file}"));
    }

    private static void Table(long events, IReadOnlyList<Alert> alerts, Reporter reporter)
    {
        var console = reporter.Console;
        if (alerts.Count > 0)
        {
            var table = new Table().AddColumns("#", "Severity", "Rule", "MSP", "Actor", "Tenants", "First seen (UTC)", "Events");
            foreach (var (a, i) in alerts.Select((a, i) => (a, i + 1)))
                table.AddRow(i.ToString(), Severity(a.Severity), Markup.Escape(a.Rule), Markup.Escape(a.Msp), Markup.Escape(a.Actor ?? "–"),
                    a.Tenants.Count.ToString(), a.FirstSeen.UtcDateTime.ToString("yyyy-MM-dd HH:mm"), a.EventCount.ToString());
            console.Write(table);
            foreach (var (a, i) in alerts.Select((a, i) => (a, i + 1)))
            {
                var tenants = a.Tenants.Count == 0 ? "" : $"\n     tenants: {string.Join(", ", a.Tenants.Take(12))}{(a.Tenants.Count > 12 ? $", … ({a.Tenants.Count})" : "")}";
                console.MarkupLine($"{i,3}. {Markup.Escape(a.Summary)}[dim]{Markup.Escape(tenants)}[/]");
            }
        }
        var bySeverity = alerts.GroupBy(a => a.Severity).OrderByDescending(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        console.WriteLine($"{events} events, {alerts.Count} alerts{(alerts.Count > 0 ? $" ({string.Join(", ", bySeverity)})" : "")}");
    }

    private static string Severity(Severity s) => s switch
    {
        Custodes.Watch.Detection.Severity.Critical => "[bold red]critical[/]",
        Custodes.Watch.Detection.Severity.High => "[red]high[/]",
        Custodes.Watch.Detection.Severity.Medium => "[yellow]medium[/]",
        _ => "[dim]low[/]",
    };
}
