using System.Net;
using Custodes.Application;
using Custodes.Application.Demo;
using Custodes.Application.Trust;
using Custodes.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Web.Tests;

/// <summary>The provider pages: a practice adds, changes and removes providers by form, without a file, on both databases.</summary>
public sealed class ProviderPagesTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static KeyValuePair<string, string>[] Form(string name, string endpoints, long version = 0, string? link = null) =>
    [
        new("Input.Name", name), new("Input.Kind", "msp"), new("Input.Services", "on-premises-it"), new("Input.Services", "microsoft-365"),
        new("Input.Tools", "ninjaone"), new("Input.Access", "admin-all-endpoints"), new("Input.Endpoints", endpoints),
        new("Input.ContractStart", "2026-01-01"), new("Input.ContractEnd", ""), new("Input.Version", version.ToString()), new("Input.Link", link ?? ""),
    ];

    [Theory, MemberData(nameof(Providers))]
    public async Task A_practice_adds_a_provider_by_form_sees_a_wrong_field_named_beside_it_changes_it_and_removes_it_after_being_told_what_changes(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        await Demo.EnsureAsync(server.Installation);
        using var session = server.Session();
        await session.SignInAsync("it@ridgeline.example", DemoWorkspace.Password);

        var (status, list, _) = await session.GetAsync("/supply-chain/providers");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"no-providers\"", list);

        // A count that is not a number: refused on the same form, the message beside the field, everything typed kept.
        var refused = await session.PostFormAsync("/supply-chain/providers/add", Form("Summit Computer Care", "about twelve"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"error-endpoints\"", html);
        Assert.Contains("the number of computers must be a whole number such as 14, not &#x27;about twelve&#x27;", html);
        Assert.Contains("value=\"Summit Computer Care\"", html);

        var added = await session.PostFormAsync("/supply-chain/providers/add", Form("Summit Computer Care", "12"));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal("/supply-chain/providers?added=summit-computer-care", added.Headers.Location?.OriginalString);
        (_, list, _) = await session.GetAsync("/supply-chain/providers?added=summit-computer-care");
        Assert.Contains("Added Summit Computer Care.", list);
        Assert.Contains("Computers and servers in your office and Microsoft 365", list);
        Assert.Contains("NinjaOne", list);
        Assert.Contains("Full control of every computer", list);
        Assert.Contains("Not independently assessed.", list);

        var (_, edit, _) = await session.GetAsync("/supply-chain/providers/summit-computer-care/edit");
        Assert.Contains("value=\"12\"", edit);
        var changed = await session.PostFormAsync("/supply-chain/providers/summit-computer-care/edit", Form("Summit Computer Care Inc.", "15", version: 1));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        // The same form again with the version it was read at: someone changed it meanwhile, nothing is overwritten.
        var stale = await session.PostFormAsync("/supply-chain/providers/summit-computer-care/edit", Form("Summit", "99", version: 1));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("changed by someone else meanwhile", await stale.Content.ReadAsStringAsync());

        var (_, confirm, _) = await session.GetAsync("/supply-chain/providers/summit-computer-care/remove");
        Assert.Contains("Remove Summit Computer Care Inc. from your providers?", confirm);
        Assert.Contains("This changes your records, not the provider's access.", confirm);
        Assert.Contains("15 computers", confirm);
        var removed = await session.PostFormAsync("/supply-chain/providers/summit-computer-care/remove", [new("version", "2")]);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        (_, list, _) = await session.GetAsync("/supply-chain/providers");
        Assert.Contains("id=\"no-providers\"", list);

        // A viewer reads the list but is not offered the forms, and the use case refuses the post anyway.
        var (_, viewerEmail, _) = await server.NewAccountAsync("Viewer Dental", "customer", Roles.Viewer);
        using var viewer = server.Session();
        await viewer.SignInAsync(viewerEmail);
        var (_, viewerList, _) = await viewer.GetAsync("/supply-chain/providers");
        Assert.DoesNotContain("id=\"add-provider\"", viewerList);
        var forbidden = await viewer.PostFormAsync("/supply-chain/providers/add", Form("Sneaky IT", "1"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_provider_with_a_published_trust_page_is_found_by_name_and_linked_with_its_letter(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        await server.Services.GetRequiredService<TrustPages>().PublishAsync(new Tenant(demo.MspOrganization, Roles.Owner, "test"), "granite-peak");
        using var session = server.Session();
        await session.SignInAsync("it@ridgeline.example", DemoWorkspace.Password);

        var (_, search, _) = await session.GetAsync("/supply-chain/providers/add?q=granite");
        Assert.Contains($"<strong>{DemoWorkspace.MspName}</strong>", search);
        Assert.Contains($"independently assessed by {DemoWorkspace.AssessorName}", search);
        Assert.Contains($"href=\"?link={demo.MspOrganization}\"", search);
        var (_, none, _) = await session.GetAsync("/supply-chain/providers/add?q=cloudvault");
        Assert.Contains("id=\"search-none\"", none);

        var (_, chosen, _) = await session.GetAsync($"/supply-chain/providers/add?link={demo.MspOrganization}");
        Assert.Contains($"value=\"{DemoWorkspace.MspName}\"", chosen);
        Assert.Contains("id=\"linked\"", chosen);

        var added = await session.PostFormAsync("/supply-chain/providers/add", Form(DemoWorkspace.MspName, "9", link: demo.MspOrganization.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var (_, list, _) = await session.GetAsync("/supply-chain/providers");
        Assert.Contains("Independently assessed.", list);
        Assert.Contains($"by {DemoWorkspace.AssessorName}; letter valid until", list);
        Assert.Contains("href=\"/trust/granite-peak\"", list);
    }
}
