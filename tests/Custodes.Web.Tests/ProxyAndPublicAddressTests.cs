using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Custodes.Application;
using Custodes.Testing;
using Custodes.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Web.Tests;

/// <summary>Behind a TLS reverse proxy (forwarded headers from configured proxies only), links that leave the request (the configured
/// public address, never the Host header), and evidence uploads that are refused.</summary>
public sealed class ProxyAndPublicAddressTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static HttpRequestMessage Get(string path, string? forwardedFor = null, string? forwardedProto = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", forwardedProto);
        return request;
    }

    private static HttpRequestMessage SignInAttempt(string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in") { Content = new FormUrlEncodedContent([new("Email", "nobody@example.test"), new("Password", "wrong")]) };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return request;
    }

    // No cookie jar: every response sets its cookies afresh, as to a new browser.
    private static HttpClient Browser(RunningServer server) => new(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.Address };

    private static Dictionary<string, string?> Proxy(string proxy) => new()
    {
        ["Custodes:ForwardedHeaders:KnownProxies:0"] = proxy,
        ["Custodes:Web:SignInPermitsPerMinute"] = "2",
    };

    [Theory, MemberData(nameof(Providers))]
    public async Task Behind_a_trusted_TLS_proxy_cookies_are_Secure_HSTS_is_sent_and_the_sign_in_limit_counts_each_client(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider, Proxy("127.0.0.1"));
        using var client = Browser(server);

        var page = await client.SendAsync(Get("/account/sign-in", "203.0.113.7", "https"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", page.Headers.GetValues("Strict-Transport-Security").Single());
        var cookies = page.Headers.GetValues("Set-Cookie").ToArray();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));

        // Two attempts allowed per client address a minute: the proxy's address is not the client's.
        for (var i = 0; i < 2; i++) Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.SendAsync(SignInAttempt("203.0.113.7"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(SignInAttempt("203.0.113.7"))).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.SendAsync(SignInAttempt("198.51.100.20"))).StatusCode);

        // Plain http through the proxy: no HSTS, cookies not Secure.
        var plain = await client.SendAsync(Get("/account/sign-in", "203.0.113.8", "http"));
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        Assert.All(plain.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Forwarded_headers_from_a_sender_that_is_not_a_configured_proxy_are_ignored(DatabaseProvider provider)
    {
        // The only trusted proxy is elsewhere; this client (127.0.0.1) is not it.
        await using var server = await RunningServer.StartAsync(provider, Proxy("192.0.2.10"));
        using var client = Browser(server);

        var page = await client.SendAsync(Get("/account/sign-in", "203.0.113.7", "https"));
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));

        // A claimed X-Forwarded-For does not buy fresh sign-in attempts.
        for (var i = 0; i < 2; i++) Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.SendAsync(SignInAttempt($"203.0.113.{i + 1}"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(SignInAttempt("203.0.113.99"))).StatusCode);
    }

    [Fact]
    public async Task Without_configured_proxies_even_loopback_is_not_believed()
    {
        await using var server = await RunningServer.StartAsync(DatabaseProvider.Sqlite);
        using var client = Browser(server);
        var page = await client.SendAsync(Get("/account/sign-in", "203.0.113.7", "https"));
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("KnownProxies:0", "10.0.0.0/24", "Custodes:ForwardedHeaders:KnownProxies:0: '10.0.0.0/24' is not an IP address")]
    [InlineData("KnownProxies:0", "proxy.internal", "Custodes:ForwardedHeaders:KnownProxies:0: 'proxy.internal' is not an IP address")]
    [InlineData("KnownNetworks:0", "10.0.0.0/33", "Custodes:ForwardedHeaders:KnownNetworks:0: '10.0.0.0/33' is not a network in CIDR notation")]
    [InlineData("ForwardLimit", "0", "Custodes:ForwardedHeaders:ForwardLimit: 0 is not at least 1")]
    public void A_proxy_setting_that_is_not_an_address_stops_the_server_at_start_naming_it(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Custodes:ForwardedHeaders:{key}"] = value }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => ProxyOptions.Read(configuration));
        Assert.Contains(message, error.Message);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_forged_Host_header_does_not_change_the_letter_PDFs_link_or_QR_code(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        using var attest = new Attestations(server.Installation);
        var letter = await attest.IssueAsync();
        var expected = $"{server.Address.ToString().TrimEnd('/')}/letters/{letter.LetterId}";
        using var client = server.Client();

        var honest = await client.GetByteArrayAsync($"/letters/{letter.LetterId}.pdf");
        Assert.Equal(expected, ExternalTools.PdfQrCode(honest));

        // The attack: a request with someone else's Host, e.g. to poison a shared cache with a PDF pointing at a look-alike site.
        var forged = new HttpRequestMessage(HttpMethod.Get, $"/letters/{letter.LetterId}.pdf");
        forged.Headers.Host = "verify-letters.example";
        var response = await client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(expected, ExternalTools.PdfQrCode(pdf));
        var text = ExternalTools.PdfText(pdf);
        Assert.DoesNotContain("verify-letters.example", text);
        Assert.Contains(expected, text.Replace("\n", "").Replace(" ", ""));

        var page = new HttpRequestMessage(HttpMethod.Get, $"/letters/{letter.LetterId}");
        page.Headers.Host = "verify-letters.example";
        Assert.DoesNotContain("verify-letters.example", await (await client.SendAsync(page)).Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_letter_PDF_links_to_the_configured_public_URL(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider, new Dictionary<string, string?> { ["Custodes:Alerting:PublicUrl"] = "https://assessor.example/" });
        using var attest = new Attestations(server.Installation);
        var letter = await attest.IssueAsync();
        var pdf = await server.Client().GetByteArrayAsync($"/letters/{letter.LetterId}.pdf");
        Assert.Equal($"https://assessor.example/letters/{letter.LetterId}", ExternalTools.PdfQrCode(pdf));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_refused_evidence_upload_leaves_no_file_in_the_evidence_store(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var (_, _, ownerKey) = await server.NewAccountAsync("Northgate");
        var (_, _, strangerKey) = await server.NewAccountAsync("Stranger Assessors");
        var owner = server.Client(ownerKey);
        var stranger = server.Client(strangerKey);
        var id = await TenantWallTests.ImportAsync(owner);
        var evidence = server.Installation.EvidenceDirectory;
        string[] Files() => Directory.Exists(evidence) ? Directory.GetFiles(evidence, "*", SearchOption.AllDirectories) : [];
        var before = Files();

        MultipartFormDataContent Upload(string targets) => new()
        {
            { new ByteArrayContent(RandomNumberGenerator.GetBytes(700)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file", "scan.bin" },
            { new StringContent(targets), "targets" },
        };
        // Another tenant's assessment: 404, as if it did not exist, and nothing of the file is kept.
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/api/v1/assessments/{id}/evidence", Upload("3.11.2"))).StatusCode);
        Assert.Equal(before, Files());
        // A target that is no requirement: 400, and nothing kept.
        var bad = await owner.PostAsync($"/api/v1/assessments/{id}/evidence", Upload("3.99.9"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("3.99.9", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(before, Files());

        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsync($"/api/v1/assessments/{id}/evidence", Upload("3.11.2"))).StatusCode);
        Assert.Single(Files().Except(before));
    }

    [Fact]
    public async Task The_one_public_address_key_wins_over_its_older_name_for_letters_alerts_and_account_links()
    {
        await using var server = await RunningServer.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Custodes:PublicUrl"] = "https://custodes.example/",
            ["Custodes:Alerting:PublicUrl"] = "https://old.example",
        });
        var address = server.Services.GetRequiredService<Application.Hosting.PublicAddress>();
        Assert.Equal("https://custodes.example", address.Base);
        Assert.Equal("https://custodes.example/watch/alerts/a1", address.AlertLink("a1"));
        Assert.Equal("https://custodes.example/account/reset-password?token=t", server.Services.GetRequiredService<Accounts.AccountMail>().Link("/account/reset-password?token=t"));
    }

    [Theory]
    [InlineData("Custodes:PublicUrl", "custodes.example", "configuration Custodes:PublicUrl: 'custodes.example' is not an absolute http(s) URL")]
    [InlineData("Custodes:Alerting:PublicUrl", "ftp://custodes.example", "configuration Custodes:PublicUrl: 'ftp://custodes.example' is not an absolute http(s) URL")]
    [InlineData("Custodes:Web:SignInPermitsPerMinute", "0", "configuration Custodes:Web:SignInPermitsPerMinute: 0 is not at least 1")]
    [InlineData("Custodes:Web:EvidenceMaxBytes", "-1", "configuration Custodes:Web:EvidenceMaxBytes: -1 is not a positive number of bytes")]
    [InlineData("Custodes:Watch:MaxBatch", "0", "configuration Custodes:Watch:MaxBatch: 0 is not at least 1")]
    [InlineData("Custodes:Watch:Syslog", "10.0.0.5:514", "configuration Custodes:Watch:Syslog: '10.0.0.5:514' is not a loopback address and port")]
    [InlineData("Custodes:Alerting:MaxAttempts", "0", "configuration Custodes:Alerting:MaxAttempts: 0 is not at least 1")]
    [InlineData("Custodes:Smtp:Port", "70000", "configuration Custodes:Smtp:Port: 70000 is not a TCP port")]
    [InlineData("Custodes:Smtp:Security", "ssl3", "configuration Custodes:Smtp:Security: 'ssl3' is not one of starttls, tls, auto, none")]
    [InlineData("Custodes:SupplyChain:ExpiryCheckInterval", "00:00:00", "configuration Custodes:SupplyChain:ExpiryCheckInterval: must be positive")]
    [InlineData("Custodes:Log:Origin", "my log", "configuration Custodes:Log:Origin: 'my log' is not a log name without spaces")]
    [InlineData("Custodes:Oidc:Authority", "http://idp.example", "configuration Custodes:Oidc:Authority: 'http://idp.example' is not an absolute https URL")]
    public async Task A_bad_setting_stops_the_server_at_start_naming_the_key_and_what_it_expects(string key, string value, string message)
    {
        await using var test = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        Microsoft.AspNetCore.Builder.WebApplication? app = null;
        var error = await Record.ExceptionAsync(async () =>
        {
            app = CustodesWebApp.Build(test.Installation, ["http://127.0.0.1:0"], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }));
            await app.StartAsync();
        });
        if (app is not null) await app.DisposeAsync();
        Assert.NotNull(error);
        Assert.Contains(message, error.Message);
    }
}
