using System.CommandLine;
using Custodes.Application.Watch;
using Custodes.Common;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;

namespace Custodes.Cli.Watch;

/// <summary><c>custodes watch ingest &lt;file…&gt; --msp &lt;org&gt;</c>: stores an MSP's audit logs in the installation
/// (tamper-evidently), quarantines what cannot be read, runs the MSP's detection and stores the alerts.</summary>
internal static class IngestCommand
{
    /// <summary>The <c>--json</c> output.</summary>
    public sealed record Output(Guid Msp, string EventName, long Events, long Quarantined, IReadOnlyList<QuarantineEntry> Quarantine, long Batches, IReadOnlyList<AlertView> Alerts);

    private const int Chunk = 10_000;
    private const int ShownQuarantine = 1000;

    public static Command Create()
    {
        var files = new Argument<string[]>("file") { Description = "Log files to store; '-' or none reads stdin.", Arity = ArgumentArity.ZeroOrMore };
        var msp = new Option<string>("--msp") { Description = "The MSP organization (id or name) whose events these are.", Required = true };
        var format = new Option<string>("--format") { Description = $"Log format: {string.Join(", ", EventFormats.All.Select(f => f.Name))}.", DefaultValueFactory = _ => EventFormats.Default };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant for records that do not name one." };
        var timezone = new Option<string?>("--timezone") { Description = "Zone for timestamps written without one (IANA id, UTC, or +hh:mm)." };
        var map = new Option<string[]>("--map") { Description = "Field mapping, event field=source field (repeatable).", DefaultValueFactory = _ => [] };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("ingest", "Store an MSP's audit logs (tamper-evident), quarantine bad records, detect and store alerts.") { files, msp, format, tenant, timezone, map, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var org = await workspace.Organizations.ResolveAsync(parse.GetValue(msp)!, ct);
            var profile = await workspace.Get<Application.Watch.WatchMspStore>().EnsureAsync(org.Id, ct);
            var options = new ReadOptions
            {
                Msp = profile.EventName,
                Tenant = parse.GetValue(tenant),
                TimeZone = parse.GetValue(timezone) is { } z ? Timestamps.ResolveZone(z) : null,
                FieldMap = DetectCommand.ParseMap(parse.GetValue(map) ?? []),
                Refuse = profile.Refuse,
            };
            var pending = new List<QuarantineEntry>();
            var shown = new List<QuarantineEntry>();
            var quarantine = new Quarantine(entry =>
            {
                pending.Add(entry);
                if (shown.Count < ShownQuarantine) shown.Add(entry);
            }, keep: 0);
            var reader = new EventReader(EventFormats.Get(parse.GetValue(format) ?? EventFormats.Default), options, quarantine);
            var pipeline = workspace.Get<Application.Watch.WatchPipeline>();
            var alerts = new Dictionary<Guid, AlertView>();
            var batch = new List<WatchEvent>(Chunk);
            long batches = 0;

            async Task StoreAsync()
            {
                if (batch.Count == 0 && pending.Count == 0) return;
                var result = await pipeline.IngestAsync(org.Id, batch, [.. pending], ct);
                if (batch.Count > 0) batches += (batch.Count + WatchLog.MaxBatch - 1) / WatchLog.MaxBatch;
                foreach (var a in result.Alerts) alerts[a.Stored.Id] = a.Stored;
                batch.Clear();
                pending.Clear();
            }

            var inputs = parse.GetValue(files) is { Length: > 0 } given ? given : ["-"];
            foreach (var input in inputs)
            {
                var stdin = input == "-";
                Stream stream;
                try
                {
                    stream = stdin ? Console.OpenStandardInput() : File.OpenRead(input);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new BadInputException($"cannot read: {e.Message}", input);
                }
                using (stream)
                {
                    foreach (var e in reader.Read(stream, stdin ? "<stdin>" : input))
                    {
                        batch.Add(e);
                        if (batch.Count == Chunk) await StoreAsync();
                    }
                }
            }
            await StoreAsync();
            foreach (var a in await pipeline.FlushAsync(org.Id, ct)) alerts[a.Stored.Id] = a.Stored;

            var ordered = alerts.Values.OrderBy(a => a.FirstSeen).ThenBy(a => a.Rule, StringComparer.Ordinal).ToArray();
            if (reporter.Json) reporter.WriteJson(new Output(org.Id, profile.EventName, reader.Events, quarantine.Count, shown, batches, ordered));
            else
            {
                foreach (var q in shown.Take(20)) reporter.Warning(q.Describe());
                if (quarantine.Count > 20) reporter.Warning($"… {quarantine.Count - 20} more quarantined record(s); all are stored (and listed with --json)");
                foreach (var a in ordered)
                    reporter.Line($"{a.Severity,-8} {a.Rule,-26} {a.Actor ?? "–",-16} {a.Tenants.Count,4} tenant(s)  {a.Summary}");
                reporter.Line($"{reader.Events} events stored in {batches} batch(es) for {org.Name} (msp '{profile.EventName}'), {quarantine.Count} quarantined, {ordered.Length} alert(s)");
            }
            if (reader.Events == 0 && quarantine.Count > 0)
                throw new BadInputException($"no events could be stored: all {quarantine.Count} record(s) were quarantined (is --format right? do the events name msp '{profile.EventName}'?)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
