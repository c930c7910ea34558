using Custodes.Application.Hosting;
using Custodes.Application.Trust;
using Custodes.Common;
using Custodes.Web.Alerting;
using Custodes.Web.Hosting;
using Custodes.Web.Trust;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using MimeKit;

namespace Custodes.Web.Pages.Trust;

/// <summary>
/// <c>/trust/&lt;slug&gt;/subscribe</c>: anyone (no account) asks to be told when a letter of the page's organization is issued,
/// replaced, withdrawn or expires, by email (confirmed first) or by a signed webhook. Not cached, unlike the page: it has a form.
/// </summary>
[AllowAnonymous, EnableRateLimiting(Extensions.SubscribeRateLimit)]
public sealed class SubscribeModel(TrustSubscriptions subscriptions, TrustCache cache, SmtpOptions smtp, EmailSender email, PublicAddress address,
    ILogger<SubscribeModel> log) : PageModel
{
    public string Slug { get; private set; } = "";
    public string OrganizationName { get; private set; } = "";
    public string PageUrl => TrustJson.PageUrl(address.Base, Slug);
    public bool EmailAvailable => smtp.Configured;
    public string? Message { get; private set; }
    public string? Problem { get; private set; }
    public WebhookSubscription? Webhook { get; private set; }

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? WebhookUrl { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug) => await LoadAsync(slug) ? Page() : NotFound();

    public async Task<IActionResult> OnPostEmailAsync(string slug)
    {
        if (!await LoadAsync(slug)) return NotFound();
        if (!EmailAvailable)
        {
            Problem = "This server cannot send email, so it cannot confirm an address. Use a webhook instead, or ask the organization for news.";
            return Page();
        }
        try
        {
            var subscription = await subscriptions.SubscribeEmailAsync(slug, Email, Requester, HttpContext.RequestAborted);
            var to = new MailboxAddress(null, subscription.Address);
            var mail = subscription.Mail switch
            {
                Application.Trust.EmailSubscription.MailKind.Confirm => TrustNoticeEmail.Confirmation(subscription.OrganizationName, TrustNotices.ConfirmUrl(address.Base, subscription.Token!), to),
                Application.Trust.EmailSubscription.MailKind.AlreadySubscribed => TrustNoticeEmail.AlreadySubscribed(subscription.OrganizationName, TrustNotices.UnsubscribeUrl(address.Base, subscription.Token!), to),
                _ => null,
            };
            if (mail is not null && await email.SendNowAsync(mail, TimeSpan.FromSeconds(15), HttpContext.RequestAborted) is { } problem)
            {
                // The same answer either way: what failed is logged for the operator, not told to whoever typed the address.
                log.LogWarning("trust subscription mail to a subscriber of {Slug} could not be sent: {Problem}", slug, problem);
            }
            // The same words whether the address was new, waiting or subscribed already: the form must not tell who subscribes.
            Message = $"Thank you. If {subscription.Address} can receive mail, a message is on its way to it. Open the link in it to confirm: " +
                "nothing is sent to an address until it is confirmed. No message? Check the spam folder, or try again in a few minutes.";
            Email = null;
        }
        catch (Exception e) when (e is BadInputException or ConflictException)
        {
            Problem = e is BadInputException ? $"The email address {e.Message}" : e.Message;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostWebhookAsync(string slug)
    {
        if (!await LoadAsync(slug)) return NotFound();
        try
        {
            Webhook = await subscriptions.SubscribeWebhookAsync(slug, WebhookUrl, Requester, HttpContext.RequestAborted);
            WebhookUrl = null;
        }
        catch (Exception e) when (e is BadInputException or ConflictException)
        {
            Problem = e is BadInputException ? $"The webhook address {e.Message}" : e.Message;
        }
        return Page();
    }

    public string UnsubscribeUrl(string token) => TrustNotices.UnsubscribeUrl(address.Base, token);

    private string Requester => HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private async Task<bool> LoadAsync(string slug)
    {
        var entry = await cache.GetAsync(slug, address.Base, HttpContext.RequestAborted);
        if (entry.Page is null) return false;
        Slug = entry.Page.Slug;
        OrganizationName = entry.Page.OrganizationName;
        Response.Headers.CacheControl = "no-store";
        return true;
    }
}
