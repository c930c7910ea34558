using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Custodes.Common;
using Custodes.Watch.Formats;

namespace Custodes.Watch.Detection;

/// <summary>Detection settings for every MSP: defaults plus per-MSP overrides. In a file (YAML or JSON) the top level holds
/// the defaults and <c>msps: {id: {...}}</c> the overrides, each overlaid field by field on the defaults.</summary>
public sealed record WatchSettings
{
    public DetectionSettings Defaults { get; init; } = new();
    public IReadOnlyDictionary<string, DetectionSettings> Msps { get; init; } = new Dictionary<string, DetectionSettings>();

    public static readonly WatchSettings Default = new();

    public DetectionSettings For(string msp) => Msps.TryGetValue(msp, out var s) ? s : Defaults;

    internal static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(Json.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        // Ahead of the shared enum converter, which would read days only by their full names.
        options.Converters.Insert(0, new DurationJsonConverter());
        options.Converters.Insert(0, new DayJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Parses settings text (JSON, or YAML when it does not start with <c>{</c>), naming <paramref name="file"/> in errors.</summary>
    public static WatchSettings Parse(string text, string file = "settings")
    {
        JsonNode? root;
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException e)
            {
                throw new BadInputException($"invalid JSON: {e.Message}", file, line: e.LineNumber + 1);
            }
        }
        else
        {
            var documents = YamlJson.Documents(text, file);
            root = documents.Count == 0 ? null : documents[0];
        }
        if (root is null) return Default;
        if (root is not JsonObject obj) throw new BadInputException("settings must be an object (defaults at the top, per-MSP under 'msps')", file, "$");

        var msps = obj["msps"];
        obj.Remove("msps");
        var defaults = Read(obj, file, "$");
        var perMsp = new Dictionary<string, DetectionSettings>(StringComparer.Ordinal);
        if (msps is JsonObject mspObject)
        {
            foreach (var (id, node) in mspObject)
            {
                if (node is not JsonObject overrides) throw new BadInputException("expected an object of settings", file, $"$.msps.{id}");
                perMsp[id] = Read(Overlay((JsonObject)obj.DeepClone(), overrides), file, $"$.msps.{id}");
            }
        }
        else if (msps is not null) throw new BadInputException("expected an object keyed by MSP id", file, "$.msps");
        return new WatchSettings { Defaults = defaults, Msps = perMsp };
    }

    private static DetectionSettings Read(JsonObject node, string file, string path)
    {
        DetectionSettings settings;
        try
        {
            settings = node.Deserialize<DetectionSettings>(Options) ?? new DetectionSettings();
        }
        catch (JsonException e)
        {
            var at = e.Path is { Length: > 1 } p ? path + p[1..] : path;
            throw new BadInputException(e.Message.Split(" Path:")[0], file, at);
        }
        Validate(settings, file, path);
        return settings;
    }

    private static void Validate(DetectionSettings s, string file, string path)
    {
        void Require(bool ok, string at, string message)
        {
            if (!ok) throw new BadInputException(message, file, $"{path}.{at}");
        }
        Require(s.MassExecution.MinTenants >= 1, "mass_execution.min_tenants", "must be at least 1");
        Require(s.MassExecution.RecurringMinTenants >= 1, "mass_execution.recurring_min_tenants", "must be at least 1");
        Require(s.MassExecution.Window > TimeSpan.Zero, "mass_execution.window", "must be positive");
        Require(s.MassExecution.RecurringLookback >= TimeSpan.Zero, "mass_execution.recurring_lookback", "must not be negative");
        Require(s.NewSourceIp.Lookback > TimeSpan.Zero, "new_source_ip.lookback", "must be positive");
        Require(s.NewSourceIp.MinHistory >= TimeSpan.Zero, "new_source_ip.min_history", "must not be negative");
        Require(s.BruteForce.MinFailures >= 1, "brute_force.min_failures", "must be at least 1");
        Require(s.BruteForce.Window > TimeSpan.Zero, "brute_force.window", "must be positive");
        Require(s.AlertGap > TimeSpan.Zero, "alert_gap", "must be positive");
        Require(s.ReorderWindow >= TimeSpan.Zero && s.ReorderWindow <= TimeSpan.FromHours(6), "reorder_window", "must be between 0 and 6h");
        Require(s.LearningPeriod >= TimeSpan.Zero, "learning_period", "must not be negative");
        Require(s.SampleSize is >= 0 and <= 10_000, "sample_size", "must be between 0 and 10000");
        Require(s.WorkingHours.Start != s.WorkingHours.End, "working_hours", "start and end must differ");
        Require(s.WorkingHours.Days.Count > 0, "working_hours.days", "must list at least one day");
        foreach (var rule in s.DisabledRules)
            Require(RuleIds.All.Contains(rule) || rule.StartsWith("sigma:", StringComparison.Ordinal), "disabled_rules", $"unknown rule '{rule}'; expected one of {string.Join(", ", RuleIds.All)} or sigma:<id>");
        try
        {
            Timestamps.ResolveZone(s.TimeZone);
        }
        catch (BadInputException e)
        {
            throw new BadInputException(e.Message, file, $"{path}.time_zone");
        }
    }

    /// <summary>Overlays <paramref name="overrides"/> on <paramref name="target"/>: objects merge, everything else replaces.</summary>
    private static JsonObject Overlay(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is JsonObject child && target[key] is JsonObject existing) Overlay(existing, child);
            else target[key] = value?.DeepClone();
        }
        return target;
    }
}
