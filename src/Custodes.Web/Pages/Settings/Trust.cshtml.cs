using Custodes.Application.Hosting;
using Custodes.Application.Trust;
using Custodes.Common;
using Custodes.Web.Api;
using Custodes.Web.Hosting;
using Custodes.Web.Trust;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Settings;

/// <summary>The owner publishes, moves or unpublishes the organization's public trust page; everyone else sees whether it is published.</summary>
public sealed class TrustModel(TrustPages pages, TrustSubscriptions subscriptions, PublicAddress address) : PageModel
{
    public TrustApi.TrustPageState State { get; private set; } = null!;
    public SubscriberCounts Subscribers { get; private set; } = new(0, 0, 0);
    public string? Message { get; private set; }
    public string? Problem { get; private set; }
    [BindProperty] public string? Slug { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostPublishAsync()
    {
        try
        {
            var settings = await pages.PublishAsync(User.Tenant(), Slug, HttpContext.RequestAborted);
            Message = $"Your trust page is published at {TrustJson.PageUrl(address.Base, settings.Slug!)}. Anyone with the address can see it, without signing in.";
        }
        catch (Exception e) when (e is BadInputException or ConflictException or ForbiddenException)
        {
            Problem = e is BadInputException bad ? $"The address {bad.Message}" : e.Message;
        }
        await LoadAsync(keepSlug: Problem is not null);
        return Page();
    }

    public async Task<IActionResult> OnPostUnpublishAsync(bool confirm)
    {
        if (!confirm) Problem = "Tick the box to confirm: the page, its JSON and its badge stop working at once, for everyone you sent them to.";
        else
        {
            try
            {
                Message = await pages.UnpublishAsync(User.Tenant(), HttpContext.RequestAborted)
                    ? "Your trust page is unpublished: its address now answers “not found”." : "Your trust page was not published.";
            }
            catch (ForbiddenException e)
            {
                Problem = e.Message;
            }
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync(bool keepSlug = false)
    {
        State = TrustApi.State(await pages.SettingsAsync(User.Tenant(), HttpContext.RequestAborted), address.Base);
        if (!keepSlug) Slug = State.Slug;
        Subscribers = await subscriptions.CountsAsync(User.Tenant(), HttpContext.RequestAborted);
    }
}
