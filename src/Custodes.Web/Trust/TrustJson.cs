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
            WriteMatrix(w, page.Matrix);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// <c>matrix</c> (an addition): what customers inherit, for a customer comparing providers from another installation — the requirements the
    /// provider takes on (provider or shared; the rest are the customer's), and whether its letter in force attests each met.
    /// </summary>
    private static void WriteMatrix(Utf8JsonWriter w, TrustMatrix? matrix)
    {
        if (matrix is null)
        {
            w.WriteNull("matrix");
            return;
        }
        w.WriteStartObject("matrix");
        w.WriteString("framework", matrix.Framework);
        if (matrix.Title is { } title) w.WriteString("title", title); else w.WriteNull("title");
        if (matrix.PublishedOn is { } on) w.WriteString("published_on", on.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)); else w.WriteNull("published_on");
        w.WriteStartArray("requirements");
        foreach (var row in matrix.Rows)
        {
            if (row.Responsibility == Custodes.SupplyChain.Responsibility.Customer) continue;
            w.WriteStartObject();
            w.WriteString("id", row.RequirementId);
            w.WriteString("responsibility", Custodes.SupplyChain.InheritanceNames.Name(row.Responsibility));
            if (row.Description is { } d) w.WriteString("description", d); else w.WriteNull("description");
            if (row.CustomerAction is { } a) w.WriteString("customer_action", a); else w.WriteNull("customer_action");
            if (row.Attested is { } attested) w.WriteBoolean("attested", attested); else w.WriteNull("attested");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The letter file as issued (contracts §4), verifiable with <c>custodes attest verify</c>.</summary>
    public static string BundleUrl(string baseUrl, Guid letterId) => $"{baseUrl}/api/v1/letters/{letterId}";

    /// <summary>The letter's public page (status, text, how to check it).</summary>
    public static string LetterUrl(string baseUrl, Guid letterId) => $"{baseUrl}/letters/{letterId}";

    public static string PageUrl(string baseUrl, string slug) => $"{baseUrl}/trust/{slug}";

    private static string Timestamp(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
