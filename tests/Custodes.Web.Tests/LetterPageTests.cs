using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Custodes.Application;
using Custodes.Testing;

namespace Custodes.Web.Tests;

public sealed class LetterPageTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static async Task<string> PostFileAsync(HttpClient client, byte[] letter)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(letter), "file", "letter.json" } };
        var response = await client.PostAsync("/verify", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The letter with one character of its signed payload changed (still valid JSON and base64).</summary>
    internal static byte[] Tampered(byte[] letter)
    {
        var json = JsonNode.Parse(letter)!;
        var payload = (string)json["envelope"]!["payload"]!;
        var i = payload.Length / 2;
        json["envelope"]!["payload"] = payload[..i] + (payload[i] == 'A' ? 'B' : 'A') + payload[(i + 1)..];
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_verify_page_says_in_plain_words_whether_a_letter_is_genuine(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var attest = new Attestations(server.Installation);
        var letter = await attest.IssueAsync();
        var client = server.Client();

        var form = await client.GetStringAsync("/verify");
        Assert.Contains("<form method=\"post\" action=\"/verify\"", form);

        var good = await PostFileAsync(client, letter.ToUtf8Bytes());
        Assert.Contains("Genuine and valid", good);
        Assert.Contains("Granite Peak Managed IT LLC", good);
        Assert.Contains("103 of 110", good);
        Assert.Contains("Level 2: Conditional", good);

        var tampered = await PostFileAsync(client, Tampered(letter.ToUtf8Bytes()));
        Assert.Contains("Not valid", tampered);
        Assert.Contains("changed after the assessor signed it", tampered);
        Assert.Contains("signature_invalid", tampered);

        // Pasted text works the same; a revoked letter is genuine but not valid, with the reason.
        await attest.RevokeAsync(letter.LetterId, "MSP sold its RMM business");
        var pasted = await client.PostAsync("/verify", new FormUrlEncodedContent([new("letter", Encoding.UTF8.GetString(letter.ToUtf8Bytes()))]));
        var revoked = await pasted.Content.ReadAsStringAsync();
        Assert.Contains("<strong>Revoked</strong>", revoked);
        Assert.Contains("by Northgate Security Assessors LLC: MSP sold its RMM business. Do not rely on it.", revoked);

        // Not a letter, too large, or nothing at all: a clear answer, never a crash.
        Assert.Contains("it is JSON but has no signed envelope", await PostFileAsync(client, "{\"hello\": 1}"u8.ToArray()));
        using var huge = new MultipartFormDataContent { { new ByteArrayContent(new byte[400 * 1024]), "file", "letter.json" } };
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/verify", huge)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/verify", new FormUrlEncodedContent([]))).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_letter_page_shows_the_letter_its_key_fingerprint_log_index_and_a_QR_code(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var attest = new Attestations(server.Installation);
        // Names come from people: they must never become markup.
        var letter = await attest.IssueAsync("Evil <script>alert(1)</script> Assessors");
        var client = server.Client();
        var response = await client.GetAsync($"/letters/{letter.LetterId}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Letter of attestation", page);
        Assert.Contains("Granite Peak Managed IT LLC", page);
        Assert.Contains(">103<", page);
        Assert.Contains(Web.Letters.LetterHtml.Fingerprint(letter.KeyId), page);
        Assert.Contains($"entry {letter.LogIndex} of", page);
        Assert.Contains("<svg", page);
        Assert.Contains($"href=\"/api/v1/letters/{letter.LetterId}\"", page);
        Assert.Contains($"/letters/{letter.LetterId}", page);
        Assert.Contains("Valid", page);
        Assert.DoesNotContain("<script>", page);
        Assert.Contains("Evil &lt;script&gt;", page);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/letters/{Guid.NewGuid()}")).StatusCode);
    }
}

