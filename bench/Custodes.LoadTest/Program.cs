using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// A bounded load run on loopback only: starts the web app on 127.0.0.1 on a fresh installation, seeds one organization
// with the example assessment, then (1) N workers GET /api/v1/assessments/{id}/score for a fixed time, (2) the full
// assessment page is rendered a fixed number of times by a signed-in session (on a full assessment: 110 requirements, all 320
// objectives with notes, methods and evidence), timed inside the server and at the client, (3) every report download of that
// assessment is fetched a few times. Stops by itself.
// Usage: dotnet run -c Release --project bench/Custodes.LoadTest -- [--provider sqlite|postgres] [--concurrency 32] [--seconds 15] [--pages 60] [--exports 5]
// With --alerts it measures alert delivery latency instead (AlertLatency.cs).
// With --witness: witness cosigning throughput and append-to-quorum delay instead (WitnessLoad.cs).
// With --watch: sustained watch event ingestion and alert latency instead (WatchLoad.cs).

var options = Options.Parse(args);
if (args.Contains("--witness"))
{
    await WitnessLoad.RunAsync(args, options.Provider);
    return 0;
}
if (args.Contains("--alerts"))
{
    await AlertLatency.RunAsync(args, options.Provider);
    return 0;
}
await using var test = await TestInstallation.CreateAsync(options.Provider);
var (app, address) = await CustodesWebApp.StartOnLoopbackAsync(test.Installation, b =>
{
    b.Logging.SetMinimumLevel(LogLevel.Warning);
    b.Services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ServerTimer>();
});
if (args.Contains("--watch"))
{
    var code = await WatchLoad.RunAsync(test.Installation, address, options.Concurrency, options.Seconds);
    await app.StopAsync();
    return code;
}

