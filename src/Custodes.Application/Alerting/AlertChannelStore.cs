using System.Security.Cryptography;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Custodes.Watch.Detection;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Alerting;

/// <summary>Keeps webhook secrets encrypted at rest; the web host backs it with ASP.NET Core Data Protection.</summary>
public interface ISecretProtector
{
    string Protect(string secret);
    string Unprotect(string protectedSecret);
}

/// <summary>The channel kinds.</summary>
public static class AlertChannelKinds
{
    public const string Webhook = "webhook";
    public const string Email = "email";

    public static string Parse(string? kind) => kind switch
    {
        Webhook or Email => kind,
        _ => throw new BadInputException($"unknown channel kind '{kind}'; expected webhook or email", path: "$.kind"),
    };
}

/// <summary>An organization's alert channel as shown to its members (never the secret).</summary>
public sealed record AlertChannel(Guid Id, string Kind, string? Url, string? Address, Severity MinSeverity, bool Enabled, DateTime CreatedAt, string CreatedBy, DateTime UpdatedAt);

/// <summary>A new channel: a webhook URL or an email address, the least severe alert it gets, and whether it is on.</summary>
public sealed record NewAlertChannel(string? Kind, string? Url = null, string? Address = null, string? MinSeverity = null, bool? Enabled = null);

/// <summary>A change to a channel: only what is given changes.</summary>
public sealed record AlertChannelChange(string? Url = null, string? Address = null, string? MinSeverity = null, bool? Enabled = null);

/// <summary>A channel just created, with its webhook secret: the only time the secret is shown.</summary>
public sealed record CreatedAlertChannel(AlertChannel Channel, string? Secret);

/// <summary>An organization's webhooks and email recipients; owners change them, every change is in the audit trail.</summary>
public sealed class AlertChannelStore(Installation installation, AuditTrail audit, ISecretProtector secrets, TimeProvider clock)
{
    public const Severity DefaultMinSeverity = Severity.Medium;

    /// <summary>Whether a webhook may use plain <c>http://</c> to a host other than loopback (<c>Custodes:Alerting:AllowHttpWebhooks</c>):
    /// off, because a signed alert names customers and what happened on their computers, and anyone on the way would read it.</summary>
    public bool AllowHttpWebhooks { get; init; }

