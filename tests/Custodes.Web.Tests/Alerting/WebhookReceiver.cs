using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodes.Web.Tests.Alerting;

/// <summary>A request the receiver got: when, on which hook, its raw body and the headers that matter.</summary>
public sealed record ReceivedWebhook(string Hook, DateTimeOffset At, string Body, string? Signature, string? Delivery, string? ContentType);

/// <summary>A webhook receiver on a real loopback port (Kestrel): records every POST to <c>/hooks/{name}</c> and answers as told.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    /// <summary>What to answer to the n-th request (1-based) on a hook: a status and an optional Retry-After.</summary>
    public Func<string, int, (int Status, string? RetryAfter)> Answer { get; set; } = (_, _) => (200, null);

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{name}", async (string name, HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var request = context.Request;
            receiver._received.Enqueue(new ReceivedWebhook(name, DateTimeOffset.UtcNow, body, request.Headers["Custodes-Signature"], request.Headers["Custodes-Delivery"], request.ContentType));
            var (status, retryAfter) = receiver.Answer(name, receiver.Received(name).Count);
            if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return receiver;
    }

    public string Url(string hook) => new Uri(Address, $"/hooks/{hook}").ToString();

    public IReadOnlyList<ReceivedWebhook> Received(string hook) => _received.Where(r => r.Hook == hook).ToArray();

    /// <summary>Waits until <paramref name="hook"/> has had <paramref name="count"/> requests.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitAsync(string hook, int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < until)
        {
            var got = Received(hook);
            if (got.Count >= count) return got;
            await Task.Delay(20);
        }
        throw new TimeoutException($"hook {hook} got {Received(hook).Count} of {count} requests");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
