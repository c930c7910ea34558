using Custodes.Application.Hosting;
using Microsoft.Extensions.Options;

namespace Custodes.Application.SupplyChain;

/// <summary>Settings of the supply chain (configuration section <c>Custodes:SupplyChain</c>).</summary>
public sealed class SupplyChainOptions
{
    public const string Section = "Custodes:SupplyChain";

    /// <summary>How often a server looks for letters that expired (and revocations not yet followed through) to recompute their dependents.</summary>
    public TimeSpan ExpiryCheckInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Checks that the expiry check runs at a positive interval.</summary>
public sealed class SupplyChainOptionsValidator : IValidateOptions<SupplyChainOptions>
{
    public ValidateOptionsResult Validate(string? name, SupplyChainOptions o) => new OptionsProblems(SupplyChainOptions.Section)
        .Require(o.ExpiryCheckInterval > TimeSpan.Zero, nameof(o.ExpiryCheckInterval), "must be positive (a time such as 01:00:00)")
        .Result;
}
