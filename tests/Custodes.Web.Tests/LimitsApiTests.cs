using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>Workbook imports within limits, page numbers that cannot wrap, upload file names that cannot be misread as a size problem.</summary>
public sealed class LimitsApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_hostile_workbook_import_is_answered_400_naming_the_limit_and_changes_nothing(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, key) = await server.NewAccountAsync("Northgate");
        var client = server.Client(key);
        var id = await TenantWallTests.ImportAsync(client);
        var before = (await client.GetAsync($"/api/v1/assessments/{id}")).Headers.ETag!.Tag;

        var cells = new ByteArrayContent(HostileWorkbooks.Cells(20_000, 100)) { Headers = { ContentType = new MediaTypeHeaderValue(XlsxType) } };
        var tooMany = await ProblemAsync(await client.PostAsync($"/api/v1/assessments/{id}/imports", cells), HttpStatusCode.BadRequest);
        Assert.Contains("more than 250,000 cells", tooMany.GetProperty("detail").GetString());

        var bomb = new MultipartFormDataContent { { new ByteArrayContent(HostileWorkbooks.Bomb(8)) { Headers = { ContentType = new MediaTypeHeaderValue(XlsxType) } }, "file", "edited.xlsx" } };
        var refused = await ProblemAsync(await client.PostAsync($"/api/v1/assessments/{id}/imports", bomb), HttpStatusCode.BadRequest);
        Assert.Contains("more than 100:1", refused.GetProperty("detail").GetString());
        Assert.Equal("edited.xlsx", refused.GetProperty("file").GetString());

        Assert.Equal(before, (await client.GetAsync($"/api/v1/assessments/{id}")).Headers.ETag!.Tag);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_page_past_the_last_addressable_one_is_refused_400_never_wrapped_to_the_first(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, key) = await server.NewAccountAsync("Granite Peak IT", "msp");
        var client = server.Client(key);
        var id = await TenantWallTests.ImportAsync(client);
        string[] listings = ["/api/v1/assessments", $"/api/v1/assessments/{id}/history", "/api/v1/audit", "/api/v1/watch/alerts", "/api/v1/questionnaires/responses"];
        foreach (var listing in listings)
        {
            // (2147483647 - 1) * 50 wrapped to -100: the listing answered its first page.
            var problem = await ProblemAsync(await client.GetAsync($"{listing}?page=2147483647"), HttpStatusCode.BadRequest);
            Assert.Equal("page", problem.GetProperty("path").GetString());
            Assert.Contains("pages run from 1 to 42,949,672", problem.GetProperty("detail").GetString());
            var edge = await ProblemAsync(await client.GetAsync($"{listing}?page=10737419&page_size=200"), HttpStatusCode.BadRequest);
            Assert.Contains("pages run from 1 to 10,737,418", edge.GetProperty("detail").GetString());

            var last = await client.GetFromJsonAsync<JsonElement>($"{listing}?page=42949672");
            Assert.Empty(last.GetProperty("items").EnumerateArray());
            Assert.Equal(42_949_672, last.GetProperty("number").GetInt32());
        }
        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/assessments?page=1");
        Assert.Single(first.GetProperty("items").EnumerateArray());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_paged_page_past_the_last_addressable_one_says_so_instead_of_showing_the_first(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, email, _) = await server.NewAccountAsync("Northgate");
        using var session = server.Session();
        await session.SignInAsync(email);
        foreach (var page in new[] { "/audit", "/watch/alerts", "/supply-chain/questionnaires" })
        {
            var (status, html, _) = await session.GetAsync($"{page}?page=2147483647");
            Assert.True(status == HttpStatusCode.BadRequest, $"{page}: {(int)status}");
            Assert.Contains("out of range", html);
            // The number is read at all: Razor Pages' own 'page' route value used to hide it, so every page showed the first.
            var (second, secondHtml, _) = await session.GetAsync($"{page}?page=2");
            Assert.Equal(HttpStatusCode.OK, second);
            Assert.Contains(">Newer</a>", secondHtml);
        }
    }

    private static ByteArrayContent Part(string contentDisposition, byte[] bytes)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        // Set by hand: HttpClient would escape the name itself, and the point is what a careless client sends.
        part.Headers.TryAddWithoutValidation("Content-Disposition", contentDisposition);
        return part;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_quote_in_an_upload_file_name_is_answered_400_about_the_name_not_413(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, key) = await server.NewAccountAsync("Northgate");
        var client = server.Client(key);
        var id = await TenantWallTests.ImportAsync(client);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 policy");

        var bare = new MultipartFormDataContent { Part("form-data; name=\"file\"; filename=\"Access \"final\" policy.pdf\"", pdf) };
        var problem = await ProblemAsync(await client.PostAsync($"/api/v1/assessments/{id}/evidence", bare), HttpStatusCode.BadRequest);
        Assert.Contains("name could not be read", problem.GetProperty("detail").GetString());
        Assert.Contains("double quote", problem.GetProperty("detail").GetString());
        Assert.Equal("file", problem.GetProperty("path").GetString());

        // A large one is the same 400, never "larger than the evidence limit".
        var large = new MultipartFormDataContent { Part("form-data; name=\"file\"; filename=\"Access \"final\" policy.pdf\"", new byte[5 * 1024 * 1024]) };
        var misread = await ProblemAsync(await client.PostAsync($"/api/v1/assessments/{id}/evidence", large), HttpStatusCode.BadRequest);
        Assert.Contains("double quote", misread.GetProperty("detail").GetString());

        var import = new MultipartFormDataContent { Part("form-data; name=\"file\"; filename=\"a\"b.xlsx\"", pdf) };
        Assert.Contains("double quote", (await ProblemAsync(await client.PostAsync($"/api/v1/assessments/{id}/imports", import), HttpStatusCode.BadRequest)).GetProperty("detail").GetString());

        // Escaped as browsers (%22) or as RFC 7230 quoted-pairs (\") do, the same name is accepted.
        foreach (var escaped in new[] { "form-data; name=\"file\"; filename=\"Access %22final%22 policy.pdf\"", "form-data; name=\"file\"; filename=\"Access \\\"final\\\" policy.pdf\"" })
        {
            var response = await client.PostAsync($"/api/v1/assessments/{id}/evidence", new MultipartFormDataContent { Part(escaped, pdf) });
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{escaped}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
