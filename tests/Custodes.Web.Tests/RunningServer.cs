using System.Net.Http.Headers;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Alerting;
using Custodes.Application.Audit;
using Custodes.Application.Organizations;
using Custodes.Testing;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodes.Web.Tests;

/// <summary>The real web app on a real port of 127.0.0.1, on a fresh installation (SQLite or PostgreSQL).</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private WebApplication _app;
    private readonly TestInstallation _test;
    private readonly IReadOnlyDictionary<string, string?>? _settings;

    private RunningServer(WebApplication app, TestInstallation test, Uri address, IReadOnlyDictionary<string, string?>? settings, TimeProvider clock)
    {
        _app = app;
        _test = test;
        _settings = settings;
        Address = address;
        Clock = clock;
    }

    /// <summary>The server's one clock: the system's, or the fake one the test passed and advances (kept across a restart).</summary>
    public TimeProvider Clock { get; }

    public Uri Address { get; private set; }
    public Installation Installation => _test.Installation;
    public IServiceProvider Services => _app.Services;

    /// <param name="clock">The server's clock; a <c>FakeTimeProvider</c> lets a test move time (a retry falls due when the test says).</param>
    public static async Task<RunningServer> StartAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        var test = await TestInstallation.CreateAsync(provider);
        clock ??= TimeProvider.System;
        var (app, address) = await StartAppAsync(test, settings, clock);
        return new RunningServer(app, test, address, settings, clock);
    }

    /// <summary>
    /// Waits until the alert delivery worker has sent everything due by the server's clock and recorded every attempt. On a fake
    /// clock nothing more is sent until the test moves it or enqueues more, so what was not received by then was not sent.
    /// </summary>
    public Task AlertDeliveryIdleAsync() =>
        Services.GetRequiredService<DeliveryQueue>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Stops the app and starts a new one on the same installation (a new port), as a restarted server.</summary>
    public async Task RestartAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        (_app, Address) = await StartAppAsync(_test, _settings, Clock);
    }

    private static async Task<(WebApplication, Uri)> StartAppAsync(TestInstallation test, IReadOnlyDictionary<string, string?>? settings, TimeProvider clock)
    {
        return await CustodesWebApp.StartOnLoopbackAsync(test.Installation, b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            b.Services.AddSingleton(clock);
            if (settings is not null) b.Configuration.AddInMemoryCollection(settings);
        });
    }

    /// <summary>A new organization with an owner and an HTTP client authenticated with that owner's API key.</summary>
    public async Task<(Guid Organization, HttpClient Client)> NewTenantAsync(string name, string kind = "assessor", string role = Roles.Owner)
    {
        var org = await Services.GetRequiredService<OrganizationStore>().CreateAsync(name, kind, "test");
        var accounts = Services.GetRequiredService<AccountStore>();
        var email = $"{Guid.NewGuid():N}@example.test";
        await accounts.CreateUserAsync(email, org, role, null, "test");
        var (_, key) = await accounts.CreateApiKeyAsync(email, org, "test", [], "test");
        return (org, Client(key));
    }

    /// <summary>A new organization with an owner who has a password (for signing in on pages) and an API key.</summary>
    public async Task<(Guid Organization, string Email, string Key)> NewAccountAsync(string name, string kind = "assessor", string role = Roles.Owner)
    {
        var org = await Services.GetRequiredService<OrganizationStore>().CreateAsync(name, kind, "test");
        var accounts = Services.GetRequiredService<AccountStore>();
        var email = $"{Guid.NewGuid():N}@example.test";
        await accounts.CreateUserAsync(email, org, role, Password, "test");
        var (_, key) = await accounts.CreateApiKeyAsync(email, org, "test", [], "test");
        return (org, email, key);
    }

    public const string Password = "correct horse battery staple";

    /// <summary>A browser-like session: cookies kept, redirects not followed, forms posted with their antiforgery token.</summary>
    public WebSession Session() => new(Address);

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _test.DisposeAsync();
    }
}
