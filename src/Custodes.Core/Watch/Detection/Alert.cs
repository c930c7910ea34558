using System.Text.Json;
using System.Text.Json.Serialization;
using Custodes.Watch.Events;

namespace Custodes.Watch.Detection;

/// <summary>How bad an alert is (JSON: <c>low|medium|high|critical</c>).</summary>
public enum Severity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>The rule ids of contracts §7; Sigma rules report as <c>sigma:&lt;id&gt;</c>.</summary>
public static class RuleIds
{
    public const string MassExecution = "mass-execution";
    public const string BackupDestruction = "backup-destruction";
    public const string SecurityToolTampering = "security-tool-tampering";
    public const string PrivilegedAccountCreated = "privileged-account-created";
    public const string MfaDisabled = "mfa-disabled";
    public const string NewSourceIp = "new-source-ip";
    public const string OffHoursActivity = "off-hours-activity";
    public const string BruteForce = "brute-force";
    public const string UnapprovedRemoteTool = "unapproved-remote-tool";

    public static readonly IReadOnlyList<string> All =
    [
        MassExecution, BackupDestruction, SecurityToolTampering, PrivilegedAccountCreated, MfaDisabled, NewSourceIp, OffHoursActivity,
        BruteForce, UnapprovedRemoteTool,
    ];
}

/// <summary>One detection (contracts §7): which rule, whose actor, which tenants, when, how many events, and why; plus
/// what it was about (<see cref="Subject"/>) and a bounded sample of the events behind it.</summary>
public sealed record Alert
{
    public required string Rule { get; init; }
    public required Severity Severity { get; init; }
    public required string Msp { get; init; }
    public string? Actor { get; init; }
    public required IReadOnlyList<string> Tenants { get; init; }

    [JsonConverter(typeof(UtcTimeJsonConverter))]
    public required DateTimeOffset FirstSeen { get; init; }

    [JsonConverter(typeof(UtcTimeJsonConverter))]
    public required DateTimeOffset LastSeen { get; init; }

    public required long EventCount { get; init; }
    public required string Summary { get; init; }

    /// <summary>The NIST SP 800-171 r2 requirements the alert is evidence against (<see cref="RuleRequirements"/>; a Sigma rule's own list).</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];

    /// <summary>What the alert is about: the script or command line, the new IP, the tool, the account.</summary>
    public string? Subject { get; init; }

    /// <summary>The first events behind the alert (at most the MSP's <c>sample_size</c>; <see cref="EventCount"/> is exact).</summary>
    public IReadOnlyList<WatchEvent> Events { get; init; } = [];
}

/// <summary>Writes times as <c>2019-08-29T03:12:07Z</c>, the form events use.</summary>
public sealed class UtcTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(EventJson.FormatTime(value));
}
