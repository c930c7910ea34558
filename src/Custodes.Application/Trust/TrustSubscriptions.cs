using System.Security.Cryptography;
using System.Text;
using Custodes.Application.Alerting;
using Custodes.Application.Database;
using Custodes.Application.Hosting;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Custodes.Application.Trust;

/// <summary>Limits on trust-page subscriptions (configuration section <c>Custodes:Trust</c>).</summary>
public sealed class TrustSubscriptionOptions
{
    public const string Section = "Custodes:Trust";

    /// <summary>Subscribers one page may have (confirmed or waiting for confirmation).</summary>
    public int MaxSubscribersPerPage { get; set; } = 10_000;

    /// <summary>Subscriptions waiting for confirmation that one network address may have requested within a day.</summary>
    public int MaxPendingPerRequester { get; set; } = 20;

    /// <summary>How long a confirmation link works.</summary>
    public TimeSpan ConfirmationValidity { get; set; } = TimeSpan.FromHours(48);

    /// <summary>At most one mail to an address per this interval, however often it is subscribed (no mail-bombing through the form).</summary>
    public TimeSpan MailInterval { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Checks the subscription limits.</summary>
public sealed class TrustSubscriptionOptionsValidator : IValidateOptions<TrustSubscriptionOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustSubscriptionOptions o) => new OptionsProblems(TrustSubscriptionOptions.Section)
        .Require(o.MaxSubscribersPerPage >= 1, nameof(o.MaxSubscribersPerPage), $"{o.MaxSubscribersPerPage} is not at least 1")
        .Require(o.MaxPendingPerRequester >= 1, nameof(o.MaxPendingPerRequester), $"{o.MaxPendingPerRequester} is not at least 1")
        .Require(o.ConfirmationValidity > TimeSpan.Zero, nameof(o.ConfirmationValidity), "must be positive (a time such as 2.00:00:00)")
        .Require(o.MailInterval >= TimeSpan.Zero, nameof(o.MailInterval), "must not be negative")
        .Result;
}

/// <summary>What the email form leads to: the mail to send now (none when one went to the address a moment ago).</summary>
/// <remarks>The answer to the person who filled in the form is the same whatever this is: it never tells whether the address was subscribed.</remarks>
public sealed record EmailSubscription(string OrganizationName, string Slug, string Address, EmailSubscription.MailKind Mail, string? Token)
{
    public enum MailKind
    {
        /// <summary>Nothing: a mail went to the address within <see cref="TrustSubscriptionOptions.MailInterval"/>.</summary>
        None,
        /// <summary>The confirmation link (<see cref="Token"/> is the confirmation token).</summary>
        Confirm,
        /// <summary>"You are already subscribed" with the unsubscribe link (<see cref="Token"/> is the unsubscribe token).</summary>
        AlreadySubscribed,
    }
}

/// <summary>A webhook subscription just made: its signing secret and unsubscribe URL, shown only now.</summary>
public sealed record WebhookSubscription(Guid Id, string OrganizationName, string Slug, string Url, string Secret, string UnsubscribeToken);

/// <summary>Whom a confirmation or unsubscribe link is about: the page's organization and where notices go.</summary>
public sealed record SubscriptionLink(string OrganizationName, string? Slug, string Kind, string Target, string Status);

/// <summary>How many subscribe to an organization's page (never who).</summary>
public sealed record SubscriberCounts(int ConfirmedEmail, int PendingEmail, int Webhooks)
{
    public int Receiving => ConfirmedEmail + Webhooks;
}

