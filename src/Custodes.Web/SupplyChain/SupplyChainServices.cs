using Custodes.Application.Agreements;
using Custodes.Application.SupplyChain;

namespace Custodes.Web.SupplyChain;

/// <summary>The web's supply-chain services: the expiry check (stores, queries and use cases come from AddCustodesApplication).</summary>
internal static class SupplyChainServices
{
    public static IServiceCollection AddCustodesSupplyChain(this IServiceCollection services)
    {
        services.AddHostedService<LetterExpiryCheck>();
        return services;
    }
}

/// <summary>
/// Periodically recomputes the dependents of letters that expired (and of revocations a crashed request did not finish), so customers
/// are notified without anyone running <c>custodes supply-chain recompute</c>. Every node may run it: each change is processed once.
/// Every <see cref="SupplyChainOptions.AgreementCheckInterval"/> the same loop also re-checks every agreement (the date changed: restore
/// tests fall due, logs go quiet) and raises renewal notices; a letter change re-checks the agreements it touches at once.
/// </summary>
internal sealed class LetterExpiryCheck(LetterChanges changes, CheckAgreements agreements, SupplyChainOptions options, TimeProvider clock, ILogger<LetterExpiryCheck> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ExpiryCheckInterval, clock);
        DateTimeOffset? agreementsChecked = null;
        do
        {
            try
            {
                var outcome = await changes.ProcessPendingAsync(stoppingToken);
                if (outcome.Letters > 0) log.LogInformation("letter changes processed: {Letters} letters, {Notices} supply-chain notices", outcome.Letters, outcome.Notices);
                var now = clock.GetUtcNow();
                if (agreementsChecked is { } last && now - last < options.AgreementCheckInterval) continue;
                agreementsChecked = now;
                var recheck = await agreements.RecheckAllAsync(stoppingToken);
                if (recheck.NewlyBreached + recheck.RenewalNotices > 0)
                    log.LogInformation("agreements re-checked: {Agreements}; {Breached} obligations newly breached, {Renewals} renewal notices", recheck.Agreements, recheck.NewlyBreached, recheck.RenewalNotices);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "the letter expiry check failed; it runs again in {Interval}", options.ExpiryCheckInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
