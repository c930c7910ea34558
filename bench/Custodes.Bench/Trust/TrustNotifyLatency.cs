using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Letters;
using Custodes.Application.Trust;
using Custodes.Testing;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodes.Bench.Trust;

/// <summary>
/// Revocation → last subscriber: the demo workspace on SQLite, its MSP's trust page published with <c>subscribers</c> webhook
/// subscribers (all on one loopback receiver, each its own path), then the demo letter revoked; measures, from the moment the
/// revocation is asked for, when each subscriber's signed notice arrives (p50, p99, the last) and the delivery throughput.
/// Run: <c>dotnet run -c Release --project bench/Custodes.Bench -- trust-notify [subscribers]</c>. Only 127.0.0.1 is ever a target.
/// </summary>
public static class TrustNotifyLatency
{
    public static async Task RunAsync(string[] args)
    {
        var subscribers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;

        var received = new ConcurrentDictionary<string, long>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        receiverBuilder.Logging.ClearProviders();
        var receiver = receiverBuilder.Build();
        receiver.MapPost("/s/{n}", (string n, HttpContext context) =>
        {
            received.TryAdd(n, Stopwatch.GetTimestamp());
            return Results.NoContent();
        });
        await receiver.StartAsync();
        var receiverUrl = receiver.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        if (!IPAddress.IsLoopback(IPAddress.Parse(new Uri(receiverUrl).Host))) throw new InvalidOperationException("the receiver listens on loopback only");

        await using var test = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        var demo = await Demo.EnsureAsync(test.Installation);
        await new TrustPages(test.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System)
            .PublishAsync(new Tenant(demo.MspOrganization, Roles.Owner, "bench"), "granite-peak");
        var app = CustodesWebApp.Build(test.Installation, ["http://127.0.0.1:0"], b =>
        {
            b.Logging.ClearProviders();
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Custodes:Alerting:AllowPrivateWebhookTargets"] = "true",
                ["Custodes:Trust:MaxSubscribersPerPage"] = (subscribers + 1).ToString(CultureInfo.InvariantCulture),
            });
        });
        await app.StartAsync();
        try
        {
            var subscriptions = app.Services.GetRequiredService<TrustSubscriptions>();
            for (var i = 0; i < subscribers; i++)
                await subscriptions.SubscribeWebhookAsync("granite-peak", $"{receiverUrl}/s/{i}", "127.0.0.1");
            Console.WriteLine($"{subscribers:N0} webhook subscribers on {receiverUrl}; revoking the demo letter");

            var revoke = app.Services.GetRequiredService<RevokeLetter>();
            var started = Stopwatch.GetTimestamp();
            await revoke.HandleAsync(Tenant.Operator(demo.AssessorOrganization), new RevokeLetterRequest(demo.Letter!.Value, "benchmark revocation", null));
            var committed = Stopwatch.GetElapsedTime(started);
            var deadline = TimeSpan.FromMinutes(5);
            while (received.Count < subscribers && Stopwatch.GetElapsedTime(started) < deadline) await Task.Delay(20);

            var latencies = received.Values.Select(t => Stopwatch.GetElapsedTime(started, t).TotalMilliseconds).Order().ToArray();
            if (latencies.Length < subscribers) Console.WriteLine($"only {latencies.Length:N0} of {subscribers:N0} notices arrived within {deadline}");
            double At(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
            Console.WriteLine($"revocation committed (notices in the outbox) after {committed.TotalMilliseconds:F0} ms");
            Console.WriteLine($"revocation → subscriber: first {latencies[0]:F0} ms, p50 {At(0.50):F0} ms, p99 {At(0.99):F0} ms, last (max) {latencies[^1]:F0} ms");
            Console.WriteLine($"throughput: {latencies.Length / (latencies[^1] / 1000):F0} notices/s end to end; {latencies.Length / ((latencies[^1] - latencies[0]) / 1000):F0} notices/s once sending");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            await receiver.DisposeAsync();
        }
    }
}