/// <summary>
/// Subscriptions to a published trust page, without an account: an email address (double opt-in: it receives notices only once its
/// owner opens the confirmation link) or a webhook (https, signed like alert webhooks; its secret shown once). Unsubscribe links are
/// random tokens kept hashed (and encrypted, to be written into each notice) and work without sign-in.
/// </summary>
public sealed class TrustSubscriptions(Installation installation, ISecretProtector secrets, TrustSubscriptionOptions options, TimeProvider clock)
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";

    /// <summary>The name of the email field in the form and the API body.</summary>
    public const string EmailField = "email";

    /// <summary>The name of the webhook URL field in the form and the API body.</summary>
    public const string UrlField = "url";

    /// <summary>Subscribes an email address (or sends it a fresh link); <paramref name="requester"/> is the client's network address.</summary>
    public async Task<EmailSubscription> SubscribeEmailAsync(string slug, string? email, string requester, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(email)) throw new BadInputException("is empty: give the email address notices should go to", path: EmailField);
        string address;
        try
        {
            address = AlertChannelStore.EmailAddress(email).ToLowerInvariant();
        }
        catch (BadInputException)
        {
            throw new BadInputException($"'{email.Trim()}' is not an email address like name@example.com", path: EmailField);
        }
        await using var db = installation.OpenDb();
        var page = await PageAsync(db, slug, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = await db.TrustSubscriptions.FirstOrDefaultAsync(s => s.OrganizationId == page.OrganizationId && s.Kind == AlertChannelKinds.Email && s.Target == address, cancellationToken);
        if (row is not null && row.Status == Pending && row.ConfirmExpiresAt < now)
        {
            // The old request lapsed: it is started over as new, counted against this requester.
            db.TrustSubscriptions.Remove(row);
            await db.SaveChangesAsync(cancellationToken);
            row = null;
        }
        if (row is null)
        {
            await RefuseOverLimitsAsync(db, page.OrganizationId, requester, now, cancellationToken);
            var (confirm, confirmHash) = NewToken();
            var (unsubscribe, unsubscribeHash) = NewToken();
            db.TrustSubscriptions.Add(new TrustSubscriptionRow
            {
                Id = Guid.CreateVersion7(),
                OrganizationId = page.OrganizationId,
                Kind = AlertChannelKinds.Email,
                Target = address,
                Status = Pending,
                ConfirmHash = confirmHash,
                ConfirmExpiresAt = now + options.ConfirmationValidity,
                UnsubscribeHash = unsubscribeHash,
                ProtectedUnsubscribe = secrets.Protect(unsubscribe),
                RequestedFrom = Hash(requester),
                CreatedAt = now,
                LastMailedAt = now,
            });
            await SaveAsync(db, cancellationToken);
            return new EmailSubscription(page.Name, page.Slug, address, EmailSubscription.MailKind.Confirm, confirm);
        }
        if (row.LastMailedAt is { } mailed && now - mailed < options.MailInterval)
            return new EmailSubscription(page.Name, page.Slug, address, EmailSubscription.MailKind.None, null);
        row.LastMailedAt = now;
        if (row.Status == Confirmed)
        {
            await db.SaveChangesAsync(cancellationToken);
            return new EmailSubscription(page.Name, page.Slug, address, EmailSubscription.MailKind.AlreadySubscribed, secrets.Unprotect(row.ProtectedUnsubscribe));
        }
        // Still waiting: a fresh link replaces the one sent before.
        var (token, hash) = NewToken();
        row.ConfirmHash = hash;
        row.ConfirmExpiresAt = now + options.ConfirmationValidity;
        await db.SaveChangesAsync(cancellationToken);
        return new EmailSubscription(page.Name, page.Slug, address, EmailSubscription.MailKind.Confirm, token);
    }

    /// <summary>Subscribes a webhook: https only (plain http only to this server itself, for a receiver on loopback); its secret is returned once.</summary>
    public async Task<WebhookSubscription> SubscribeWebhookAsync(string slug, string? url, string requester, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(url)) throw new BadInputException("is empty: give the https:// address notices should be posted to", path: UrlField);
        string target;
        try
        {
            // Anyone may subscribe, so the installation's allowance of plain http for its owners' alert webhooks does not apply here.
            target = AlertChannelStore.WebhookUrl(url, allowHttp: false);
        }
        catch (BadInputException e)
        {
            throw new BadInputException(e.Message.Replace("alerts would cross", "notices would cross", StringComparison.Ordinal)
                .Replace(" (plain http is accepted only to this server itself, or when the installation sets Custodes:Alerting:AllowHttpWebhooks)", " (plain http is accepted only to this server itself)", StringComparison.Ordinal),
                path: UrlField);
        }
        await using var db = installation.OpenDb();
        var page = await PageAsync(db, slug, cancellationToken);
        if (await db.TrustSubscriptions.AnyAsync(s => s.OrganizationId == page.OrganizationId && s.Kind == AlertChannelKinds.Webhook && s.Target == target, cancellationToken))
            throw new ConflictException($"{target} already receives this page's notices; to start over, unsubscribe it with the link in any notice it received");
        var now = clock.GetUtcNow().UtcDateTime;
        await RefuseOverLimitsAsync(db, page.OrganizationId, requester, now, cancellationToken);
        var secret = AlertChannelStore.NewSecret();
        var (unsubscribe, unsubscribeHash) = NewToken();
        var row = new TrustSubscriptionRow
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = page.OrganizationId,
            Kind = AlertChannelKinds.Webhook,
            Target = target,
            Status = Confirmed,
            ProtectedSecret = secrets.Protect(secret),
            UnsubscribeHash = unsubscribeHash,
            ProtectedUnsubscribe = secrets.Protect(unsubscribe),
            RequestedFrom = Hash(requester),
            CreatedAt = now,
            ConfirmedAt = now,
        };
        db.TrustSubscriptions.Add(row);
        await SaveAsync(db, cancellationToken);
        return new WebhookSubscription(row.Id, page.Name, page.Slug, target, secret, unsubscribe);
    }

    /// <summary>What a confirmation link is about (null when it does not work: unknown, used or expired).</summary>
    public async Task<SubscriptionLink?> ConfirmationAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await ByConfirmTokenAsync(db, token, cancellationToken);
        return row is null ? null : await LinkAsync(db, row, cancellationToken);
    }

    /// <summary>Confirms an email subscription: from now on the address receives the page's notices.</summary>
    /// <exception cref="NotFoundException">The link is unknown, used or expired.</exception>
    public async Task<SubscriptionLink> ConfirmAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await ByConfirmTokenAsync(db, token, cancellationToken)
            ?? throw new NotFoundException("this confirmation link does not work: it was used already, has expired, or was mistyped; subscribe again on the trust page");
        row.Status = Confirmed;
        row.ConfirmedAt = clock.GetUtcNow().UtcDateTime;
        row.ConfirmHash = null;
        row.ConfirmExpiresAt = null;
        await db.SaveChangesAsync(cancellationToken);
        return await LinkAsync(db, row, cancellationToken);
    }

    /// <summary>What an unsubscribe link is about (null when it does not work: unknown or already used).</summary>
    public async Task<SubscriptionLink?> SubscriptionAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await ByUnsubscribeTokenAsync(db, token, cancellationToken);
        return row is null ? null : await LinkAsync(db, row, cancellationToken);
    }

    /// <summary>Ends a subscription, with any notices still waiting for it.</summary>
    /// <exception cref="NotFoundException">The link is unknown or was used already.</exception>
    public async Task<SubscriptionLink> UnsubscribeAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await ByUnsubscribeTokenAsync(db, token, cancellationToken)
            ?? throw new NotFoundException("this unsubscribe link does not work: the subscription has already ended, or the link was mistyped");
        var link = await LinkAsync(db, row, cancellationToken);
        db.TrustSubscriptions.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        return link;
    }

    /// <summary>How many subscribe to the tenant's page (shown to its members on the settings page; never who).</summary>
    public async Task<SubscriberCounts> CountsAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        var now = clock.GetUtcNow().UtcDateTime;
        var counts = await db.TrustSubscriptions.AsNoTracking().Where(s => s.OrganizationId == tenant.OrganizationId && (s.Status == Confirmed || s.ConfirmExpiresAt >= now))
            .GroupBy(s => new { s.Kind, s.Status }).Select(g => new { g.Key.Kind, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        int Count(string kind, string status) => counts.Where(c => c.Kind == kind && c.Status == status).Sum(c => c.Count);
        return new SubscriberCounts(Count(AlertChannelKinds.Email, Confirmed), Count(AlertChannelKinds.Email, Pending), Count(AlertChannelKinds.Webhook, Confirmed));
    }

    private async Task RefuseOverLimitsAsync(CustodesDb db, Guid organization, string requester, DateTime now, CancellationToken cancellationToken)
    {
        // Lapsed requests are dropped first so they count against nothing.
        await db.TrustSubscriptions.Where(s => s.OrganizationId == organization && s.Status == Pending && s.ConfirmExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        if (await db.TrustSubscriptions.CountAsync(s => s.OrganizationId == organization, cancellationToken) >= options.MaxSubscribersPerPage)
            throw new ConflictException("this trust page has as many subscribers as it may have; ask the organization for news of its letters instead");
        var from = Hash(requester);
        var since = now.AddDays(-1);
        if (await db.TrustSubscriptions.CountAsync(s => s.RequestedFrom == from && s.Status == Pending && s.CreatedAt >= since, cancellationToken) >= options.MaxPendingPerRequester)
            throw new ConflictException("too many subscriptions waiting for confirmation were requested from your network today; confirm those (see your mail) or try again tomorrow");
    }

    private static async Task SaveAsync(CustodesDb db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same address or URL subscribed twice at the same moment: the unique index let one through, which is the outcome wanted.
            throw new ConflictException("the same subscription was just requested; check your mail or the receiver");
        }
    }

    private sealed record Page(Guid OrganizationId, string Slug, string Name);

    private static async Task<Page> PageAsync(CustodesDb db, string slug, CancellationToken cancellationToken) =>
        await db.TrustPages.AsNoTracking().Where(t => t.Slug == slug)
            .Join(db.Organizations, t => t.OrganizationId, o => o.Id, (t, o) => new Page(t.OrganizationId, t.Slug, o.Name))
            .FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException($"no trust page is published at /trust/{slug}");

    private Task<TrustSubscriptionRow?> ByConfirmTokenAsync(CustodesDb db, string token, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        return db.TrustSubscriptions.FirstOrDefaultAsync(s => s.ConfirmHash == hash && s.Status == Pending && s.ConfirmExpiresAt >= now, cancellationToken);
    }

    private static Task<TrustSubscriptionRow?> ByUnsubscribeTokenAsync(CustodesDb db, string token, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        return db.TrustSubscriptions.FirstOrDefaultAsync(s => s.UnsubscribeHash == hash, cancellationToken);
    }

    private static async Task<SubscriptionLink> LinkAsync(CustodesDb db, TrustSubscriptionRow row, CancellationToken cancellationToken)
    {
        var name = await db.Organizations.AsNoTracking().Where(o => o.Id == row.OrganizationId).Select(o => o.Name).FirstAsync(cancellationToken);
        var slug = await db.TrustPages.AsNoTracking().Where(t => t.OrganizationId == row.OrganizationId).Select(t => t.Slug).FirstOrDefaultAsync(cancellationToken);
        return new SubscriptionLink(name, slug, row.Kind, row.Target, row.Status);
    }

    private static (string Token, byte[] Hash) NewToken()
    {
        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
