using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;

namespace Custodes.Web.SupplyChain;

/// <summary>The supply-chain services: stored portfolios and their cached graphs, providers' letters, recompute and notices, the expiry check.</summary>
public static class SupplyChainServices
{
    public static IServiceCollection AddCustodesSupplyChain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PortfolioStore>();
        services.AddSingleton<PortfolioGraphs>();
        services.AddSingleton<ProviderLetters>();
        services.AddSingleton<LetterChanges>();
        services.AddSingleton<CustomerInheritance>();
        services.AddSingleton<SupplyChainQueries>();
        services.AddSingleton(sp => new RevokeLetter(sp.GetRequiredService<Installation>(), sp.GetRequiredService<AuditTrail>(), sp.GetRequiredService<TransparencyLog>(),
            sp.GetRequiredService<SigningKeyRegistry>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<LetterChanges>()));
        var interval = configuration.GetValue<TimeSpan?>("Custodes:SupplyChain:ExpiryCheckInterval") ?? TimeSpan.FromHours(1);
        services.AddSingleton(new LetterExpiryCheck.Options(interval));
        services.AddHostedService<LetterExpiryCheck>();
        return services;
    }
}

/// <summary>
/// Periodically recomputes the dependents of letters that expired (and of revocations a crashed request did not finish), so customers
/// are notified without anyone running <c>custodes supply-chain recompute</c>. Every node may run it: each change is processed once.
/// </summary>
public sealed class LetterExpiryCheck(LetterChanges changes, LetterExpiryCheck.Options options, TimeProvider clock, ILogger<LetterExpiryCheck> log) : BackgroundService
{
    public sealed record Options(TimeSpan Interval);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, clock);
        do
        {
            try
            {
                var outcome = await changes.ProcessPendingAsync(stoppingToken);
                if (outcome.Letters > 0) log.LogInformation("letter changes processed: {Letters} letters, {Notices} supply-chain notices", outcome.Letters, outcome.Notices);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "the letter expiry check failed; it runs again in {Interval}", options.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
