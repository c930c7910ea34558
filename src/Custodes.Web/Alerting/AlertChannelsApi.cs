using Custodes.Application.Alerting;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Alerting;

/// <summary>An organization's alert channels (webhooks, email recipients): owners manage them; deliveries and their attempts are listed.</summary>
internal static class AlertChannelsApi
{
    public static IEndpointRouteBuilder MapAlertChannelsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/alert-channels").RequireAuthorization().WithTags("Alerting");
        group.MapGet("/", List).WithName("ListAlertChannels").WithSummary("The organization's webhooks and email recipients for alerts");
        group.MapPost("/", Create).RequireRole(RequiredRole.Owner).WithName("CreateAlertChannel")
            .WithSummary("Add a webhook (an https URL; plain http only to this server itself or where the installation allows it; the answer carries its signing secret, shown only this once) or an email recipient (owners only)")
            .ProducesProblem(400).ProducesProblem(403);
        group.MapGet("/{id:guid}", Get).WithName("GetAlertChannel").WithSummary("One alert channel").ProducesProblem(404);
        group.MapPatch("/{id:guid}", Update).RequireRole(RequiredRole.Owner).WithName("UpdateAlertChannel").WithSummary("Change a channel's URL or address, minimum severity or enabled state (owners only)")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        group.MapDelete("/{id:guid}", Delete).RequireRole(RequiredRole.Owner).WithName("DeleteAlertChannel").WithSummary("Remove a channel with its pending deliveries and history (owners only)")
            .ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/{id:guid}/secret", RotateSecret).RequireRole(RequiredRole.Owner).WithName("RotateAlertChannelSecret")
            .WithSummary("Replace a webhook's signing secret; the new one is shown only this once (owners only)").ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/{id:guid}/test", SendTest).RequireRole(RequiredRole.Owner).WithName("TestAlertChannel")
            .WithSummary("Send a sample alert (type alert.test) to the channel now, whatever its severity filter (owners only)").ProducesProblem(403).ProducesProblem(404);
        group.MapGet("/{id:guid}/deliveries", Deliveries).WithName("ListAlertDeliveries")
            .WithSummary("The channel's latest deliveries, newest first, with every attempt (status, duration, error)").ProducesProblem(404);
        return app;
    }

    /// <summary>A new secret: shown once.</summary>
    public sealed record SecretView(string Secret);

    /// <summary>A test delivery queued.</summary>
    public sealed record TestQueued(Guid DeliveryId);

    private static async Task<Ok<IReadOnlyList<AlertChannel>>> List(HttpContext context, AlertChannelStore channels, CancellationToken cancellationToken) =>
        TypedResults.Ok(await channels.ListAsync(context.User.Tenant(), cancellationToken));

    private static async Task<Ok<AlertChannel>> Get(Guid id, HttpContext context, AlertChannelStore channels, CancellationToken cancellationToken) =>
        TypedResults.Ok(await channels.GetAsync(context.User.Tenant(), id, cancellationToken));

    private static async Task<Created<CreatedAlertChannel>> Create(NewAlertChannel body, HttpContext context, AlertChannelStore channels, CancellationToken cancellationToken)
    {
        var created = await channels.CreateAsync(context.User.Tenant(), body, cancellationToken);
        return TypedResults.Created($"/api/v1/alert-channels/{created.Channel.Id}", created);
    }

    private static async Task<Ok<AlertChannel>> Update(Guid id, AlertChannelChange body, HttpContext context, AlertChannelStore channels, CancellationToken cancellationToken) =>
        TypedResults.Ok(await channels.UpdateAsync(context.User.Tenant(), id, body, cancellationToken));

    private static async Task<NoContent> Delete(Guid id, HttpContext context, AlertChannelStore channels, CancellationToken cancellationToken)
    {
        await channels.DeleteAsync(context.User.Tenant(), id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<SecretView>> RotateSecret(Guid id, HttpContext context, AlertChannelStore channels, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SecretView(await channels.RotateSecretAsync(context.User.Tenant(), id, cancellationToken)));

    private static async Task<Accepted<TestQueued>> SendTest(Guid id, HttpContext context, AlertNotifications notifications, CancellationToken cancellationToken)
    {
        var delivery = await notifications.EnqueueTestAsync(context.User.Tenant(), id, cancellationToken);
        return TypedResults.Accepted($"/api/v1/alert-channels/{id}/deliveries", new TestQueued(delivery));
    }

    private static async Task<Ok<IReadOnlyList<Delivery>>> Deliveries(Guid id, HttpContext context, AlertOutbox outbox, CancellationToken cancellationToken, int limit = 20) =>
        TypedResults.Ok(await outbox.ListAsync(context.User.Tenant(), id, limit, cancellationToken));
}
