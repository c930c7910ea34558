using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Custodes.Application;
using Custodes.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

public sealed class ReportDownloadTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>Without JavaScript: the report downloads from its button, and the workbook edited offline imports back through the page's form.</summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task The_report_downloads_from_its_button_and_an_edited_workbook_imports_back(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var (_, email, key) = await server.NewAccountAsync("Northgate", "assessor");
        using var api = server.Api(key);
        var id = await AppServer.ImportExampleAsync(api);

        await using var browser = await Browser.LaunchAsync($"reports-{provider}".ToLowerInvariant(), javaScript: false);
        var page = await browser.PageAsync();
        await server.SignInAsync(page, email);
        await page.GotoAsync(server.Url($"/assessments/{id}"));
        await page.Locator("#reports").ScrollIntoViewIfNeededAsync();
        await browser.ShotAsync(page, "reports-and-exports");

        var pdf = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Assessment report (PDF)" }).ClickAsync());
        Assert.Equal("granite-peak-managed-it-llc-2026-10-01-report.pdf", pdf.SuggestedFilename);
        var text = ExternalTools.PdfText(await File.ReadAllBytesAsync(await pdf.PathAsync()));
        Assert.Contains("Granite Peak Managed IT LLC", text);
        Assert.Contains("103", text);

        var book = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Workbook for offline edits (XLSX)" }).ClickAsync());
        var edited = Path.Combine(Path.GetTempPath(), $"edited-{Guid.NewGuid():N}.xlsx");
        Assert.Equal("granite-peak-managed-it-llc-2026-10-01-workbook.xlsx", book.SuggestedFilename);
        using (var workbook = new XLWorkbook(new MemoryStream(await File.ReadAllBytesAsync(await book.PathAsync()))))
        {
            var sheet = workbook.Worksheet("Requirements");
            var row = sheet.Column(1).CellsUsed().Single(c => c.GetString() == "3.13.1").Address.RowNumber;
            sheet.Cell(row, 6).Value = "not-met";
            workbook.SaveAs(edited);
        }
        try
        {
            await page.GetByLabel("Import edits", new() { Exact = false }).SetInputFilesAsync(edited);
            await page.ClickAsync("#import-form button[type=submit]");
            await page.WaitForURLAsync("**notice=imported**");
            await Expect(page.Locator("#notice")).ToContainTextAsync("Imported");
            await Expect(page.Locator("#score-panel")).ToContainTextAsync("98 of 110");
            await browser.ShotAsync(page, "imported-workbook");
        }
        finally { File.Delete(edited); }
        var score = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/assessments/{id}/score"));
        Assert.Equal("not-met", score.RootElement.GetProperty("requirements").GetProperty("3.13.1").GetString());
    }
}
