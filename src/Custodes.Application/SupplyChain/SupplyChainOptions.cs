using Custodes.Application.Hosting;
using Microsoft.Extensions.Options;

namespace Custodes.Application.SupplyChain;

/// <summary>Settings of the supply chain (configuration section <c>Custodes:SupplyChain</c>).</summary>
public sealed class SupplyChainOptions
{
    public const string Section = "Custodes:SupplyChain";

    /// <summary>
    /// How often a server looks for letters that expired (and revocations not yet followed through) to recompute their dependents and
    /// notify trust-page subscribers. Half a minute keeps an expiry notice within the minute subscribers are promised; the query only
    /// reads letters past their end that have no recorded change, so a short interval is cheap.
    /// </summary>
    public TimeSpan ExpiryCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often every agreement is re-checked for the passing of time (restore tests falling due, quiet logs, renewals).</summary>
    public TimeSpan AgreementCheckInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Checks that the expiry check runs at a positive interval.</summary>
public sealed class SupplyChainOptionsValidator : IValidateOptions<SupplyChainOptions>
{
    public ValidateOptionsResult Validate(string? name, SupplyChainOptions o) => new OptionsProblems(SupplyChainOptions.Section)
        .Require(o.ExpiryCheckInterval > TimeSpan.Zero, nameof(o.ExpiryCheckInterval), "must be positive (a time such as 00:00:30)")
        .Require(o.AgreementCheckInterval > TimeSpan.Zero, nameof(o.AgreementCheckInterval), "must be positive (a time such as 01:00:00)")
        .Result;
}
