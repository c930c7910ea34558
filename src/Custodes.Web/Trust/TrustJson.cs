using System.Text.Json;
using Custodes.Application.Trust;

namespace Custodes.Web.Trust;

/// <summary>
/// <c>/trust/&lt;slug&gt;.json</c>, <c>custodes.trust/v1</c> (contracts §11), written property by property so that its names and types are
/// the contract's whatever the app's JSON options are. Each letter also says when and why it was revoked (<c>revoked_at</c>,
/// <c>revocation_reason</c>, null otherwise) and links its public page (<c>letter_url</c>): additions the contract allows.
/// </summary>
internal static class TrustJson
{
    public const string Schema = "custodes.trust/v1";

    public static byte[] Write(PublicTrustPage page, string baseUrl)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteStartObject("organization");
            w.WriteString("name", page.OrganizationName);
            w.WriteString("slug", page.Slug);
            w.WriteEndObject();
            w.WriteString("generated_at", Timestamp(page.GeneratedAt.UtcDateTime));
            w.WriteStartArray("letters");
            foreach (var letter in page.Letters)
            {
                w.WriteStartObject();
                w.WriteString("letter_id", letter.LetterId.ToString());
                w.WriteString("issuer", letter.Issuer);
                w.WriteString("framework", letter.Framework);
                w.WriteString("scope", letter.Scope);
                if (letter.Score is { } score) w.WriteNumber("score", score); else w.WriteNull("score");
                w.WritePropertyName("cmmc");
                letter.Cmmc.WriteTo(w);
                w.WriteString("issued_at", Timestamp(letter.IssuedAt));
                w.WriteString("valid_until", Timestamp(letter.ValidUntil));
                w.WriteString("status", letter.Status);
                if (letter.RevokedAt is { } revokedAt) w.WriteString("revoked_at", Timestamp(revokedAt)); else w.WriteNull("revoked_at");
                if (letter.RevocationReason is { } reason) w.WriteString("revocation_reason", reason); else w.WriteNull("revocation_reason");
                w.WriteString("log_origin", letter.LogOrigin);
                w.WriteNumber("log_index", letter.LogIndex);
                w.WriteString("bundle_url", BundleUrl(baseUrl, letter.LetterId));
                w.WriteString("letter_url", LetterUrl(baseUrl, letter.LetterId));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("watch");
            if (page.Watch.WatchedSince is { } since) w.WriteString("watched_since", Timestamp(since)); else w.WriteNull("watched_since");
            if (page.Watch.LastEventAt is { } last) w.WriteString("last_event_at", Timestamp(last)); else w.WriteNull("last_event_at");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The letter file as issued (contracts §4), verifiable with <c>custodes attest verify</c>.</summary>
    public static string BundleUrl(string baseUrl, Guid letterId) => $"{baseUrl}/api/v1/letters/{letterId}";

    /// <summary>The letter's public page (status, text, how to check it).</summary>
    public static string LetterUrl(string baseUrl, Guid letterId) => $"{baseUrl}/letters/{letterId}";

    public static string PageUrl(string baseUrl, string slug) => $"{baseUrl}/trust/{slug}";

    private static string Timestamp(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