const string password = "load test password 2026";
var audit = new AuditTrail(TimeProvider.System);
var org = await new OrganizationStore(test.Installation, audit, TimeProvider.System).CreateAsync("Load Test Assessors", "assessor", "load");
var accounts = new AccountStore(test.Installation, audit, TimeProvider.System);
await accounts.CreateUserAsync("load@assessors.example", org, Roles.Owner, password, "load");
var (_, key) = await accounts.CreateApiKeyAsync("load@assessors.example", org, "load", [], "load");

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10), UseCookies = false };
using var client = new HttpClient(handler) { BaseAddress = address };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
var created = await client.PostAsync("/api/v1/assessments", new StringContent(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "example-msp.json")), Encoding.UTF8, "application/json"));
var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
var path = options.Path ?? $"/api/v1/assessments/{id}/score";
var fullCreated = await client.PostAsync("/api/v1/assessments", new ByteArrayContent(Custodes.Assessments.AssessmentFile.ToJson(FullAssessment.Create())) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
var full = JsonDocument.Parse(await fullCreated.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

if (args.Contains("--micro"))
{
    var store = new Custodes.Application.Assessments.AssessmentStore(test.Installation, audit, TimeProvider.System);
    var tenant = new Tenant(org, Roles.Owner, "load");
    async Task Time(string what, Func<Task> op)
    {
        for (var i = 0; i < 500; i++) await op();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5000; i++) await op();
        Console.WriteLine($"{what}: {watch.Elapsed.TotalMicroseconds / 5000:F0} µs wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / 5000:F0} µs cpu");
    }
    await Time("open+dispose context", async () => { await using var db = test.Installation.OpenDb(); });
    await Time("open connection", async () => { await using var db = test.Installation.OpenDb(); await db.Database.OpenConnectionAsync(); });
    await Time("open read connection", async () => { await using var db = test.Installation.OpenReadDb(); await db.Database.OpenConnectionAsync(); });
    await Time("version query", async () => await store.VersionAsync(tenant, id));
    if (test.Database is null)
    {
        var cs = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Path.Combine(test.Installation.DataDirectory, "custodes.db"), Pooling = true }.ToString();
        await Time("raw sqlite open+close", async () => { await using var c = new Microsoft.Data.Sqlite.SqliteConnection(cs); await c.OpenAsync(); });
        await using var open = new Microsoft.Data.Sqlite.SqliteConnection(cs);
        await open.OpenAsync();
        await Time("raw sqlite query on open connection", async () =>
        {
            await using var cmd = open.CreateCommand();
            cmd.CommandText = "SELECT \"Version\" FROM assessments WHERE \"Id\" = $id LIMIT 1";
            cmd.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
            await cmd.ExecuteScalarAsync();
        });
    }
    else
    {
        await using var source = Npgsql.NpgsqlDataSource.Create(test.Database);
        await Time("raw npgsql open+close", async () => { await using var c = await source.OpenConnectionAsync(); });
        await Time("raw npgsql version query", async () =>
        {
            await using var c = await source.OpenConnectionAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("SELECT \"Version\" FROM assessments WHERE \"Id\" = @id", c);
            cmd.Parameters.AddWithValue("id", id);
            await cmd.ExecuteScalarAsync();
        });
        await using var prepared = Npgsql.NpgsqlDataSource.Create(new Npgsql.NpgsqlConnectionStringBuilder(test.Database) { MaxAutoPrepare = 10, NoResetOnClose = true }.ConnectionString);
        await Time("raw npgsql version query, auto prepare, no reset", async () =>
        {
            await using var c = await prepared.OpenConnectionAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("SELECT \"Version\" FROM assessments WHERE \"Id\" = @id", c);
            cmd.Parameters.AddWithValue("id", id);
            await cmd.ExecuteScalarAsync();
        });
    }
    await Time("authenticate key", async () => await accounts.AuthenticateAsync(key));
    return 0;
}
Console.WriteLine($"# Custodes web load run: {options.Provider}, {Environment.ProcessorCount} cores, {options.Concurrency} workers, {options.Seconds} s (+3 s warm-up), {address}");
await Run(client, path, options.Concurrency, TimeSpan.FromSeconds(3), 2_000_000);
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var result = await Run(client, path, options.Concurrency, TimeSpan.FromSeconds(options.Seconds), 5_000_000);
// CPU spent by this process (server and load generator together) per request: the figure that does not depend on what else the machine runs.
var cpuPerRequest = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / Math.Max(result.Count, 1);
Console.WriteLine($"GET {(options.Path ?? "/api/v1/assessments/{id}/score")}  requests={result.Count} errors={result.Errors} rps={result.Count / result.Elapsed.TotalSeconds:F0} " +
                  $"p50={result.Percentile(50):F2}ms p90={result.Percentile(90):F2}ms p99={result.Percentile(99):F2}ms max={result.Percentile(100):F2}ms " +
                  $"cpu/request={cpuPerRequest:F3}ms (both cores busy with this alone: {2000 / cpuPerRequest:F0} rps) load-average={File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

// The full assessment page (110 requirements, 320 objectives) for a signed-in assessor, one request at a time.
using var pageHandler = new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
using var browser = new HttpClient(pageHandler) { BaseAddress = address };
var signIn = await browser.GetStringAsync("/account/sign-in");
var token = Regex.Match(signIn, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
var signedIn = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent([new("Email", "load@assessors.example"), new("Password", password), new("__RequestVerificationToken", token)]));
if (signedIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {signedIn.StatusCode}");
var times = new List<double>();
long compressed = 0, raw = 0;
ServerTimer.Times.Clear();
var pageCpu = TimeSpan.Zero;
for (var i = 0; i < options.Pages + 5; i++)
{
    var request = new HttpRequestMessage(HttpMethod.Get, $"/assessments/{full}");
    if (Environment.GetEnvironmentVariable("LOADTEST_IDENTITY") is null) request.Headers.AcceptEncoding.ParseAdd("br");
    if (i == 5) { ServerTimer.Times.Clear(); pageCpu = Process.GetCurrentProcess().TotalProcessorTime; }
    var watch = Stopwatch.StartNew();
    var response = await browser.SendAsync(request);
    var body = await response.Content.ReadAsByteArrayAsync();
    watch.Stop();
    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"the page answered {response.StatusCode}");
    if (i < 5) continue; // warm-up
    times.Add(watch.Elapsed.TotalMilliseconds);
    compressed = body.Length;
}
var cpuPerPage = (Process.GetCurrentProcess().TotalProcessorTime - pageCpu).TotalMilliseconds / options.Pages;
var server = ServerTimer.Times.ToArray().Order().ToArray();
var plain = new HttpRequestMessage(HttpMethod.Get, $"/assessments/{full}");
raw = (await (await browser.SendAsync(plain)).Content.ReadAsByteArrayAsync()).Length;
times.Sort();
Console.WriteLine($"GET /assessments/{{id}} (full page: 110 requirements, 320 objectives)  renders={times.Count} server median={server[server.Length / 2]:F1}ms p90={server[(int)(server.Length * 0.9)]:F1}ms " +
                  $"client median={times[times.Count / 2]:F1}ms cpu/render={cpuPerPage:F1}ms html={raw / 1024.0:F0}KB brotli={compressed / 1024.0:F1}KB load-average={File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

// Every download of the full assessment, through the API (one at a time; the median of a few).
foreach (var export in Custodes.Web.Api.ReportsApi.Exports)
{
    var exportTimes = new List<double>();
    long size = 0;
    for (var i = 0; i < 2 + options.Exports; i++)
    {
        var watch = Stopwatch.StartNew();
        var bytes = await client.GetByteArrayAsync($"/api/v1/assessments/{full}/exports/{export.Path}");
        watch.Stop();
        if (i >= 2) exportTimes.Add(watch.Elapsed.TotalMilliseconds);
        size = bytes.Length;
    }
    exportTimes.Sort();
    Console.WriteLine($"GET exports/{export.Path,-17} median={exportTimes[exportTimes.Count / 2],7:F1}ms size={size / 1024.0,7:F0}KB");
}
var workbook = await client.GetByteArrayAsync($"/api/v1/assessments/{full}/exports/workbook.xlsx");
var importTimes = new List<double>();
for (var i = 0; i < 2 + options.Exports; i++)
{
    var round = Stopwatch.StartNew();
    var upload = new ByteArrayContent(await client.GetByteArrayAsync($"/api/v1/assessments/{full}/exports/workbook.xlsx"));
    upload.Headers.ContentType = new MediaTypeHeaderValue(Custodes.Web.Api.ReportsApi.XlsxType);
    var imported = await client.PostAsync($"/api/v1/assessments/{full}/imports", upload);
    round.Stop();
    if (imported.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"the workbook import answered {imported.StatusCode}: {await imported.Content.ReadAsStringAsync()}");
    if (i >= 2) importTimes.Add(round.Elapsed.TotalMilliseconds);
}
importTimes.Sort();
Console.WriteLine($"XLSX round trip through the API (download + import as a new version)  median={importTimes[importTimes.Count / 2]:F0}ms workbook={workbook.Length / 1024.0:F0}KB");
await app.StopAsync();
return 0;

static async Task<RunResult> Run(HttpClient client, string path, int workers, TimeSpan duration, int maxRequests)
{
    var stop = Stopwatch.StartNew();
    var latencies = new List<double>[workers];
    var errors = 0;
    var issued = 0;
    await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
    {
        var mine = latencies[w] = new List<double>(100_000);
        while (stop.Elapsed < duration && Interlocked.Increment(ref issued) <= maxRequests)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead);
            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref errors);
        }
    })));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new RunResult(all, errors, stop.Elapsed);
}