/// <summary>What a first user hits: the revoked letter's page and PDF say so, and junk or a wrong address gets plain words, never .NET text.</summary>
public sealed class LetterPageFirstUseTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_revoked_letters_page_and_PDF_say_REVOKED_with_the_date_issuer_and_reason(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var attest = new Attestations(server.Installation);
        var letter = await attest.IssueAsync();
        var client = server.Client();
        var validPdf = ExternalTools.PdfText(await client.GetByteArrayAsync($"/letters/{letter.LetterId}.pdf"));
        Assert.DoesNotContain("REVOKED", validPdf);

        var revoked = await attest.RevokeAsync(letter.LetterId, "Scope was misstated");
        var day = Web.Letters.LetterHtml.Date(revoked.RevokedAt);
        var page = await client.GetStringAsync($"/letters/{letter.LetterId}");
        Assert.Contains("class=\"verdict bad\"", page);
        Assert.Contains($"This letter was revoked on {day} by {Attestations.Issuer}: Scope was misstated. Do not rely on it.", page);
        // The page's look comes from a stylesheet the CSP allows, not an inline <style> it blocks.
        Assert.DoesNotContain("<style", page);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/assets/letters.css\">", page);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/assets/letters.css")).StatusCode);

        // A PDF fetched before the revocation is revalidated, and the new one differs (its ETag names the status).
        var pdf = await client.GetAsync($"/letters/{letter.LetterId}.pdf");
        Assert.Equal("no-cache", pdf.Headers.CacheControl?.ToString());
        var firstPage = FirstPageText(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains("REVOKED", firstPage);
        var sentence = string.Join(' ', firstPage.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"This letter was revoked on {day} by {Attestations.Issuer}: Scope was misstated. Do not rely on it.", sentence);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Junk_on_the_verify_page_is_named_in_plain_words_never_as_a_parser_message(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var client = server.Client();
        foreach (var (junk, expected) in new[]
        {
            ("hello, is this my letter?", "This is not a Custodes letter file: it is not valid JSON (line 1)."),
            ("{\n  \"mediaType\": \"application/vnd.custodes.letter.v1+json\",\n  \"envelope\": {,\n}", "This is not a Custodes letter file: it is not valid JSON (line 3)."),
            ("[1, 2, 3]", "This is not a Custodes letter file: it is JSON but has no signed envelope"),
            ("{\"envelope\": {\"payload\": \"\"}}", "This is not a Custodes letter file: it has a signed envelope but does not say it is a letter"),
        })
        {
            var response = await client.PostAsync("/verify", new FormUrlEncodedContent([new("letter", junk)]));
            var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.Contains(expected, html);
            Assert.Contains("class=\"verdict bad\"", html);
            Assert.DoesNotContain("LineNumber", html);
            Assert.DoesNotContain("BytePositionInLine", html);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Browsers_get_an_HTML_error_page_and_the_API_keeps_problem_details(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var client = server.Client();
        foreach (var path in new[] { "/letters/not-a-guid", "/no-such-page", "/letters/not-a-guid.pdf" })
        {
            var page = await SendAsync(client, path, "text/html,application/xhtml+xml,*/*;q=0.8");
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("Page not found", html);
            Assert.Contains("href=\"/assets/site.css\"", html);
            Assert.Contains("href=\"/verify\"", html);

            var tool = await SendAsync(client, path, "application/json");
            Assert.Equal(HttpStatusCode.NotFound, tool.StatusCode);
            Assert.Equal("application/problem+json", tool.Content.Headers.ContentType?.MediaType);
        }
        // The API answers problem details even to a browser.
        var api = await SendAsync(client, "/api/v1/no-such-thing", "text/html");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        // A letter id that is a GUID but unknown: the letter page's own explanation.
        var unknown = await SendAsync(client, $"/letters/{Guid.NewGuid()}.pdf", "text/html");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("text/html", unknown.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return await client.SendAsync(request);
    }

    /// <summary>The text of a PDF's first page only (pdftotext -f 1 -l 1): "prominently" means there, not on a later page.</summary>
    internal static string FirstPageText(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"custodes-letter-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            return ExternalTools.Run("pdftotext", "-f", "1", "-l", "1", "-layout", file, "-");
        }
        finally { File.Delete(file); }
    }
}
