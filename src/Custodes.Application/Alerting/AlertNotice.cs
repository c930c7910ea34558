using System.Text.Json.Serialization;
using Custodes.Watch.Detection;

namespace Custodes.Application.Alerting;

/// <summary>A customer organization an alert concerns, and which of the alert's tenants are its own.</summary>
public sealed record AlertCustomer(Guid OrganizationId, IReadOnlyList<string> Tenants);

/// <summary>An alert as delivered to webhooks and email: the only thing alert delivery knows of stored alerts.</summary>
/// <remarks>
/// The MSP's channels receive it whole; a customer's channels receive <see cref="ForCustomer"/>: only that customer's tenants,
/// so one customer never learns another's names.
/// </remarks>
public sealed record AlertNotice
{
    /// <summary>The alert's id in the alert store; the page is <c>/watch/alerts/{id}</c>.</summary>
    [JsonPropertyName("id")]
    public required string AlertId { get; init; }

    public required Guid MspOrganizationId { get; init; }
    public required string MspName { get; init; }

    /// <summary>The customer organizations the alert concerns (empty when its tenants map to none registered here).</summary>
    public IReadOnlyList<AlertCustomer> Customers { get; init; } = [];

    public required string Rule { get; init; }
    public required Severity Severity { get; init; }
    public string? Actor { get; init; }
    public required IReadOnlyList<string> Tenants { get; init; }

    [JsonConverter(typeof(UtcTimeJsonConverter))]
    public required DateTimeOffset FirstSeen { get; init; }

    [JsonConverter(typeof(UtcTimeJsonConverter))]
    public required DateTimeOffset LastSeen { get; init; }

    public required long EventCount { get; init; }
    public required string Summary { get; init; }

    /// <summary>What the alert is about (the script, the new IP, the tool), when the rule names it.</summary>
    public string? Subject { get; init; }

    /// <summary>The absolute URL of the alert's page; <see cref="AlertNotifications"/> fills it from the installation's public address (<c>Custodes:PublicUrl</c>).</summary>
    public string? Link { get; init; }

    [JsonIgnore]
    public IEnumerable<Guid> CustomerOrganizationIds => Customers.Select(c => c.OrganizationId);

    /// <summary>The notice for one detected alert, stored under <paramref name="alertId"/>.</summary>
    public static AlertNotice From(Alert alert, string alertId, Guid mspOrganizationId, string mspName, IReadOnlyList<AlertCustomer>? customers = null) => new()
    {
        AlertId = alertId,
        MspOrganizationId = mspOrganizationId,
        MspName = mspName,
        Customers = customers ?? [],
        Rule = alert.Rule,
        Severity = alert.Severity,
        Actor = alert.Actor,
        Tenants = alert.Tenants,
        FirstSeen = alert.FirstSeen,
        LastSeen = alert.LastSeen,
        EventCount = alert.EventCount,
        Summary = alert.Summary,
        Subject = alert.Subject,
    };

    /// <summary>What one customer's channels receive: its own tenants only.</summary>
    public AlertNotice ForCustomer(Guid organizationId)
    {
        var own = Customers.Where(c => c.OrganizationId == organizationId).ToArray();
        var tenants = own.SelectMany(c => c.Tenants).ToHashSet(StringComparer.Ordinal);
        return this with { Customers = own, Tenants = Tenants.Where(tenants.Contains).ToArray() };
    }
}

/// <summary>The body of a webhook delivery: <c>{"type":"alert.raised","id":…,"created":…,"alert":{…}}</c>.</summary>
public sealed record AlertEnvelope(
    string Type,
    Guid Id,
    [property: JsonConverter(typeof(UtcTimeJsonConverter))] DateTimeOffset Created,
    AlertNotice Alert)
{
    public const string Raised = "alert.raised";
    public const string Test = "alert.test";
}
