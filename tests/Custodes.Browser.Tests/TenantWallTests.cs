using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

public sealed class TenantWallTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_customer_cannot_see_another_organizations_data_by_page_URL_API_or_id(DatabaseProvider provider)
    {
        await using var server = await AppServer.StartAsync(provider);
        var (_, _, assessorKey) = await server.NewAccountAsync("Northgate Security Assessors LLC", "assessor");
        using var assessor = new HttpClient { BaseAddress = new Uri(server.Address) };
        assessor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", assessorKey);
        var example = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json"));
        var created = await assessor.PostAsync("/api/v1/assessments", new StringContent(example, Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var upload = new MultipartFormDataContent { { new ByteArrayContent("firewall rules"u8.ToArray()), "file", "firewall.txt" }, { new StringContent("3.13.1"), "targets" } };
        var evidence = JsonDocument.Parse(await (await assessor.PostAsync($"/api/v1/assessments/{id}/evidence", upload)).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var (_, customerEmail, customerKey) = await server.NewAccountAsync("Smile Dental Group", "customer");
        await using var browser = await Browser.LaunchAsync($"walls-{provider}".ToLowerInvariant());
        var page = await browser.PageAsync();
        await server.SignInAsync(page, customerEmail);
        await Expect(page.Locator("h1")).ToContainTextAsync("Smile Dental Group");
        await Expect(page.Locator("#assessments")).ToHaveCountAsync(0);
        await browser.ShotAsync(page, "customer-dashboard");

        foreach (var path in new[] { $"/assessments/{id}", $"/assessments/{id}/poam", $"/assessments/{id}/history", $"/assessments/{id}/shares", $"/assessments/{id}?handler=export&format=json", $"/assessments/{id}/evidence/{evidence}" })
        {
            var response = await page.GotoAsync(server.Url(path));
            Assert.Equal(404, response!.Status);
            Assert.DoesNotContain("Granite Peak", await page.ContentAsync());
        }
        await browser.ShotAsync(page, "not-found");

        using var api = new HttpClient { BaseAddress = new Uri(server.Address) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", customerKey);
        foreach (var path in new[] { $"/api/v1/assessments/{id}", $"/api/v1/assessments/{id}/score", $"/api/v1/assessments/{id}/poam", $"/api/v1/evidence/{evidence}", $"/api/v1/assessments/{id}/evidence" })
        {
            var response = await api.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Granite Peak", await response.Content.ReadAsStringAsync());
        }
        var list = JsonDocument.Parse(await api.GetStringAsync("/api/v1/assessments"));
        Assert.Equal(0, list.RootElement.GetProperty("items").GetArrayLength());

        await page.GotoAsync(server.Url("/audit?action=security.not_found"));
        await Expect(page.Locator("#audit tbody tr")).Not.ToHaveCountAsync(0);
        await browser.ShotAsync(page, "customer-audit");
    }
}
