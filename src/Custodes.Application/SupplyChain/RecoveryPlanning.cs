using Custodes.Common;
using Custodes.SupplyChain;
using Tenant = Custodes.Application.Tenant;

namespace Custodes.Application.SupplyChain;

/// <summary>One what-if of a recovery: what changes, and the makespan, customers without a usable backup and missed objectives it gives.</summary>
public sealed record RecoveryScenario(string Label, string Change, decimal MakespanHours, int CustomersWithoutUsableBackup, int RtoMissed);

/// <summary>A provider's restore schedule with what would change it: the schedule as stated first, then each what-if.</summary>
public sealed record RecoveryPlan(RecoverySchedule Schedule, IReadOnlyList<RecoveryScenario> Scenarios);

/// <summary>A customer's view of one provider's compromise: how long it would wait, its backup, and what would shorten the wait.</summary>
/// <param name="Slot">The customer's line of the provider's schedule.</param>
/// <param name="WithOneMoreCrew">When the customer would be back if the provider had one more crew.</param>
/// <param name="IfFirst">When the customer would be back if the provider restored it first.</param>
public sealed record RecoveryOutlook(string ProviderId, string ProviderName, int CustomersAtOnce, ScheduledRestore Slot, decimal WithOneMoreCrew, decimal IfFirst)
{
    /// <summary>Whole days of waiting, rounded up (a crew works around the clock; a part of a day is a day without the office).</summary>
    public int Days => (int)Math.Ceiling(Slot.DoneHour / 24m);
}

/// <summary>
/// Restore schedules of the tenant's own portfolio (contracts §13): a provider's schedule with its what-ifs, and a customer's outlook.
/// Everything runs on the cached graph of the portfolio's current version (<see cref="PortfolioGraphs"/>), as blast radius does.
/// </summary>
public sealed class RecoveryPlanning(PortfolioGraphs graphs, TimeProvider clock)
{
    private const string NoPortfolio = "your organization has no portfolio yet: import one first";

    /// <summary>The restore schedule if everything <paramref name="provider"/> reaches is encrypted at once.</summary>
    /// <param name="asOf">The date backups are judged at (default: today, UTC).</param>
    /// <param name="crews">What-if: the provider's own crews instead of the stated ones.</param>
    public async Task<RecoverySchedule> ScheduleAsync(Tenant tenant, string provider, DateOnly? asOf = null, int? crews = null, CancellationToken cancellationToken = default)
    {
        var graph = await graphs.GraphAsync(tenant, cancellationToken) ?? throw new NotFoundException(NoPortfolio);
        return ScheduleRecovery.For(graph, provider, new RecoveryOptions { AsOf = asOf ?? Today, Crews = crews });
    }

    /// <summary>The schedule and its what-ifs: one more crew, twice the crews, a surge partner (the one given, or one with as many crews as the provider from hour 24), the critical customers' backups fixed, and all of them.</summary>
    public async Task<RecoveryPlan> PlanAsync(Tenant tenant, string provider, DateOnly? asOf = null, int? crews = null, SurgePartner? partner = null, CancellationToken cancellationToken = default)
    {
        var graph = await graphs.GraphAsync(tenant, cancellationToken) ?? throw new NotFoundException(NoPortfolio);
        var options = new RecoveryOptions { AsOf = asOf ?? Today, Crews = crews };
        var schedule = ScheduleRecovery.For(graph, provider, options);
        partner ??= new SurgePartner { Name = "an incident-response partner", Crews = schedule.Crews, StartDelayHours = 24 };
        var scenarios = new List<RecoveryScenario> { Scenario("As stated", "nothing changes", schedule) };
        RecoveryScenario Run(string label, string change, RecoveryOptions what) => Scenario(label, change, ScheduleRecovery.For(graph, provider, what));
        if (schedule.Crews < PortfolioFile.MaxCrews)
            scenarios.Add(Run("One more crew", $"{schedule.Crews + 1} crews instead of {schedule.Crews}", options with { Crews = schedule.Crews + 1 }));
        if (schedule.Crews * 2 <= PortfolioFile.MaxCrews)
            scenarios.Add(Run("Twice the crews", $"{schedule.Crews * 2} crews instead of {schedule.Crews}", options with { Crews = schedule.Crews * 2 }));
        var surge = $"{partner.Name}: {partner.Crews} crew{(partner.Crews == 1 ? "" : "s")} joining after {Hours.Text(partner.StartDelayHours)}";
        scenarios.Add(Run("A surge partner", surge, options with { ExtraSurge = partner }));
        scenarios.Add(Run("Critical backups fixed", $"the {schedule.CustomersWithoutUsableBackup} critical customers keep an immutable offsite copy and test a restore", options with { FixCriticalBackups = true }));
        scenarios.Add(Run("All of these", $"twice the crews, {surge}, critical backups fixed",
            options with { Crews = Math.Min(schedule.Crews * 2, PortfolioFile.MaxCrews), ExtraSurge = partner, FixCriticalBackups = true }));
        return new RecoveryPlan(schedule, scenarios);
    }

    /// <summary>
    /// The tenant's organization as a customer: for each direct provider whose compromise would have machines to restore, when the organization
    /// would be back; longest wait first. Empty when the tenant's portfolio has no entry for itself.
    /// </summary>
    public async Task<IReadOnlyList<RecoveryOutlook>> OutlookAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var loaded = await graphs.GetAsync(tenant, cancellationToken);
        if (loaded?.Stored.EntryOf(tenant.OrganizationId) is not { } entry) return [];
        var graph = loaded.Graph;
        var today = Today;
        var outlooks = new List<RecoveryOutlook>();
        foreach (var provider in loaded.Stored.Portfolio.Relationships.Where(r => r.Customer == entry).Select(r => r.Provider))
        {
            var schedule = ScheduleRecovery.For(graph, provider, new RecoveryOptions { AsOf = today });
            if (schedule.Customers.FirstOrDefault(c => c.Id == entry) is not { } slot || slot.RestoreHours == 0) continue;
            var more = ScheduleRecovery.For(graph, provider, new RecoveryOptions { AsOf = today, Crews = Math.Min(schedule.Crews + 1, PortfolioFile.MaxCrews) });
            var first = ScheduleRecovery.For(graph, provider, new RecoveryOptions { AsOf = today, First = entry });
            outlooks.Add(new RecoveryOutlook(provider, schedule.ProviderName, schedule.Customers.Count, slot,
                more.Customers.First(c => c.Id == entry).DoneHour, first.Customers.First(c => c.Id == entry).DoneHour));
        }
        return outlooks.OrderByDescending(o => o.Slot.DoneHour).ThenBy(o => o.ProviderId, StringComparer.Ordinal).ToArray();
    }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static RecoveryScenario Scenario(string label, string change, RecoverySchedule s) =>
        new(label, change, s.MakespanHours, s.CustomersWithoutUsableBackup, s.RtoMissed.Count);
}
