using Custodes.Application.Alerting;
using Custodes.Common;
using Custodes.Web.Alerting;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Settings;

/// <summary>The organization's alert channels (owners add, change, test and remove them) and every delivery attempt.</summary>
public sealed class AlertsModel(AlertChannelStore channels, AlertOutbox outbox, AlertNotifications notifications, SmtpOptions smtp) : PageModel, IRefusablePage
{
    public IReadOnlyList<(AlertChannel Channel, IReadOnlyList<Delivery> Deliveries)> Channels { get; private set; } = [];
    public string? NewSecret { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    public bool SmtpConfigured => smtp.Configured;

    public Task OnGetAsync() => LoadAsync();

    public Task<IActionResult> OnPostCreateAsync(string kind, string? target, string minSeverity) => ActAsync(async tenant =>
    {
        var created = await channels.CreateAsync(tenant, kind == AlertChannelKinds.Webhook
            ? new NewAlertChannel(kind, Url: target ?? "", MinSeverity: minSeverity)
            : new NewAlertChannel(kind, Address: target ?? "", MinSeverity: minSeverity), HttpContext.RequestAborted);
        NewSecret = created.Secret;
        Message = $"Added {created.Channel.Url ?? created.Channel.Address}.";
    });

    public Task<IActionResult> OnPostUpdateAsync(Guid id, string minSeverity, bool enabled) => ActAsync(async tenant =>
    {
        await channels.UpdateAsync(tenant, id, new AlertChannelChange(MinSeverity: minSeverity, Enabled: enabled), HttpContext.RequestAborted);
        Message = "Saved.";
    });

    public Task<IActionResult> OnPostTestAsync(Guid id) => ActAsync(async tenant =>
    {
        await notifications.EnqueueTestAsync(tenant, id, HttpContext.RequestAborted);
        Message = "A test alert is on its way; reload the page to see the attempt.";
    });

    public Task<IActionResult> OnPostRotateAsync(Guid id) => ActAsync(async tenant =>
    {
        NewSecret = await channels.RotateSecretAsync(tenant, id, HttpContext.RequestAborted);
        Message = "The old secret no longer signs deliveries.";
    });

    public Task<IActionResult> OnPostDeleteAsync(Guid id) => ActAsync(async tenant =>
    {
        await channels.DeleteAsync(tenant, id, HttpContext.RequestAborted);
        Message = "Removed.";
    });

    private async Task<IActionResult> ActAsync(Func<Application.Tenant, Task> action)
    {
        await action(User.Tenant());
        await LoadAsync();
        return Page();
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return this.ShowAsync(refusal, LoadAsync);
    }

    private async Task LoadAsync()
    {
        var tenant = User.Tenant();
        var list = new List<(AlertChannel, IReadOnlyList<Delivery>)>();
        foreach (var channel in await channels.ListAsync(tenant, HttpContext.RequestAborted))
            list.Add((channel, await outbox.ListAsync(tenant, channel.Id, 10, HttpContext.RequestAborted)));
        Channels = list;
    }
}
