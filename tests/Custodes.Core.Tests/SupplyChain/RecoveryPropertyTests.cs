using Custodes.SupplyChain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodes.Core.Tests.SupplyChain;

/// <summary>On random portfolios and capacities, every schedule keeps the rules of contracts §13 at every instant.</summary>
public sealed class RecoveryPropertyTests
{
    private static readonly DateOnly AsOf = new(2026, 12, 1);

    [Property(MaxTest = 300)]
    public Property Every_schedule_respects_crews_leaves_no_crew_idle_while_work_waits_and_keeps_its_order() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var portfolio = WithRecovery(BlastRadiusPropertyTests.RandomPortfolio(random), random);
            ValidatePortfolio.Check(portfolio);
            var graph = PortfolioGraph.Build(portfolio);
            foreach (var provider in portfolio.Organizations.Where(o => o.Kind.IsProvider()))
            {
                var options = new RecoveryOptions { AsOf = AsOf, Crews = random.Next(3) == 0 ? random.Next(1, 4) : null };
                var s = ScheduleRecovery.For(graph, provider.Id, options);
                var problem = Check(s, provider, ComputeBlastRadius.For(graph, provider.Id));
                if (problem is not null) return false.Label($"{provider.Id}: {problem}");
                // Deterministic: the same question gives the same answer.
                if (!s.Customers.Select(c => (c.Id, c.Crew, c.StartHour)).SequenceEqual(ScheduleRecovery.For(graph, provider.Id, options).Customers.Select(c => (c.Id, c.Crew, c.StartHour))))
                    return false.Label($"{provider.Id}: not deterministic");
            }
            return true.ToProperty();
        });

    /// <summary>The first rule a schedule breaks, or null.</summary>
    private static string? Check(RecoverySchedule s, Organization provider, BlastRadius reach)
    {
        var recovery = provider.Recovery;
        var perEndpoint = recovery?.HoursPerEndpoint ?? Recovery.DefaultHoursPerEndpoint;
        var perServer = recovery?.HoursPerServer ?? Recovery.DefaultHoursPerServer;
        // Everyone reached is scheduled once.
        if (!s.Customers.Select(c => c.Id).Order(StringComparer.Ordinal).SequenceEqual(reach.Customers.Select(c => c.Id))) return "not exactly the reached customers";
        for (var i = 0; i < s.Customers.Count; i++)
        {
            var c = s.Customers[i];
            if (c.RestoreHours != c.Endpoints * perEndpoint + c.Servers * perServer) return $"{c.Id}: restore hours";
            if (c.DoneHour != c.StartHour + c.RestoreHours) return $"{c.Id}: done ≠ start + restore";
            if (c.Crew < 1 || c.Crew > s.Lanes.Count) return $"{c.Id}: no such crew";
            if (c.StartHour < s.Lanes[c.Crew - 1].JoinsAtHour) return $"{c.Id}: starts before its crew joins";
            // The crews take customers in the schedule's order.
            if (i > 0 && c.StartHour < s.Customers[i - 1].StartHour) return $"{c.Id}: starts before the customer ahead of it";
        }
        if (s.MakespanHours != (s.Customers.Count == 0 ? 0 : s.Customers.Max(c => c.DoneHour))) return "makespan";
        // One customer at a time per crew: a crew's restores do not overlap (zero-length ones take no time).
        foreach (var crew in s.Customers.GroupBy(c => c.Crew))
        {
            var ordered = crew.OrderBy(c => c.StartHour).ThenBy(c => c.DoneHour).ToArray();
            for (var k = 1; k < ordered.Length; k++)
                if (ordered[k].StartHour < ordered[k - 1].DoneHour) return $"crew {crew.Key} restores {ordered[k - 1].Id} and {ordered[k].Id} at once";
        }
        // At every instant a restore starts, no more restores run than crews have joined.
        foreach (var t in s.Customers.Select(c => c.StartHour).Distinct())
        {
            var running = s.Customers.Count(c => c.StartHour <= t && t < c.DoneHour);
            if (running > s.Lanes.Count(l => l.JoinsAtHour <= t)) return $"{running} restores at hour {t}";
        }
        // No crew idles while a customer waits: before each customer's start, every crew that had joined was busy without a gap.
        foreach (var waiting in s.Customers)
            foreach (var lane in s.Lanes.Where(l => l.JoinsAtHour < waiting.StartHour))
            {
                var covered = lane.JoinsAtHour;
                foreach (var r in s.Customers.Where(c => c.Crew == lane.Crew).OrderBy(c => c.StartHour))
                {
                    if (covered >= waiting.StartHour) break;
                    if (r.StartHour > covered) return $"crew {lane.Crew} idles from {covered} while {waiting.Id} waits until {waiting.StartHour}";
                    covered = Math.Max(covered, r.DoneHour);
                }
                if (covered < waiting.StartHour) return $"crew {lane.Crew} idles from {covered} while {waiting.Id} waits until {waiting.StartHour}";
            }
        // The order: stated priority, then CUI/PHI, then smallest, then id.
        var priority = recovery?.Priority ?? [];
        for (var i = 1; i < s.Customers.Count; i++)
        {
            var (a, b) = (s.Customers[i - 1], s.Customers[i]);
            var (pa, pb) = (Rank(priority, a.Id), Rank(priority, b.Id));
            if (pa != pb) { if (pa > pb) return $"{a.Id} before {b.Id} against the priority"; continue; }
            if (a.CriticalData != b.CriticalData) { if (!a.CriticalData) return $"{a.Id} before {b.Id} with CUI/PHI"; continue; }
            if (a.RestoreHours != b.RestoreHours) { if (a.RestoreHours > b.RestoreHours) return $"{a.Id} before smaller {b.Id}"; continue; }
            if (string.CompareOrdinal(a.Id, b.Id) > 0) return $"{a.Id} before {b.Id} on a tie";
        }
        // Never critical: an immutable, offsite, recently tested backup.
        foreach (var c in s.Customers)
            if (c.Risk == RecoveryRisk.Critical && c is { Immutable: true, Offsite: true, Backup: BackupState.Tested }) return $"{c.Id}: critical with an immutable offsite tested backup";
        if (s.CustomersWithoutUsableBackup != s.Customers.Count(c => c.Risk == RecoveryRisk.Critical)) return "customers without usable backup";
        return null;
    }

    private static int Rank(IReadOnlyList<string> priority, string id)
    {
        for (var i = 0; i < priority.Count; i++)
            if (priority[i] == id) return i;
        return int.MaxValue;
    }

    private static readonly decimal[] PerEndpoint = [0, 0.1m, 0.5m, 1, 1.5m, 2];
    private static readonly decimal[] PerServer = [0, 0.2m, 2, 4, 6];
    private static readonly decimal[] Delays = [0, 0.3m, 0.5m, 3, 10];

    private static Portfolio WithRecovery(Portfolio portfolio, Random random)
    {
        var ids = portfolio.Organizations.Select(o => o.Id).ToArray();
        var organizations = portfolio.Organizations.Select(o => !o.Kind.IsProvider() || random.Next(4) == 0 ? o : o with
        {
            Recovery = new Recovery
            {
                Crews = random.Next(5) == 0 ? null : random.Next(1, 4),
                HoursPerEndpoint = random.Next(5) == 0 ? null : PerEndpoint[random.Next(PerEndpoint.Length)],
                HoursPerServer = random.Next(5) == 0 ? null : PerServer[random.Next(PerServer.Length)],
                Surge = Enumerable.Range(0, random.Next(3)).Select(i => new SurgePartner { Name = $"IR {i}", Crews = random.Next(1, 3), StartDelayHours = Delays[random.Next(Delays.Length)] }).ToArray(),
                Priority = ids.Where(id => id != o.Id && random.Next(4) == 0).OrderBy(_ => random.Next()).ToArray(),
            },
        }).ToArray();
        var relationships = portfolio.Relationships.Select(r => r with
        {
            Endpoints = random.Next(4) == 0 ? r.Endpoints : random.Next(0, 4), // small counts: many exact ties
            Servers = random.Next(3) == 0 ? null : random.Next(0, 3),
            Backup = random.Next(3) == 0 ? null : new Backup
            {
                Immutable = random.Next(2) == 0,
                Offsite = random.Next(2) == 0,
                LastRestoreTest = random.Next(3) == 0 ? null : AsOf.AddDays(-random.Next(0, 400)),
                RtoHours = random.Next(2) == 0 ? null : random.Next(0, 12),
                Provider = random.Next(2) == 0 ? null : random.Next(2) == 0 ? r.Customer : portfolio.Organizations.Where(o => o.Kind.IsProvider()).Select(o => o.Id).OrderBy(_ => random.Next()).First(),
            },
        }).ToArray();
        return portfolio with { Organizations = organizations, Relationships = relationships };
    }
}
