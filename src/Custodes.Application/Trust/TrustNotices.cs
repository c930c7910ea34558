using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Application.Alerting;
using Custodes.Application.Database;
using Custodes.Application.Letters;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Trust;

/// <summary>
/// Trust-page notices (<c>custodes.trust-notice/v1</c>, docs/trust-page.md): a letter issued, superseded, revoked or expired for an
/// organization with a published trust page goes to every confirmed subscriber of that page through the delivery outbox, the one
/// alert deliveries use (same worker, retries, signing). Deliveries are written in the transaction that changes the letter, so a
/// change that is stored is a notice that will be sent, and a unique index keeps it to one per subscriber and event.
/// </summary>
public static class TrustNotices
{
    public const string Schema = "custodes.trust-notice/v1";

    /// <summary>The delivery type of a trust notice in the outbox.</summary>
    public const string Type = "trust.notice";

    public const string Issued = "letter.issued";
    public const string Superseded = "letter.superseded";
    public const string Revoked = "letter.revoked";
    public const string Expired = "letter.expired";

    /// <summary>
    /// Adds the notice of <paramref name="event"/> on <paramref name="letter"/> to the outbox of every confirmed subscriber of each
    /// published trust page the letter is about, on <paramref name="db"/> (saved with the caller's transaction). Returns how many.
    /// </summary>
    /// <remarks>A letter is about an organization when it names it or attests an assessment of it: the rule the trust page lists letters by.</remarks>
    internal static async Task<int> EnqueueAsync(CustodesDb db, LetterRow letter, string @event, DateTime at, TimeProvider clock, CancellationToken cancellationToken)
    {
        var assessed = letter.AssessmentId is { } a
            ? await db.Assessments.AsNoTracking().Where(x => x.Id == a).Select(x => (Guid?)x.SubjectOrganizationId).FirstOrDefaultAsync(cancellationToken)
            : null;
        var pages = await db.TrustPages.AsNoTracking()
            .Join(db.Organizations, t => t.OrganizationId, o => o.Id, (t, o) => new { t.OrganizationId, t.Slug, o.Name })
            .Where(p => p.Name == letter.Subject || p.OrganizationId == assessed)
            .ToListAsync(cancellationToken);
        if (pages.Count == 0) return 0;
        var key = Key(letter.Id, @event);
        var now = clock.GetUtcNow().UtcDateTime;
        var added = 0;
        foreach (var page in pages)
        {
            var subscribers = await db.TrustSubscriptions.AsNoTracking()
                .Where(s => s.OrganizationId == page.OrganizationId && s.Status == TrustSubscriptions.Confirmed
                    && !db.AlertDeliveries.Any(d => d.SubscriptionId == s.Id && d.AlertId == key))
                .Select(s => s.Id).ToListAsync(cancellationToken);
            var body = Body(page.Name, page.Slug, letter, @event, at);
            foreach (var subscriber in subscribers)
            {
                var id = Guid.CreateVersion7(clock.GetUtcNow());
                body["id"] = id.ToString();
                db.AlertDeliveries.Add(new AlertDeliveryRow
                {
                    Id = id,
                    SubscriptionId = subscriber,
                    OrganizationId = page.OrganizationId,
                    AlertId = key,
                    Type = Type,
                    Payload = body.ToJsonString(),
                    Status = DeliveryStatus.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
                added++;
            }
        }
        return added;
    }

    /// <summary>What one notice is about, once per subscriber: <c>&lt;letter id&gt;:&lt;event&gt;</c>.</summary>
    public static string Key(Guid letterId, string @event) => $"{letterId}:{@event}";

    // Stored without its links and unsubscribe URL: those are written when it is sent (Complete), from the installation's public
    // address and the subscription's own token, which the outbox never holds in the clear.
    private static JsonObject Body(string organization, string slug, LetterRow letter, string @event, DateTime at) => new()
    {
        ["schema"] = Schema,
        ["id"] = null,
        ["event"] = @event,
        ["organization"] = new JsonObject { ["name"] = organization, ["slug"] = slug },
        ["letter_id"] = letter.Id.ToString(),
        ["issuer"] = letter.Issuer,
        ["framework"] = letter.Framework,
        ["score"] = letter.Score,
        ["status"] = @event switch { Revoked => TrustLetter.Revoked, Expired => TrustLetter.Expired, _ => TrustLetter.Valid },
        ["reason"] = @event switch { Revoked => letter.RevocationReason, Expired => letter.ExpiryReason ?? "the letter reached the end of its validity", _ => null },
        ["superseded_by"] = @event == Superseded ? letter.SupersededBy?.ToString() : null,
        ["valid_until"] = Timestamp(letter.ValidUntil),
        ["at"] = Timestamp(at),
    };

    /// <summary>The notice as sent: the stored body with its links (page, letter, bundle) and the subscriber's unsubscribe URL.</summary>
    public static string Complete(string payload, string baseUrl, string unsubscribeToken)
    {
        var body = JsonNode.Parse(payload)!.AsObject();
        var slug = body["organization"]!["slug"]!.GetValue<string>();
        var letter = body["letter_id"]!.GetValue<string>();
        body["links"] = new JsonObject
        {
            ["page"] = $"{baseUrl}/trust/{slug}",
            ["letter"] = $"{baseUrl}/letters/{letter}",
            ["bundle"] = $"{baseUrl}/api/v1/letters/{letter}",
        };
        body["unsubscribe_url"] = UnsubscribeUrl(baseUrl, unsubscribeToken);
        return body.ToJsonString();
    }

    public static string UnsubscribeUrl(string baseUrl, string token) => $"{baseUrl}/trust/subscription/unsubscribe/{token}";

    public static string ConfirmUrl(string baseUrl, string token) => $"{baseUrl}/trust/subscription/confirm/{token}";

    /// <summary>A sent notice read back (the email is written from it).</summary>
    public sealed record Sent(string Event, string Organization, string Slug, Guid LetterId, string Issuer, string Framework, int? Score, string Status, string? Reason,
        string? SupersededBy, string At, string PageUrl, string LetterUrl, string BundleUrl, string UnsubscribeUrl, Guid Id)
    {
        public static Sent Read(string completed)
        {
            var b = JsonNode.Parse(completed)!.AsObject();
            string? S(JsonNode? n) => n?.GetValue<string>();
            return new Sent(S(b["event"])!, S(b["organization"]!["name"])!, S(b["organization"]!["slug"])!, Guid.Parse(S(b["letter_id"])!), S(b["issuer"])!,
                S(b["framework"])!, b["score"]?.GetValue<int>(), S(b["status"])!, S(b["reason"]), S(b["superseded_by"]), S(b["at"])!,
                S(b["links"]!["page"])!, S(b["links"]!["letter"])!, S(b["links"]!["bundle"])!, S(b["unsubscribe_url"])!, Guid.Parse(S(b["id"])!));
        }
    }

    private static string Timestamp(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
