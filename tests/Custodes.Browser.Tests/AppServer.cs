using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Application.Organizations;
using Custodes.Testing;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodes.Browser.Tests;

/// <summary>The real web app on a real port of 127.0.0.1 on a fresh installation (SQLite or PostgreSQL).</summary>
public sealed class AppServer : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";
    private readonly WebApplication _app;
    private readonly TestInstallation _test;

    private AppServer(WebApplication app, TestInstallation test, string address)
    {
        _app = app;
        _test = test;
        Address = address.TrimEnd('/');
    }

    public string Address { get; }
    public Installation Installation => _test.Installation;

    public static async Task<AppServer> StartAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var test = await TestInstallation.CreateAsync(provider);
        var (app, address) = await CustodesWebApp.StartOnLoopbackAsync(test.Installation, b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            if (settings is not null) Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(b.Configuration, settings);
        });
        return new AppServer(app, test, address.ToString());
    }

    /// <summary>An organization with an owner (password <see cref="Password"/>) and that owner's API key.</summary>
    public async Task<(Guid Organization, string Email, string Key)> NewAccountAsync(string name, string kind)
    {
        var audit = new AuditTrail(TimeProvider.System);
        var org = await new OrganizationStore(Installation, audit, TimeProvider.System).CreateAsync(name, kind, "test");
        var accounts = new AccountStore(Installation, audit, TimeProvider.System);
        var email = $"owner-{Guid.NewGuid():N}@{kind}.example";
        await accounts.CreateUserAsync(email, org, Roles.Owner, Password, "test");
        var (_, key) = await accounts.CreateApiKeyAsync(email, org, "test", [], "test");
        return (org, email, key);
    }

    public string Url(string path) => Address + path;

    /// <summary>An API client authenticated with <paramref name="key"/>.</summary>
    public HttpClient Api(string key)
    {
        var api = new HttpClient { BaseAddress = new Uri(Address) };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return api;
    }

    /// <summary>Imports samples/assessments/example-msp.json through the API; returns the new assessment's id.</summary>
    public static async Task<Guid> ImportExampleAsync(HttpClient api)
    {
        var file = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json"));
        var created = await api.PostAsync("/api/v1/assessments", new StringContent(file, System.Text.Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();
        return System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Signs in through the sign-in form (an account without MFA).</summary>
    public async Task SignInAsync(Microsoft.Playwright.IPage page, string email, string password = Password)
    {
        await page.GotoAsync(Url("/account/sign-in"));
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("main button[type=submit]");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _test.DisposeAsync();
    }
}
