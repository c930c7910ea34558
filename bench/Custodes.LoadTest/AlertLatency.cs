using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Alerting;
using Custodes.Application.Audit;
using Custodes.Application.Organizations;
using Custodes.Testing;
using Custodes.Watch.Detection;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>Alert latency (docs/benchmarks.md, "Watch"): from <see cref="AlertNotifications.EnqueueAsync"/> to the signed webhook
/// arriving at a receiver on 127.0.0.1, under a steady stream of alerts. Loopback only, bounded in time.</summary>
/// <remarks>Usage: Custodes.LoadTest --alerts [--provider sqlite|postgres] [--rate 50] [--seconds 20] [--channels 2]</remarks>
internal static class AlertLatency
{
    public static async Task RunAsync(string[] args, DatabaseProvider provider)
    {
        string Value(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        var rate = Math.Clamp(int.Parse(Value("--rate", "50")), 1, 2000);
        var seconds = Math.Clamp(int.Parse(Value("--seconds", "20")), 1, 120);
        var channels = Math.Clamp(int.Parse(Value("--channels", "2")), 1, 20);

        // The receiver: notes when each (alert, channel) arrived.
        var arrived = new ConcurrentDictionary<(string, string), long>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        receiverBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/hooks/{name}", async (string name, HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            arrived.TryAdd((body.RootElement.GetProperty("alert").GetProperty("id").GetString()!, name), Stopwatch.GetTimestamp());
            return Results.NoContent();
        });
        await receiver.StartAsync();
        var receiverAddress = new Uri(receiver.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

        await using var test = await TestInstallation.CreateAsync(provider);
        var (app, _) = await CustodesWebApp.StartOnLoopbackAsync(test.Installation, b =>
        {
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            b.Configuration["Custodes:Alerting:AllowPrivateWebhookTargets"] = "true"; // the receiver is on loopback
        });
        var audit = new AuditTrail(TimeProvider.System);
        var msp = await new OrganizationStore(test.Installation, audit, TimeProvider.System).CreateAsync("Load Test MSP", "msp", "load");
        var owner = new Tenant(msp, Roles.Owner, "load");
        var store = app.Services.GetRequiredService<AlertChannelStore>();
        for (var c = 0; c < channels; c++)
            await store.CreateAsync(owner, new NewAlertChannel(AlertChannelKinds.Webhook, Url: new Uri(receiverAddress, $"/hooks/c{c}").ToString(), MinSeverity: "low"));
        var notifications = app.Services.GetRequiredService<AlertNotifications>();

        Console.WriteLine($"# Custodes alert latency: {provider}, {Environment.ProcessorCount} cores, {rate} alerts/s for {seconds} s, {channels} webhook channels");
        var enqueued = new ConcurrentDictionary<string, long>();
        var enqueueTimes = new ConcurrentBag<double>();
        var total = rate * seconds;
        var started = Stopwatch.GetTimestamp();
        var pending = new List<Task>(total);
        for (var n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / rate) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero) await Task.Delay(due);
            var id = $"load-{n}";
            pending.Add(Task.Run(async () =>
            {
                var at = Stopwatch.GetTimestamp();
                enqueued[id] = at;
                await notifications.EnqueueAsync(Notice(id, msp));
                enqueueTimes.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
            }));
        }
        await Task.WhenAll(pending);
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (arrived.Count < total * channels && Stopwatch.GetTimestamp() < deadline) await Task.Delay(50);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var latencies = arrived.Select(a => Stopwatch.GetElapsedTime(enqueued[a.Key.Item1], a.Value).TotalMilliseconds).Order().ToArray();
        var enqueueSorted = enqueueTimes.Order().ToArray();
        Console.WriteLine($"delivered {latencies.Length} of {total * channels} webhooks in {elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"EnqueueAsync:               p50 {Percentile(enqueueSorted, 0.50):F1} ms  p99 {Percentile(enqueueSorted, 0.99):F1} ms");
        Console.WriteLine($"enqueue -> webhook received: p50 {Percentile(latencies, 0.50):F1} ms  p99 {Percentile(latencies, 0.99):F1} ms  max {latencies.LastOrDefault():F1} ms");
        await app.StopAsync();
        await app.DisposeAsync();
        await receiver.StopAsync();
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static AlertNotice Notice(string id, Guid msp) => new()
    {
        AlertId = id,
        MspOrganizationId = msp,
        MspName = "Load Test MSP",
        Rule = RuleIds.MassExecution,
        Severity = Severity.Critical,
        Actor = "tech@msp.example",
        Tenants = ["tenant-001", "tenant-002", "tenant-003"],
        FirstSeen = DateTimeOffset.UtcNow.AddMinutes(-2),
        LastSeen = DateTimeOffset.UtcNow,
        EventCount = 120,
        Summary = "tech@msp.example ran vssadmin delete shadows /all /quiet on 3 tenants",
    };
}
