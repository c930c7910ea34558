using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Custodes.Application;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>The report PDF a user downloads prints the same "met" count as the score the page and the API show.</summary>
public sealed partial class ReportCountsApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_downloaded_report_pdf_counts_met_requirements_as_the_score_does(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, key) = await server.NewAccountAsync("Northgate");
        var client = server.Client(key);
        var id = await TenantWallTests.ImportAsync(client);
        var counts = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{id}/score")).GetProperty("counts");
        var (met, notApplicable) = (counts.GetProperty("met").GetInt32(), counts.GetProperty("not_applicable").GetInt32());
        Assert.True(notApplicable > 0, "the example must have not-applicable requirements for this test to mean anything");

        var text = Spaces().Replace(ExternalTools.PdfText(await client.GetByteArrayAsync($"/api/v1/assessments/{id}/exports/report.pdf")), " ");
        Assert.Contains($"{met} of 110 · {notApplicable} not applicable", text);
        Assert.DoesNotContain($"{met + notApplicable} of 110", text);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
