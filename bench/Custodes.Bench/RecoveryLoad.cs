using System.Diagnostics;
using System.Globalization;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.SupplyChain;
using Custodes.SupplyChain;
using Custodes.Testing;
using Tenant = Custodes.Application.Tenant;

namespace Custodes.Bench;

/// <summary>
/// The recovery schedule of the largest provider of the generated supply chain (2,000 providers, 50,000 customers, 200,000 relationships
/// with recovery capacity and backups; target ≤ 200 ms from the stored graph). <c>cold</c>: the first query after an import or a restart (a
/// new <see cref="PortfolioGraphs"/>: version check, the stored graph snapshot, the schedule); <c>warm</c>: the version check and the cached
/// graph, then the schedule; <c>schedule</c>: the computation alone on a graph in memory. Run:
/// <c>dotnet run -c Release --project bench/Custodes.Bench -- recovery [runs] [sqlite|postgres]</c>.
/// </summary>
public static class RecoveryLoad
{
    public static async Task RunAsync(string[] args)
    {
        if (args.Length > 2 && args[2] == "memory")
        {
            Memory(int.Parse(args[0], CultureInfo.InvariantCulture));
            return;
        }
        var runs = Math.Clamp(args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20, 3, 1000);
        var provider = args.Length > 1 && args[1] == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        await using var test = await TestInstallation.CreateAsync(provider);
        var clock = TimeProvider.System;
        var store = new PortfolioStore(test.Installation, new AuditTrail(clock), clock);
        var chain = SyntheticSupplyChain.Generate(2_000, 50_000, 200_000);
        var started = Stopwatch.StartNew();
        await store.ImportAsync(Tenant.InstallationOperator(), chain.Portfolio, []);
        Console.WriteLine($"{provider}: import of {chain.Portfolio.Relationships.Count:N0} relationships: {started.Elapsed.TotalSeconds:F1} s");
        var graph = PortfolioGraph.Build(chain.Portfolio);
        var largest = chain.LargestProvider(graph);
        var asOf = new DateOnly(2026, 12, 1);
        var first = ScheduleRecovery.For(graph, largest, new RecoveryOptions { AsOf = asOf });
        Console.WriteLine($"largest provider {largest}: {first.Customers.Count:N0} customers, {first.Lanes.Count} crews, makespan {first.MakespanHours:N1} h, " +
            $"{first.CustomersWithoutUsableBackup:N0} without a usable backup, {first.RtoMissed.Count:N0} RTO missed");

        var warmGraphs = new PortfolioGraphs(store);
        await warmGraphs.GraphAsync(Tenant.InstallationOperator());
        var cold = new List<double>();
        var warm = new List<double>();
        var compute = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var t = Stopwatch.StartNew();
            var g = (await new PortfolioGraphs(store).GraphAsync(Tenant.InstallationOperator()))!;
            Check(ScheduleRecovery.For(g, largest, new RecoveryOptions { AsOf = asOf }), first);
            cold.Add(t.Elapsed.TotalMilliseconds);

            t.Restart();
            var w = (await warmGraphs.GraphAsync(Tenant.InstallationOperator()))!;
            Check(ScheduleRecovery.For(w, largest, new RecoveryOptions { AsOf = asOf }), first);
            warm.Add(t.Elapsed.TotalMilliseconds);

            t.Restart();
            Check(ScheduleRecovery.For(graph, largest, new RecoveryOptions { AsOf = asOf }), first);
            compute.Add(t.Elapsed.TotalMilliseconds);

            // The baseline in the same run: blast radius of the same provider on the same graph (its own target is 300 ms from the database).
            t.Restart();
            if (ComputeBlastRadius.For(graph, largest).TotalCustomers != first.Customers.Count) throw new InvalidOperationException("blast radius and recovery disagree on who is reached");
            baseline.Add(t.Elapsed.TotalMilliseconds);
        }
        Report("cold (version check + stored snapshot + schedule)", cold);
        Report("warm (version check + cached graph + schedule)", warm);
        Report("schedule alone (graph in memory)", compute);
        Report("baseline: blast radius of the same provider (graph in memory)", baseline);
        Console.WriteLine($"ratio schedule/blast radius (medians): {compute[compute.Count / 2] / baseline[baseline.Count / 2]:F2}");
    }

    /// <summary>Without a database: the schedule and the blast-radius baseline on the generated graph in memory (a quick run while the machine is busy).</summary>
    private static void Memory(int runs)
    {
        var chain = SyntheticSupplyChain.Generate(2_000, 50_000, 200_000);
        var graph = PortfolioGraph.FromSnapshot(PortfolioGraph.Build(chain.Portfolio).ToSnapshot());
        var largest = chain.LargestProvider(graph);
        var options = new RecoveryOptions { AsOf = new DateOnly(2026, 12, 1) };
        var compute = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var t = Stopwatch.StartNew();
            var s = ScheduleRecovery.For(graph, largest, options);
            compute.Add(t.Elapsed.TotalMilliseconds);
            t.Restart();
            var r = ComputeBlastRadius.For(graph, largest);
            baseline.Add(t.Elapsed.TotalMilliseconds);
            if (s.Customers.Count != r.TotalCustomers) throw new InvalidOperationException("blast radius and recovery disagree on who is reached");
        }
        Report($"schedule of {largest} (graph read from its snapshot)", compute);
        Report("baseline: blast radius of the same provider", baseline);
        Console.WriteLine($"ratio schedule/blast radius (medians): {compute[compute.Count / 2] / baseline[baseline.Count / 2]:F2}");
    }

    private static void Check(RecoverySchedule s, RecoverySchedule expected)
    {
        if (s.Customers.Count != expected.Customers.Count || s.MakespanHours != expected.MakespanHours)
            throw new InvalidOperationException("the stored graph scheduled differently from the portfolio in memory");
    }

    private static void Report(string what, List<double> ms)
    {
        ms.Sort();
        Console.WriteLine($"{what}: median {ms[ms.Count / 2]:F1} ms, p95 {ms[(int)Math.Ceiling(ms.Count * 0.95) - 1]:F1} ms, min {ms[0]:F1} ms ({ms.Count} runs)");
    }
}
