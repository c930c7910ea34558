using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Custodes.Storage;
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
        await attest.Revoke.HandleAsync(new Storage.Letters.RevokeLetterRequest(letter.LetterId, "MSP sold its RMM business", null, "test"));
        var pasted = await client.PostAsync("/verify", new FormUrlEncodedContent([new("letter", Encoding.UTF8.GetString(letter.ToUtf8Bytes()))]));
        var revoked = await pasted.Content.ReadAsStringAsync();
        Assert.Contains("Genuine, but revoked", revoked);
        Assert.Contains("MSP sold its RMM business", revoked);

        // Not a letter, too large, or nothing at all: a clear answer, never a crash.
        Assert.Contains("not a readable letter", await PostFileAsync(client, "{\"hello\": 1}"u8.ToArray()));
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