internal sealed record RunResult(double[] Sorted, int Errors, TimeSpan Elapsed)
{
    public int Count => Sorted.Length;
    public double Percentile(double p) => Sorted.Length == 0 ? 0 : Sorted[Math.Clamp((int)Math.Ceiling(p / 100 * Sorted.Length) - 1, 0, Sorted.Length - 1)];
}

/// <summary>Times every page request inside the server, from the first middleware to the last byte written.</summary>
internal sealed class ServerTimer : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public static readonly System.Collections.Concurrent.ConcurrentQueue<double> Times = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var start = Stopwatch.GetTimestamp();
            await nextMiddleware(context);
            if (context.Request.Path.StartsWithSegments("/assessments")) Times.Enqueue(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        });
        next(app);
    };
}

internal sealed record Options(DatabaseProvider Provider, int Concurrency, int Seconds, int Pages, int Exports, string? Path)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        return new Options(
            Value("--provider", "sqlite") == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            Math.Clamp(int.Parse(Value("--concurrency", "32")), 1, 256),
            Math.Clamp(int.Parse(Value("--seconds", "15")), 1, 120),
            Math.Clamp(int.Parse(Value("--pages", "60")), 5, 1000),
            Math.Clamp(int.Parse(Value("--exports", "5")), 1, 100),
            args.SkipWhile(a => a != "--path").Skip(1).FirstOrDefault());
    }
}
