using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Watch;
using Custodes.Common;
using Custodes.Watch.Formats;
using Custodes.Web.Watch;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Custodes.Web.Api;

/// <summary>Watch: an MSP sends its RMM audit events; alerts are listed, read with their events, acknowledged and resolved;
/// the MSP's settings and tenant → customer mapping; the tamper check of its stored events.</summary>
internal static class WatchApi
{
    public static IEndpointRouteBuilder MapWatchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/watch").RequireAuthorization().WithTags("Watch");
        group.MapPost("/events", Ingest).WithName("IngestWatchEvents")
            .WithSummary("Send audit events (NDJSON custodes.event/v1, or ?format=<fmt>); 202 once they are durable, with what was accepted and each refused line. " +
                "Send an Idempotency-Key header to retry safely: the same key and request get the first answer again, the same key with another request 422. " +
                "429 with Retry-After when the queue is full")
            .Produces<IngestAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(413).ProducesProblem(422).ProducesProblem(429).ProducesProblem(503);
        group.MapGet("/alerts", ListAlerts).WithName("ListWatchAlerts").WithSummary("Alerts your organization may see (an MSP: its own; a customer: those concerning its tenants), newest first");
        group.MapGet("/alerts/{id:guid}", GetAlert).WithName("GetWatchAlert").WithSummary("An alert with the stored events behind it, and its ETag").ProducesProblem(404);
        group.MapPost("/alerts/{id:guid}/acknowledge", (Guid id, StatusChange body, HttpContext context, AlertStore alerts, CancellationToken ct) =>
                SetStatusAsync(id, AlertStatuses.Acknowledged, body, context, alerts, ct))
            .WithName("AcknowledgeWatchAlert").WithSummary("Acknowledge an alert with a note; send If-Match with the ETag you read").ProducesProblem(403).ProducesProblem(404).ProducesProblem(412);
        group.MapPost("/alerts/{id:guid}/resolve", (Guid id, StatusChange body, HttpContext context, AlertStore alerts, CancellationToken ct) =>
                SetStatusAsync(id, AlertStatuses.Resolved, body, context, alerts, ct))
            .WithName("ResolveWatchAlert").WithSummary("Resolve an alert with a note; send If-Match with the ETag you read").ProducesProblem(403).ProducesProblem(404).ProducesProblem(412);
        group.MapGet("/verify", Verify).WithName("VerifyWatchEvents")
            .WithSummary("Recompute every stored batch of your MSP's events and check them against its signed Merkle log; problems name the batch and position").ProducesProblem(403);
        group.MapGet("/settings", GetSettings).WithName("GetWatchSettings").WithSummary("Your MSP's event name and detection settings, with their ETag").ProducesProblem(403);
        group.MapPut("/settings", PutSettings).WithName("PutWatchSettings")
            .WithSummary("Change the event name and detection settings (YAML or JSON text: thresholds, working hours, time zone, approved tools); send If-Match").ProducesProblem(400).ProducesProblem(403).ProducesProblem(412);
        group.MapGet("/tenants", Tenants).WithName("ListWatchTenants")
            .WithSummary("Your MSP's RMM tenants and the customer organization ids they are mapped to: status active (the customer accepted your alerts), pending or declined").ProducesProblem(403);
        group.MapPut("/tenants/{tenant}", MapTenant).WithName("MapWatchTenant")
            .WithSummary("Map an RMM tenant to a customer organization id: pending until that customer accepts your alerts; the answer names the customer only once it has").ProducesProblem(400).ProducesProblem(403);
        group.MapGet("/providers", Providers).WithName("ListWatchProviders")
            .WithSummary("MSPs that asked to send your organization (a customer) security alerts, with what you answered: pending, accepted or declined");
        group.MapPost("/providers/{msp:guid}/accept", (Guid msp, HttpContext context, WatchConsentStore consents, CancellationToken ct) => DecideAsync(msp, true, context, consents, ct))
            .WithName("AcceptWatchProvider").WithSummary("Accept an MSP's alerts: its alerts about the tenants it mapped to your organization reach you (owner only)").ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/providers/{msp:guid}/decline", (Guid msp, HttpContext context, WatchConsentStore consents, CancellationToken ct) => DecideAsync(msp, false, context, consents, ct))
            .WithName("DeclineWatchProvider").WithSummary("Decline (or stop) an MSP's alerts: nothing of its events reaches you (owner only)").ProducesProblem(403).ProducesProblem(404);
        group.MapDelete("/tenants/{tenant}", UnmapTenant).WithName("UnmapWatchTenant").WithSummary("Remove a tenant's mapping").ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    /// <summary>What <c>POST /api/v1/watch/events</c> did: events accepted (durable, queued for storage in the MSP's log and
    /// detection), lines refused, and events queued in all.</summary>
    public sealed record IngestAccepted(long Accepted, long Quarantined, IReadOnlyList<QuarantineEntry> Quarantine, long Queued);

