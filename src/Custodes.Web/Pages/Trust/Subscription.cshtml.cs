using Custodes.Application.Hosting;
using Custodes.Application.Trust;
using Custodes.Common;
using Custodes.Web.Trust;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Trust;

/// <summary>
/// <c>/trust/subscription/confirm/&lt;token&gt;</c> and <c>/trust/subscription/unsubscribe/&lt;token&gt;</c>: the links in the mail
/// and the webhook notices, used without signing in. Opening one only shows a button: mail scanners open links, and neither
/// confirming nor unsubscribing may happen without the person. The token in the address is the authority, so a mail program's
/// one-click unsubscribe (RFC 8058: a POST with no form token) works too.
/// </summary>
[AllowAnonymous, IgnoreAntiforgeryToken]
public sealed class SubscriptionModel(TrustSubscriptions subscriptions, PublicAddress address) : PageModel
{
    public const string Confirm = "confirm";
    public const string Unsubscribe = "unsubscribe";

    public string Step { get; private set; } = "";
    public SubscriptionLink? Link { get; private set; }
    public bool Done { get; private set; }
    public string? PageUrl => Link?.Slug is { } slug ? TrustJson.PageUrl(address.Base, slug) : null;

    public async Task<IActionResult> OnGetAsync(string step, string token)
    {
        if (step is not (Confirm or Unsubscribe)) return NotFound();
        Step = step;
        Link = step == Confirm ? await subscriptions.ConfirmationAsync(token, HttpContext.RequestAborted) : await subscriptions.SubscriptionAsync(token, HttpContext.RequestAborted);
        Response.Headers.CacheControl = "no-store";
        if (Link is null) Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string step, string token)
    {
        if (step is not (Confirm or Unsubscribe)) return NotFound();
        Step = step;
        Response.Headers.CacheControl = "no-store";
        try
        {
            Link = step == Confirm ? await subscriptions.ConfirmAsync(token, HttpContext.RequestAborted) : await subscriptions.UnsubscribeAsync(token, HttpContext.RequestAborted);
            Done = true;
        }
        catch (NotFoundException)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }
}
