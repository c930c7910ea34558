using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Application;
using Custodes.Catalogs;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>The API's POA&amp;M and the exports list the same items: every requirement not met, written plan or not.</summary>
public sealed class PoamApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    /// <summary>Every requirement met except those given; no <c>poam</c> entries at all.</summary>
    private static string File(params (string Id, object Value)[] except)
    {
        var requirements = new JsonObject();
        foreach (var r in CatalogSet.Get(Frameworks.NistR2).Requirements) requirements[r.Id] = "met";
        foreach (var (id, value) in except) requirements[id] = JsonSerializer.SerializeToNode(value);
        return new JsonObject
        {
            ["schema"] = "custodes.assessment/v1", ["framework"] = "nist-sp800-171r2", ["organization"] = "Granite Peak Managed IT LLC",
            ["assessed_on"] = "2026-10-01", ["ssp"] = true, ["requirements"] = requirements,
        }.ToJsonString();
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string file)
    {
        var response = await client.PostAsync("/api/v1/assessments", new StringContent(file, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_unmet_requirement_without_a_plan_is_on_the_API_POAM_and_the_OSCAL_export(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, key) = await server.NewAccountAsync("Northgate");
        var client = server.Client(key);
        var id = await CreateAsync(client, File(("3.13.11", new { status = "not-met", partial = "encryption-not-fips-validated" }), ("3.1.20", "not-met")));

        var view = await client.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{id}/poam");
        var items = view.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(["3.1.20", "3.13.11"], items.Select(i => i.GetProperty("id").GetString()));
        var fips = items[1];
        Assert.False(fips.GetProperty("plan_written").GetBoolean());
        Assert.True(fips.GetProperty("cmmc_poam_eligible").GetBoolean());
        Assert.Equal("not-met", fips.GetProperty("requirement_status").GetString());
        Assert.Equal("open", fips.GetProperty("status").GetString());
        Assert.False(items[0].GetProperty("cmmc_poam_eligible").GetBoolean());

        var bytes = await client.GetByteArrayAsync($"/api/v1/assessments/{id}/exports/oscal-poam.json");
        var oscal = JsonNode.Parse(bytes)!;
        Assert.Equal(["3.1.20", "3.13.11"], oscal["plan-of-action-and-milestones"]!["poam-items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>().Split(' ')[0]));
        Assert.Empty(ExternalTools.OscalErrors("poam", bytes));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_assessment_with_everything_met_has_no_POAM_anywhere(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, key) = await server.NewAccountAsync("Northgate");
        var client = server.Client(key);
        var id = await CreateAsync(client, File(("3.1.22", "not-applicable")));

        var view = await client.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/{id}/poam");
        Assert.Empty(view.GetProperty("items").EnumerateArray());
        var export = await client.GetAsync($"/api/v1/assessments/{id}/exports/oscal-poam.json");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, export.StatusCode);
        Assert.Contains("every requirement is met", await export.Content.ReadAsStringAsync());
    }
}