    public sealed record StatusChange(string? Note);

    public sealed record SettingsBody(string? EventName, string? Settings);

    public sealed record SettingsView(Guid OrganizationId, string EventName, string? Settings, int Version, long Batches, long Events);

    public sealed record TenantBody(Guid CustomerOrganizationId);

    private const int ShownQuarantine = 1000;

    /// <summary>The header a client sends to make a retry safe: the same key and request get the first answer again.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static async Task<IResult> Ingest(HttpRequest request, IngestionQueue queue, WatchInbox inbox, WatchMspStore msps, WatchOptions options,
        [FromQuery] string? format, [FromQuery] string? tenant, [FromQuery] string? timezone, CancellationToken cancellationToken)
    {
        var profile = await msps.ProfileToIngestAsync(request.HttpContext.User.Tenant(), cancellationToken);
        var key = request.Headers[IdempotencyKeyHeader] is { Count: > 0 } values ? WatchInbox.ValidateKey(values.ToString()) : null;
        // A retry is answered whatever the queue holds; anything new waits for room.
        if (key is null && queue.IsFull) return TooMany(request.HttpContext, queue, options);
        var eventFormat = EventFormats.Get(format ?? EventFormats.Default);
        var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken);
        var fingerprint = key is null ? null : WatchInbox.Fingerprint(format, tenant, timezone, body);
        if (key is not null && await inbox.FindAsync(profile.OrganizationId, key, cancellationToken) is { } earlier)
            return Answer(request.HttpContext, key, fingerprint!.AsSpan().SequenceEqual(earlier.Fingerprint) ? InboxOutcome.Replayed : InboxOutcome.KeyReused, earlier.Answer);
        if (queue.IsFull) return TooMany(request.HttpContext, queue, options);
        var read = new ReadOptions
        {
            Msp = profile.EventName, Tenant = tenant, TimeZone = timezone is { } z ? Timestamps.ResolveZone(z) : null, Refuse = profile.Refuse,
        };
        var quarantined = new List<QuarantineEntry>();
        var quarantine = new Quarantine(quarantined.Add, keep: 0);
        var reader = new EventReader(eventFormat, read, quarantine);
        List<Custodes.Watch.Events.WatchEvent> events;
        using (var stream = new MemoryStream(body, writable: false)) events = [.. reader.Read(stream, "request body")];
        var shown = quarantined.Take(ShownQuarantine).ToArray();
        if (events.Count == 0 && quarantined.Count == 0 && key is null) return TypedResults.Accepted((string?)null, new IngestAccepted(0, 0, shown, queue.Queued));
        // The answer is made before the write, so a retry with the key gets exactly it back.
        var receipt = await queue.TryAcceptAsync(new IngestItem(profile.OrganizationId, events, quarantined), key, fingerprint,
            queued => JsonSerializer.Serialize(new IngestAccepted(events.Count, quarantined.Count, shown, queued), Json.Options));
        if (receipt is null) return TooMany(request.HttpContext, queue, options);
        return Answer(request.HttpContext, key, receipt.Outcome, receipt.Answer);
    }

    private static IResult Answer(HttpContext context, string? key, InboxOutcome outcome, string? answer)
    {
        if (outcome == InboxOutcome.KeyReused)
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused",
                detail: $"the Idempotency-Key '{key}' was already used for a different request (another body, format, tenant or time zone); use a new key for new events");
        if (outcome == InboxOutcome.Replayed) context.Response.Headers["Idempotent-Replayed"] = "true";
        return Results.Text(answer, "application/json", System.Text.Encoding.UTF8, StatusCodes.Status202Accepted);
    }

    private static IResult TooMany(HttpContext context, IngestionQueue queue, WatchOptions options)
    {
        context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many events",
            detail: $"the ingestion queue is full ({queue.Queued:N0} of {queue.Capacity:N0} events waiting to be stored); send again after {options.RetryAfterSeconds} s");
    }

    private static async Task<Ok<AssessmentsApi.Page<AlertView>>> ListAlerts(HttpContext context, AlertStore alerts, [FromQuery] string? status, [FromQuery] string? severity,
        [FromQuery] string? rule, [FromQuery] DateTimeOffset? from, [FromQuery] DateTimeOffset? to, [FromQuery] Guid? customer,
        [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize, CancellationToken cancellationToken)
    {
        var (number, size) = Paging.Of(page, pageSize);
        var items = await alerts.ListAsync(context.User.Tenant(), new AlertFilter(status, severity, rule, from, to, customer), Paging.Skip(number, size), size + 1, cancellationToken);
        var query = string.Join("", new[] { ("status", status), ("severity", severity), ("rule", rule), ("from", from?.ToString("O")), ("to", to?.ToString("O")), ("customer", customer?.ToString()) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}&"));
        return TypedResults.Ok(Paging.Page(items, number, size, $"/api/v1/watch/alerts?{query}"));
    }

    private static async Task<IResult> GetAlert(Guid id, HttpContext context, AlertStore alerts, CancellationToken cancellationToken)
    {
        var detail = await alerts.GetAsync(context.User.Tenant(), id, cancellationToken);
        context.Response.Headers.ETag = detail.Alert.ETag;
        return TypedResults.Ok(new { alert = detail.Alert, events = detail.Events });
    }

    private static async Task<IResult> SetStatusAsync(Guid id, string status, StatusChange body, HttpContext context, AlertStore alerts, CancellationToken cancellationToken)
    {
        var view = await alerts.SetStatusAsync(context.User.Tenant(), id, status, body.Note, IfMatch.Version(context.Request, id), cancellationToken);
        context.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view);
    }

    private static async Task<Ok<WatchVerification>> Verify(HttpContext context, WatchMspStore msps, WatchLog log, CancellationToken cancellationToken)
    {
        var profile = await msps.ProfileAsync(context.User.Tenant(), cancellationToken);
        return TypedResults.Ok(await log.VerifyAsync(profile.OrganizationId, cancellationToken));
    }

    private static async Task<Ok<SettingsView>> GetSettings(HttpContext context, WatchMspStore msps, CancellationToken cancellationToken)
    {
        var profile = await msps.ProfileAsync(context.User.Tenant(), cancellationToken);
        context.Response.Headers.ETag = profile.ETag;
        return TypedResults.Ok(View(profile));
    }

    private static async Task<Ok<SettingsView>> PutSettings(SettingsBody body, HttpContext context, WatchMspStore msps, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        var profile = await msps.UpdateAsync(tenant, body.EventName, body.Settings, IfMatch.Version(context.Request, tenant.OrganizationId), cancellationToken);
        context.Response.Headers.ETag = profile.ETag;
        return TypedResults.Ok(View(profile));
    }

    private static async Task<Ok<IReadOnlyList<TenantMapping>>> Tenants(HttpContext context, WatchMspStore msps, CancellationToken cancellationToken) =>
        TypedResults.Ok(await msps.TenantsAsync(context.User.Tenant(), cancellationToken));

    private static async Task<Ok<TenantMapping>> MapTenant(string tenant, TenantBody body, HttpContext context, WatchMspStore msps, CancellationToken cancellationToken) =>
        TypedResults.Ok(await msps.MapTenantAsync(context.User.Tenant(), tenant, body.CustomerOrganizationId, cancellationToken));

    private static async Task<Ok<IReadOnlyList<ProviderRequest>>> Providers(HttpContext context, WatchConsentStore consents, CancellationToken cancellationToken) =>
        TypedResults.Ok(await consents.ListAsync(context.User.Tenant(), cancellationToken));

    private static async Task<Ok<ProviderRequest>> DecideAsync(Guid msp, bool accept, HttpContext context, WatchConsentStore consents, CancellationToken cancellationToken) =>
        TypedResults.Ok(await consents.DecideAsync(context.User.Tenant(), msp, accept, cancellationToken));

    private static async Task<NoContent> UnmapTenant(string tenant, HttpContext context, WatchMspStore msps, CancellationToken cancellationToken)
    {
        await msps.UnmapTenantAsync(context.User.Tenant(), tenant, cancellationToken);
        return TypedResults.NoContent();
    }

    private static SettingsView View(WatchProfile p) => new(p.OrganizationId, p.EventName, p.SettingsText, p.Version, p.Batches, p.Events);
}
