using Custodes.Catalogs;

namespace Custodes.SupplyChain;

/// <summary>A provider's Customer Responsibility Matrix: who meets each requirement, the content of a <c>custodes.crm/v1</c> file.</summary>
/// <remarks>
/// A requirement absent from the matrix is the customer's. Objective-level entries are folded into a requirement-level responsibility, because
/// letters attest requirements: all objectives <c>provider</c> → provider; some <c>provider</c> or <c>shared</c> → shared; otherwise customer.
/// </remarks>
public sealed record ResponsibilityMatrix
{
    public const string Schema = "custodes.crm/v1";

    /// <summary>The provider's organization id in the portfolio.</summary>
    public required string Provider { get; init; }
    public required string Framework { get; init; }
    public string? Title { get; init; }
    public DateOnly? PublishedOn { get; init; }
    /// <summary>Requirement-level entries keyed by requirement id (3.1.1), in catalog order.</summary>
    public IReadOnlyDictionary<string, CrmEntry> Requirements { get; init; } = new Dictionary<string, CrmEntry>();
    /// <summary>Objective-level entries keyed by objective id (3.1.3[a]).</summary>
    public IReadOnlyDictionary<string, CrmEntry> Objectives { get; init; } = new Dictionary<string, CrmEntry>();

    /// <summary>The responsibility for one requirement (see remarks for objective entries).</summary>
    public Responsibility For(Requirement requirement)
    {
        if (Requirements.TryGetValue(requirement.Id, out var entry)) return entry.Responsibility;
        if (Objectives.Count == 0 || requirement.Objectives.Count == 0) return Responsibility.Customer;
        int provider = 0, shared = 0;
        foreach (var objective in requirement.Objectives)
        {
            if (!Objectives.TryGetValue(objective, out var o)) continue;
            if (o.Responsibility == Responsibility.Provider) provider++;
            else if (o.Responsibility == Responsibility.Shared) shared++;
        }
        if (provider == requirement.Objectives.Count) return Responsibility.Provider;
        return provider + shared > 0 ? Responsibility.Shared : Responsibility.Customer;
    }

    /// <summary>Responsibilities in the order of a catalog's requirements; null when the matrix's framework does not apply to the catalog.</summary>
    public Responsibility[]? Compile(Catalog catalog)
    {
        if (Frameworks.IsR2Based(Framework) != Frameworks.IsR2Based(catalog.Framework)) return null;
        var result = new Responsibility[catalog.Requirements.Count];
        for (var i = 0; i < result.Length; i++) result[i] = For(catalog.Requirements[i]);
        return result;
    }

    /// <summary>The entry that explains a requirement's responsibility (the requirement's own, or its first objective entry).</summary>
    public CrmEntry? EntryFor(Requirement requirement) =>
        Requirements.GetValueOrDefault(requirement.Id) ?? requirement.Objectives.Select(o => Objectives.GetValueOrDefault(o)).FirstOrDefault(e => e is not null);
}

/// <summary>Who meets a requirement: the customer, the provider, or both.</summary>
public enum Responsibility : byte
{
    Customer = 0,
    Provider = 1,
    Shared = 2,
}

/// <summary>One line of a responsibility matrix: who, what the provider does, what the customer must do.</summary>
public sealed record CrmEntry(Responsibility Responsibility, string? Description = null, string? CustomerAction = null);
