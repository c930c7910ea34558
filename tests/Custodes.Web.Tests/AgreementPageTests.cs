using System.Net;
using Custodes.Application;
using Custodes.Application.Demo;
using Custodes.Testing;

namespace Custodes.Web.Tests;

/// <summary>The demo's agreement between Smile Dental Group and Granite Peak, on the agreements page, on both databases.</summary>
public sealed class AgreementPageTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_practice_sees_each_promise_kept_until_the_msps_letter_is_revoked_and_the_msp_sees_it_read_only(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        using var practice = server.Session();
        await practice.SignInAsync("office@smiledental.example", DemoWorkspace.Password);

        var (status, html, _) = await practice.GetAsync("/agreements");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Holds a valid letter of attestation for nist-sp800-171r2", html);
        Assert.Matches("<tr class=\"obligation met\" id=\"obligation-[0-9a-f-]+-letter\">", html);
        Assert.Matches("<tr class=\"obligation unknown\" id=\"obligation-[0-9a-f-]+-restore\">", html);

        var agreement = System.Text.RegularExpressions.Regex.Match(html, "id=\"agreement-([0-9a-f-]+)\"").Groups[1].Value;
        var set = await practice.PostFormAsync("/agreements", [new("agreement", agreement), new("obligation", "insurance"), new("status", "met"), new("evidence", "Certificate of insurance received 2026-02-01")],
            "/agreements?handler=status");
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        var (_, afterSet, _) = await practice.GetAsync(set.Headers.Location!.ToString());
        Assert.Contains("Status saved.", afterSet);
        Assert.Contains("Certificate of insurance received 2026-02-01", afterSet);
        Assert.Matches("<tr class=\"obligation met\" id=\"obligation-[0-9a-f-]+-insurance\">", afterSet);
        // Without evidence, the form says what is missing on the same page.
        var refused = await practice.PostFormAsync("/agreements", [new("agreement", agreement), new("obligation", "insurance"), new("status", "met"), new("evidence", "")],
            "/agreements?handler=status");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("the evidence is missing", await refused.Content.ReadAsStringAsync());

        using var assessor = server.Session();
        await assessor.SignInAsync("lead@northgate.example", DemoWorkspace.Password);
        Assert.Equal(HttpStatusCode.OK, (await assessor.PostFormAsync($"/supply-chain/letters/{demo.Letter!.Value}/revoke", [new("reason", "Scope was misstated")])).StatusCode);

        (_, html, _) = await practice.GetAsync("/agreements");
        Assert.Matches("<tr class=\"obligation breached\" id=\"obligation-[0-9a-f-]+-letter\">", html);
        Assert.Contains("was revoked on", html);
        Assert.Contains("Scope was misstated", html);
        Assert.Contains("<strong>Broken</strong>", html);

        using var msp = server.Session();
        await msp.SignInAsync("admin@granitepeak.example", DemoWorkspace.Password);
        var (_, mspHtml, _) = await msp.GetAsync("/agreements");
        Assert.Contains("What you promised your customers", mspHtml);
        Assert.Contains("Scope was misstated", mspHtml);
        Assert.DoesNotContain("name=\"evidence\"", mspHtml);
    }
}
