using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Custodes.Application;
using Custodes.Assessments;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>Downloads and imports under <c>/api/v1/assessments/{id}/exports|imports</c>, the letter PDF, and the workspace's links to them.</summary>
public sealed class ReportsApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string Stem = "granite-peak-managed-it-llc-2026-10-01";

    private static async Task<Guid> CreateAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/v1/assessments", new StringContent(File.ReadAllText(Attestations.ExamplePath), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<byte[]> StoredAsync(HttpClient client, Guid id) => await client.GetByteArrayAsync($"/api/v1/assessments/{id}");

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient client, Guid id, byte[] content, string contentType, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/assessments/{id}/imports") { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_export_downloads_with_its_type_and_file_name_and_OSCAL_validates_against_NISTs_schemas(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, client) = await server.NewTenantAsync("Northgate");
        var id = await CreateAsync(client);
        (string Path, string Type)[] expected =
        [
            ("oscal-ssp.json", "application/json"), ("oscal-ar.json", "application/json"), ("oscal-poam.json", "application/json"),
            ("report.pdf", "application/pdf"), ("ssp.pdf", "application/pdf"), ("ssp.html", "text/html"), ("workbook.xlsx", Xlsx),
            ("requirements.csv", "text/csv"), ("objectives.csv", "text/csv"), ("sprs.json", "application/json"), ("sprs.txt", "text/plain"),
        ];
        var bodies = new Dictionary<string, byte[]>();
        foreach (var (path, type) in expected)
        {
            var response = await client.GetAsync($"/api/v1/assessments/{id}/exports/{path}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal($"{Stem}-{path}", response.Content.Headers.ContentDisposition?.FileNameStar);
            var tag = response.Headers.ETag?.Tag;
            Assert.Equal($"\"{id:N}-1-{path}\"", tag);
            bodies[path] = await response.Content.ReadAsByteArrayAsync();

            // Unchanged version: 304 without a body.
            var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/assessments/{id}/exports/{path}");
            again.Headers.TryAddWithoutValidation("If-None-Match", tag);
            var cached = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
            Assert.Empty(await cached.Content.ReadAsByteArrayAsync());
        }

        Assert.Empty(ExternalTools.OscalErrors("ssp", bodies["oscal-ssp.json"]));
        Assert.Empty(ExternalTools.OscalErrors("assessment-results", bodies["oscal-ar.json"]));
        Assert.Empty(ExternalTools.OscalErrors("poam", bodies["oscal-poam.json"]));
        // The validator does reject: an assessment-results document is not a POA&M.
        Assert.NotEmpty(ExternalTools.OscalErrors("poam", bodies["oscal-ar.json"]));

        var report = ExternalTools.PdfText(bodies["report.pdf"]);
        Assert.Contains("Granite Peak Managed IT LLC", report);
        Assert.Contains("103", report);
        Assert.Contains("System security plan", ExternalTools.PdfText(bodies["ssp.pdf"]), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("<!DOCTYPE html>", Encoding.UTF8.GetString(bodies["ssp.html"]), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("framework,id,cmmc_id,", Encoding.UTF8.GetString(bodies["requirements.csv"]));
        Assert.StartsWith("framework,id,requirement_id,", Encoding.UTF8.GetString(bodies["objectives.csv"]));
        using (var sprs = JsonDocument.Parse(bodies["sprs.json"]))
        {
            Assert.Equal(103, sprs.RootElement.GetProperty("score").GetInt32());
            Assert.Equal("2026-10-01", sprs.RootElement.GetProperty("assessment_date").GetString());
        }
        Assert.Contains("103", Encoding.UTF8.GetString(bodies["sprs.txt"]));
        using (var book = new XLWorkbook(new MemoryStream(bodies["workbook.xlsx"])))
            Assert.Equal("Granite Peak Managed IT LLC", book.Worksheet("Summary").Search("Organization").Single().CellRight().GetString());

        // A change gives a new ETag: the old one no longer matches.
        var setDetermination = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/assessments/{id}/determinations/3.1.4")
        {
            Content = new StringContent("{\"status\":\"not-met\"}", Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(setDetermination)).StatusCode);
        var stale = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/assessments/{id}/exports/sprs.json");
        stale.Headers.TryAddWithoutValidation("If-None-Match", $"\"{id:N}-1-sprs.json\"");
        var fresh = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal($"\"{id:N}-2-sprs.json\"", fresh.Headers.ETag?.Tag);

        using var openapi = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = openapi.RootElement.GetProperty("paths");
        foreach (var (path, _) in expected) Assert.True(paths.TryGetProperty($"/api/v1/assessments/{{id}}/exports/{path}", out _), path);
        Assert.True(paths.TryGetProperty("/api/v1/assessments/{id}/imports", out _));
        Assert.True(paths.TryGetProperty("/letters/{id}.pdf", out _));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_edited_workbook_and_CSV_import_back_through_the_API_as_one_audited_version(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, client) = await server.NewTenantAsync("Northgate");
        var id = await CreateAsync(client);
        var original = await StoredAsync(client, id);

        // Unchanged workbook: imports as a new version with nothing changed, and the assessment reads back byte for byte.
        var workbook = await client.GetByteArrayAsync($"/api/v1/assessments/{id}/exports/workbook.xlsx");
        var same = await ImportAsync(client, id, workbook, Xlsx, $"\"{id:N}-1\"");
        Assert.True(same.StatusCode == HttpStatusCode.OK, await same.Content.ReadAsStringAsync());
        Assert.Equal($"\"{id:N}-2\"", same.Headers.ETag?.Tag);
        using (var result = JsonDocument.Parse(await same.Content.ReadAsStringAsync()))
        {
            Assert.Equal(0, result.RootElement.GetProperty("changed_requirements").GetInt32());
            Assert.Equal("workbook", result.RootElement.GetProperty("kind").GetString());
        }
        Assert.Equal(original, await StoredAsync(client, id));

        // Edited offline: 3.1.4 not met, with a note.
        byte[] edited;
        using (var book = new XLWorkbook(new MemoryStream(workbook)))
        {
            var sheet = book.Worksheet("Requirements");
            var row = sheet.Column(1).CellsUsed().Single(c => c.GetString() == "3.1.4").Address.RowNumber;
            sheet.Cell(row, 6).Value = "not-met";
            sheet.Cell(row, 8).Value = "Guest accounts found on two workstations.";
            using var buffer = new MemoryStream();
            book.SaveAs(buffer);
            edited = buffer.ToArray();
        }
        var scoreBefore = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/assessments/{id}/score")).RootElement.GetProperty("score").GetInt32();
        var applied = await ImportAsync(client, id, edited, Xlsx, $"\"{id:N}-2\"");
        Assert.True(applied.StatusCode == HttpStatusCode.OK, await applied.Content.ReadAsStringAsync());
        var stored = AssessmentFile.Parse(await StoredAsync(client, id), "stored").Assessment;
        Assert.Equal(Status.NotMet, stored.Requirements["3.1.4"].Status);
        Assert.Equal("Guest accounts found on two workstations.", stored.Requirements["3.1.4"].Note);
        Assert.True(JsonDocument.Parse(await client.GetStringAsync($"/api/v1/assessments/{id}/score")).RootElement.GetProperty("score").GetInt32() < scoreBefore);

        // The CSV of requirements, edited back to met.
        var csv = await client.GetStringAsync($"/api/v1/assessments/{id}/exports/requirements.csv");
        var line = csv.Split("\r\n").Single(l => l.StartsWith("nist-sp800-171r2,3.1.4,", StringComparison.Ordinal));
        var fixedCsv = csv.Replace(line, line.Replace(",not-met,not-met,", ",met,not-met,").Replace("Guest accounts found on two workstations.", "Guest accounts removed."));
        var csvImport = await ImportAsync(client, id, Encoding.UTF8.GetBytes(fixedCsv), "text/csv");
        Assert.True(csvImport.StatusCode == HttpStatusCode.OK, await csvImport.Content.ReadAsStringAsync());
        using (var result = JsonDocument.Parse(await csvImport.Content.ReadAsStringAsync()))
            Assert.Equal(1, result.RootElement.GetProperty("changed_requirements").GetInt32());
        stored = AssessmentFile.Parse(await StoredAsync(client, id), "stored").Assessment;
        Assert.Equal(Status.Met, stored.Requirements["3.1.4"].Status);
        Assert.Equal("Guest accounts removed.", stored.Requirements["3.1.4"].Note);

        // OSCAL assessment results of the assessment import back without a change.
        var ar = await client.GetByteArrayAsync($"/api/v1/assessments/{id}/exports/oscal-ar.json");
        var before = await StoredAsync(client, id);
        var oscal = await ImportAsync(client, id, ar, "application/json");
        Assert.True(oscal.StatusCode == HttpStatusCode.OK, await oscal.Content.ReadAsStringAsync());
        Assert.Equal(before, await StoredAsync(client, id));

        // Every import is in the audit trail with the file it came from.
        using var history = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/assessments/{id}/history"));
        var actions = history.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToArray();
        Assert.Equal(2, actions.Count(a => a == "assessment.imported_workbook"));
        Assert.Contains("assessment.imported_csv", actions);
        Assert.Contains("assessment.imported_oscal", actions);
        Assert.Contains("upload.csv", history.RootElement.GetRawText());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_bad_upload_is_a_located_problem_and_imports_nothing(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, client) = await server.NewTenantAsync("Northgate");
        var id = await CreateAsync(client);
        var original = await StoredAsync(client, id);
        var csv = await client.GetStringAsync($"/api/v1/assessments/{id}/exports/requirements.csv");

        // A renamed column: 422 naming row 1 and the column.
        var renamed = await ProblemAsync(await ImportAsync(client, id, Encoding.UTF8.GetBytes(csv.Replace("recorded_status", "my_status")), "text/csv"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("row 1, column 8", renamed.GetProperty("path").GetString());
        Assert.Contains("recorded_status", renamed.GetProperty("detail").GetString());

        // A good change on one row and an unknown id further down: nothing of it is stored.
        var lines = csv.Split("\r\n").ToList();
        var at = lines.FindIndex(l => l.StartsWith("nist-sp800-171r2,3.1.4,", StringComparison.Ordinal));
        lines[at] = lines[at].Replace(",met,met,", ",not-met,not-met,");
        lines.Insert(lines.Count - 1, lines[^2].Replace(",3.14.7,", ",3.14.99,"));
        var unknown = await ProblemAsync(await ImportAsync(client, id, Encoding.UTF8.GetBytes(string.Join("\r\n", lines)), "text/csv"), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("3.14.99", unknown.GetProperty("detail").GetString());
        Assert.Equal(lines.Count - 1, unknown.GetProperty("line").GetInt32());
        Assert.StartsWith($"row {lines.Count - 1}, column id", unknown.GetProperty("path").GetString());

        // A workbook that is not one, an OSCAL document of another model, a bad status in the workbook.
        Assert.Contains("not an XLSX workbook", (await ProblemAsync(await ImportAsync(client, id, "not a zip"u8.ToArray(), Xlsx), HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());
        var poam = await client.GetByteArrayAsync($"/api/v1/assessments/{id}/exports/oscal-poam.json");
        var wrongModel = await ProblemAsync(await ImportAsync(client, id, poam, "application/json"), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("plan-of-action-and-milestones", wrongModel.GetProperty("detail").GetString());
        byte[] badStatus;
        using (var book = new XLWorkbook(new MemoryStream(await client.GetByteArrayAsync($"/api/v1/assessments/{id}/exports/workbook.xlsx"))))
        {
            book.Worksheet("Requirements").Cell(5, 6).Value = "mostly";
            using var buffer = new MemoryStream();
            book.SaveAs(buffer);
            badStatus = buffer.ToArray();
        }
        var status = await ProblemAsync(await ImportAsync(client, id, badStatus, Xlsx), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Requirements!F5", status.GetProperty("path").GetString());

        // Another organization's workbook is not merged into this one.
        var other = File.ReadAllText(Attestations.ExamplePath).Replace("Granite Peak Managed IT LLC", "Someone Else LLC");
        var (_, second) = (await server.NewTenantAsync("Other"));
        var otherId = (await (await second.PostAsync("/api/v1/assessments", new StringContent(other, Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var otherBook = await second.GetByteArrayAsync($"/api/v1/assessments/{otherId}/exports/workbook.xlsx");
        Assert.Contains("Someone Else LLC", (await ProblemAsync(await ImportAsync(client, id, otherBook, Xlsx), HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());

        // Wrong type 415, too large 413, no file 400, stale If-Match 412.
        await ProblemAsync(await ImportAsync(client, id, "x"u8.ToArray(), "application/pdf"), HttpStatusCode.UnsupportedMediaType);
        await ProblemAsync(await ImportAsync(client, id, new byte[9 * 1024 * 1024], "text/csv"), HttpStatusCode.RequestEntityTooLarge);
        using (var empty = new MultipartFormDataContent { { new StringContent("x"), "note" } })
            await ProblemAsync(await client.PostAsync($"/api/v1/assessments/{id}/imports", empty), HttpStatusCode.BadRequest);
        await ProblemAsync(await ImportAsync(client, id, Encoding.UTF8.GetBytes(csv), "text/csv", $"\"{id:N}-7\""), HttpStatusCode.PreconditionFailed);

        Assert.Equal(original, await StoredAsync(client, id));
        var version = (await client.GetAsync($"/api/v1/assessments/{id}")).Headers.ETag?.Tag;
        Assert.Equal($"\"{id:N}-1\"", version);

        // The same multipart upload a form sends is accepted.
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "requirements.csv" } };
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/assessments/{id}/imports", form)).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_tenant_gets_404_and_a_session_cookie_only_downloads(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, owner) = await server.NewTenantAsync("Northgate");
        var id = await CreateAsync(owner);
        var (_, stranger) = await server.NewTenantAsync("Elsewhere", "customer");
        await ProblemAsync(await stranger.GetAsync($"/api/v1/assessments/{id}/exports/report.pdf"), HttpStatusCode.NotFound);
        await ProblemAsync(await stranger.GetAsync($"/api/v1/assessments/{id}/exports/oscal-ar.json"), HttpStatusCode.NotFound);
        var csv = await owner.GetByteArrayAsync($"/api/v1/assessments/{id}/exports/requirements.csv");
        await ProblemAsync(await ImportAsync(stranger, id, csv, "text/csv"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client().GetAsync($"/api/v1/assessments/{id}/exports/report.pdf")).StatusCode);

        // A signed-in browser downloads through the page's links with its session cookie, but cannot change anything through the API with it.
        var (_, email, _) = await server.NewAccountAsync("Browser firm");
        using var session = server.Session();
        Assert.Equal(HttpStatusCode.Redirect, (await session.SignInAsync(email)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Http.GetAsync("/api/v1/assessments")).StatusCode);
        var other = await session.Http.GetAsync($"/api/v1/assessments/{id}/exports/report.pdf");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        var import = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/assessments/{id}/imports") { Content = new ByteArrayContent(csv) };
        import.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Http.SendAsync(import)).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_workspace_links_every_download_and_its_import_form_applies_an_edited_CSV(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, email, key) = await server.NewAccountAsync("Northgate");
        var id = await CreateAsync(server.Client(key));
        using var session = server.Session();
        await session.SignInAsync(email);
        var (status, html, _) = await session.GetAsync($"/assessments/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Reports and exports", html);
        foreach (var path in new[] { "oscal-ssp.json", "oscal-ar.json", "oscal-poam.json", "report.pdf", "ssp.pdf", "ssp.html", "workbook.xlsx", "requirements.csv", "sprs.txt" })
        {
            Assert.Contains($"href=\"/api/v1/assessments/{id}/exports/{path}\" download", html);
            var download = await session.Http.GetAsync($"/api/v1/assessments/{id}/exports/{path}");
            Assert.True(download.StatusCode == HttpStatusCode.OK, $"{path} with the session cookie: {download.StatusCode}");
        }
        Assert.Contains("<label for=\"import-file\">", html);

        var csv = await session.Http.GetStringAsync($"/api/v1/assessments/{id}/exports/requirements.csv");
        var line = csv.Split("\r\n").Single(l => l.StartsWith("nist-sp800-171r2,3.1.4,", StringComparison.Ordinal));
        var edited = Encoding.UTF8.GetBytes(csv.Replace(line, line.Replace(",met,met,", ",not-met,met,")));
        var token = WebSession.Token(html)!;
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(edited), "file", "requirements.csv" }, { new StringContent("1"), "version" }, { new StringContent(token), "__RequestVerificationToken" } })
        {
            var response = await session.Http.PostAsync($"/assessments/{id}?handler=import", form);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/assessments/{id}?notice=imported", response.Headers.Location?.ToString());
        }
        Assert.Equal(Status.NotMet, AssessmentFile.Parse(await server.Client(key).GetByteArrayAsync($"/api/v1/assessments/{id}"), "stored").Assessment.Requirements["3.1.4"].Status);

        // A bad file: the page says what and where, with 422, and nothing changes.
        (_, html, _) = await session.GetAsync($"/assessments/{id}");
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv.Replace("recorded_status", "status2"))), "file", "requirements.csv" }, { new StringContent("2"), "version" }, { new StringContent(WebSession.Token(html)!), "__RequestVerificationToken" } })
        {
            var response = await session.Http.PostAsync($"/assessments/{id}?handler=import", form);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.Contains("Nothing was imported", page);
            Assert.Contains("row 1, column 8", page);
        }
        Assert.Equal($"\"{id:N}-2\"", (await server.Client(key).GetAsync($"/api/v1/assessments/{id}")).Headers.ETag?.Tag);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_letter_downloads_as_a_PDF_from_its_public_page(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var attest = new Attestations(server.Installation);
        var letter = await attest.IssueAsync();
        var client = server.Client();
        var page = await client.GetStringAsync($"/letters/{letter.LetterId}");
        Assert.Contains($"href=\"/letters/{letter.LetterId}.pdf\"", page);
        Assert.Contains($"href=\"/api/v1/letters/{letter.LetterId}\"", page);

        var response = await client.GetAsync($"/letters/{letter.LetterId}.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"letter-{letter.LetterId}.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
        var text = ExternalTools.PdfText(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("Granite Peak Managed IT LLC", text);
        Assert.Contains("103 of 110", text);
        Assert.Contains($"{server.Address.ToString().TrimEnd('/')}/letters/{letter.LetterId}", text.Replace("\n", "").Replace(" ", ""));
        Assert.Matches($@"Log index\s+{letter.LogIndex}\b", text);

        var file = await client.GetAsync($"/api/v1/letters/{letter.LetterId}");
        Assert.Equal(letter.ToUtf8Bytes(), await file.Content.ReadAsByteArrayAsync());
        await ProblemAsync(await client.GetAsync($"/letters/{Guid.NewGuid()}.pdf"), HttpStatusCode.NotFound);
    }
}