    public async Task<IReadOnlyList<AlertChannel>> ListAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var rows = await db.AlertChannels.AsNoTracking().Where(c => c.OrganizationId == tenant.OrganizationId)
            .OrderBy(c => c.Kind).ThenBy(c => c.Target).ToListAsync(cancellationToken);
        return rows.Select(ToChannel).ToArray();
    }

    public async Task<AlertChannel> GetAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return ToChannel(await FindAsync(db, tenant, id, cancellationToken));
    }

    public async Task<CreatedAlertChannel> CreateAsync(Tenant tenant, NewAlertChannel request, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        var kind = AlertChannelKinds.Parse(request.Kind);
        var target = kind == AlertChannelKinds.Webhook
            ? WebhookUrl(request.Url ?? throw new BadInputException("a webhook channel needs its url", path: "$.url"), AllowHttpWebhooks)
            : EmailAddress(request.Address ?? throw new BadInputException("an email channel needs its address", path: "$.address"));
        if (kind == AlertChannelKinds.Webhook && request.Address is not null) throw new BadInputException("a webhook channel has a url, not an address", path: "$.address");
        if (kind == AlertChannelKinds.Email && request.Url is not null) throw new BadInputException("an email channel has an address, not a url", path: "$.url");
        var now = clock.GetUtcNow().UtcDateTime;
        var secret = kind == AlertChannelKinds.Webhook ? NewSecret() : null;
        var row = new AlertChannelRow
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = tenant.OrganizationId,
            Kind = kind,
            Target = target,
            ProtectedSecret = secret is null ? null : secrets.Protect(secret),
            MinSeverity = SeverityName(ParseSeverity(request.MinSeverity) ?? DefaultMinSeverity),
            Enabled = request.Enabled ?? true,
            CreatedAt = now,
            CreatedBy = tenant.Actor,
            UpdatedAt = now,
        };
        await using var db = installation.OpenDb();
        db.AlertChannels.Add(row);
        var channel = ToChannel(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "alert_channel.created", "alert_channel", row.Id.ToString(), After: Described(channel)));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return new CreatedAlertChannel(channel, secret);
    }

    public async Task<AlertChannel> UpdateAsync(Tenant tenant, Guid id, AlertChannelChange change, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        await using var db = installation.OpenDb();
        var row = await FindAsync(db, tenant, id, cancellationToken);
        var before = ToChannel(row);
        if (change.Url is not null)
        {
            if (row.Kind != AlertChannelKinds.Webhook) throw new BadInputException("an email channel has an address, not a url", path: "$.url");
            row.Target = WebhookUrl(change.Url, AllowHttpWebhooks);
        }
        if (change.Address is not null)
        {
            if (row.Kind != AlertChannelKinds.Email) throw new BadInputException("a webhook channel has a url, not an address", path: "$.address");
            row.Target = EmailAddress(change.Address);
        }
        if (ParseSeverity(change.MinSeverity) is { } severity) row.MinSeverity = SeverityName(severity);
        if (change.Enabled is { } enabled) row.Enabled = enabled;
        var after = ToChannel(row);
        if (after == before) return before;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        after = ToChannel(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "alert_channel.updated", "alert_channel", id.ToString(), Described(before), Described(after)));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return after;
    }

    /// <summary>Deletes the channel with its deliveries still pending and its delivery history.</summary>
    public async Task DeleteAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        await using var db = installation.OpenDb();
        var row = await FindAsync(db, tenant, id, cancellationToken);
        db.AlertChannels.Remove(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "alert_channel.deleted", "alert_channel", id.ToString(), Before: Described(ToChannel(row))));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>Replaces a webhook's secret (the old one stops working at once); the new one is shown only now.</summary>
    public async Task<string> RotateSecretAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        await using var db = installation.OpenDb();
        var row = await FindAsync(db, tenant, id, cancellationToken);
        if (row.Kind != AlertChannelKinds.Webhook) throw new BadInputException("only a webhook channel has a secret");
        var secret = NewSecret();
        row.ProtectedSecret = secrets.Protect(secret);
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "alert_channel.secret_rotated", "alert_channel", id.ToString()));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return secret;
    }

    internal static void RequireOwner(Tenant tenant)
    {
        if (!Roles.CanAdminister(tenant.Role)) throw new ForbiddenException($"only an owner can manage alert channels; you are {tenant.Role}");
    }

    internal static async Task<AlertChannelRow> FindAsync(CustodesDb db, Tenant tenant, Guid id, CancellationToken cancellationToken) =>
        await db.AlertChannels.FirstOrDefaultAsync(c => c.Id == id && c.OrganizationId == tenant.OrganizationId, cancellationToken)
        ?? throw new NotFoundException($"no alert channel {id}");

    internal static AlertChannel ToChannel(AlertChannelRow row) => new(
        row.Id, row.Kind, row.Kind == AlertChannelKinds.Webhook ? row.Target : null, row.Kind == AlertChannelKinds.Email ? row.Target : null,
        Enum.Parse<Severity>(row.MinSeverity, ignoreCase: true), row.Enabled, row.CreatedAt, row.CreatedBy, row.UpdatedAt);

    private static object Described(AlertChannel c) => new { c.Kind, target = c.Url ?? c.Address, min_severity = SeverityName(c.MinSeverity), c.Enabled };

    /// <summary>A webhook URL: absolute https, or http to loopback (a receiver on the server itself) or where the installation allows it.</summary>
    public static string WebhookUrl(string url, bool allowHttp = false)
    {
        url = url.Trim();
        if (url.Length > 2048) throw new BadInputException("the webhook url is longer than 2048 characters", path: "$.url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new BadInputException($"'{url}' is not an absolute URL; a webhook needs http:// or https:// and a host", path: "$.url");
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new BadInputException($"webhook URLs must be http or https; '{uri.Scheme}' is not supported", path: "$.url");
        if (string.IsNullOrEmpty(uri.Host)) throw new BadInputException($"'{url}' has no host", path: "$.url");
        if (uri.Fragment.Length > 0) throw new BadInputException("a webhook url cannot have a #fragment", path: "$.url");
        if (uri.Scheme == Uri.UriSchemeHttp && !allowHttp && !IsLoopback(uri))
            throw new BadInputException($"'{url}' is plain http: alerts would cross the network unencrypted. Use an https:// URL " +
                "(plain http is accepted only to this server itself, or when the installation sets Custodes:Alerting:AllowHttpWebhooks)", path: "$.url");
        return uri.AbsoluteUri;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    public static string EmailAddress(string address)
    {
        address = address.Trim();
        if (address.Length > 320 || !System.Net.Mail.MailAddress.TryCreate(address, out var parsed) || parsed.Address != address || parsed.DisplayName.Length > 0)
            throw new BadInputException($"'{address}' is not an email address like soc@example.com", path: "$.address");
        return parsed.Address;
    }

    public static Severity? ParseSeverity(string? severity) => severity switch
    {
        null => null,
        "low" => Severity.Low,
        "medium" => Severity.Medium,
        "high" => Severity.High,
        "critical" => Severity.Critical,
        _ => throw new BadInputException($"unknown severity '{severity}'; expected low, medium, high or critical", path: "$.min_severity"),
    };

    public static string SeverityName(Severity severity) => severity.ToString().ToLowerInvariant();

    // The key is the whole string's UTF-8 bytes, so a receiver can use it as given (docs/alerting.md).
    internal static string NewSecret() => "whsec_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
