using Custodes;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Engagements;
using Custodes.Application.Organizations;
using Custodes.Assessments;
using Custodes.Testing;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodes.Bench.Attestation;

/// <summary>
/// Issuing a letter from the web app, request by request (target p99 ≤ 500 ms on SQLite, log append included): starts the web app on
/// 127.0.0.1 over SQLite with a key-encryption key, brings <c>count</c> engagements to a signed-off quality review — each with its own
/// lead, since an authenticator code is used once — then issues them one after another with <c>POST /api/v1/engagements/{id}/letter</c>
/// and reports p50, p99 and the maximum of the request's latency. Each request decrypts the firm key, checks the code, scores the
/// assessment, signs, appends to the log and writes letter and stage in one transaction.
/// Run: <c>dotnet run -c Release --project bench/Custodes.Bench -- engagement-issue [count]</c>. Only 127.0.0.1 is ever a target.
/// </summary>
public static class EngagementIssueLoad
{
    public static async Task RunAsync(string[] args)
    {
        var count = Math.Clamp(args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200, 10, 2_000);
        await using var test = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        var installation = test.Installation;
        var kek = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var (app, url) = await CustodesWebApp.StartOnLoopbackAsync(installation, b =>
        {
            b.Logging.ClearProviders();
            Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(b.Configuration, new Dictionary<string, string?> { ["Custodes:Keys:EncryptionKey"] = kek });
        });
        try
        {
            var services = app.Services;
            var clock = TimeProvider.System;
            var audit = new AuditTrail(clock);
            var organizations = new OrganizationStore(installation, audit, clock);
            var accounts = new AccountStore(installation, audit, clock);
            var msp = await organizations.CreateAsync("Granite Peak Managed IT LLC", OrganizationKinds.Msp, "bench");
            var firm = await organizations.CreateAsync("Northgate Security Assessors LLC", OrganizationKinds.Assessor, "bench");
            var mspOwner = new Tenant(msp, Roles.Owner, "bench", await accounts.CreateUserAsync("admin@granitepeak.example", msp, Roles.Owner, null, "bench"));
            var reviewer = new Tenant(firm, Roles.Assessor, "bench", await accounts.CreateUserAsync("qa@northgate.example", firm, Roles.Assessor, null, "bench"));
            var owner = new Tenant(firm, Roles.Owner, "bench", await accounts.CreateUserAsync("owner@northgate.example", firm, Roles.Owner, null, "bench"));
            await services.GetRequiredService<Custodes.Application.Keys.FirmKeys>().EnsureAsync(owner);
            var example = DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json"));
            var assessment = await services.GetRequiredService<AssessmentStore>().ImportAsync(owner, example);

            var started = Stopwatch.StartNew();
            var leads = new List<(Guid Engagement, byte[] Secret, string Key)>(count);
            for (var i = 0; i < count; i++)
            {
                var email = $"lead{i}@northgate.example";
                var lead = new Tenant(firm, Roles.Owner, $"user:{email}", await accounts.CreateUserAsync(email, firm, Roles.Owner, null, "bench"));
                var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Totp.SecretBytes);
                await using (var db = installation.OpenDb())
                {
                    var user = await db.Users.FirstAsync(u => u.Id == lead.UserId);
                    (user.TotpSecret, user.MfaEnabled) = (Base32.Encode(secret), true);
                    await db.SaveChangesAsync();
                }
                var (_, key) = await accounts.CreateApiKeyAsync(email, firm, "bench", [], "bench");
                var id = await services.GetRequiredService<RequestEngagement>().HandleAsync(mspOwner, new EngagementRequest
                    { Firm = "Northgate Security Assessors LLC", Framework = "nist-sp800-171r2", Scope = "Head office", TargetDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30) });
                await services.GetRequiredService<AcceptEngagement>().HandleAsync(lead, id, new EngagementAcceptance
                    { Assessors = [reviewer.UserId!.Value], NoOwnershipInterest = true, DidNotDesignImplementOrOperate = true, FeeNotContingent = true });
                var advance = services.GetRequiredService<AdvanceEngagement>();
                await advance.LinkAssessmentAsync(lead, id, assessment);
                for (var s = 0; s < 3; s++) await advance.NextAsync(lead, id);
                await services.GetRequiredService<SignOffQuality>().HandleAsync(reviewer, id);
                leads.Add((id, secret, key));
            }
            Console.WriteLine($"server {url}, SQLite; {count} engagements at a signed-off quality review, set up in {started.Elapsed.TotalSeconds:F1} s");

            using var http = new HttpClient { BaseAddress = url };
            var latencies = new List<double>(count);
            foreach (var (engagement, secret, key) in leads)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/engagements/{engagement}/letter")
                    { Content = JsonContent.Create(new { code = Totp.Compute(secret, Totp.StepAt(DateTimeOffset.UtcNow)) }) };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                var watch = Stopwatch.StartNew();
                using var response = await http.SendAsync(request);
                watch.Stop();
                if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"issue answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
            // The first requests pay for JIT and connection set-up; they are reported apart.
            var warm = latencies.Skip(Math.Min(10, count / 10)).Order().ToArray();
            double At(double q) => warm[Math.Min(warm.Length - 1, (int)Math.Ceiling(q * warm.Length) - 1)];
            Console.WriteLine($"issue from the web app ({warm.Length} requests after {latencies.Count - warm.Length} warm-up): p50 {At(0.50):F1} ms, p90 {At(0.90):F1} ms, p99 {At(0.99):F1} ms, max {warm[^1]:F1} ms; first request {latencies[0]:F1} ms");
            await using var check = installation.OpenDb();
            Console.WriteLine($"letters {await check.Letters.CountAsync()}, log entries {await check.LogEntries.CountAsync()}");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
