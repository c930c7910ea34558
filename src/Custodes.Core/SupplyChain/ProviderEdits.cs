using System.Text;
using Custodes.Common;

namespace Custodes.SupplyChain;

/// <summary>What a person says about one of their providers on a form: who it is, what it runs for them, with which tools and access.</summary>
public sealed record ProviderDetails
{
    public required string Name { get; init; }
    public OrganizationKind Kind { get; init; } = OrganizationKind.Msp;
    public Services Services { get; init; }
    public AccessLevels Access { get; init; }
    /// <summary>The remote-management and admin products the provider uses on the customer (one tool entry each, run by the provider).</summary>
    public IReadOnlyList<ToolProduct> Tools { get; init; } = [];
    public int? Endpoints { get; init; }
    public DateOnly? ContractStart { get; init; }
    public DateOnly? ContractEnd { get; init; }
    /// <summary>The Custodes organization the provider is (its id), when linked: its letters and matrix are then used.</summary>
    public string? CustodesOrganization { get; init; }
}

/// <summary>
/// Edits one provider of a portfolio as a form would: the provider's entry, its relationship with the customer and the tools it reaches the
/// customer through. Pure: the result is a whole portfolio that goes through <see cref="ValidatePortfolio"/> like an imported file, so a
/// form and a file are held to one set of rules.
/// </summary>
/// <remarks>
/// Form fields are named by <see cref="Fields"/>; a <see cref="BadInputException"/> thrown here carries the field as its path, and
/// <see cref="FieldOf"/> maps a path of the whole portfolio back to a field of the edited provider, so a message can sit beside its field.
/// </remarks>
public static class ProviderEdits
{
    /// <summary>The form's field names (the path of a refusal).</summary>
    public static class Fields
    {
        public const string Name = "name";
        public const string Kind = "kind";
        public const string Services = "services";
        public const string Access = "access";
        public const string Tools = "tools";
        public const string Endpoints = "endpoints";
        public const string ContractStart = "contract_start";
        public const string ContractEnd = "contract_end";
        public const string Link = "link";
    }

    public const int MaxEndpoints = 1_000_000;

    /// <summary>Checks what the form alone can tell, naming the field in words a person reads.</summary>
    public static void Check(ProviderDetails details)
    {
        if (string.IsNullOrWhiteSpace(details.Name)) throw Bad(Fields.Name, "the provider's name is empty: write the company's name as on its invoices");
        if (details.Name.Trim().Length > 200) throw Bad(Fields.Name, $"the provider's name has {details.Name.Trim().Length} characters; at most 200");
        if (!details.Kind.IsProvider()) throw Bad(Fields.Kind, $"'{PortfolioNames.Kinds.Name(details.Kind)}' is not a kind of provider; choose IT provider (MSP), security provider (MSSP), cloud, backup or software vendor");
        if (details.Services == Services.None) throw Bad(Fields.Services, "choose at least one service the provider runs for you (choose \"Other\" if none fits)");
        if (details.Endpoints is < 0 or > MaxEndpoints) throw Bad(Fields.Endpoints, $"the number of computers the provider manages must be between 0 and {MaxEndpoints:N0}; found {details.Endpoints}");
        if (details.ContractStart is { } start && details.ContractEnd is { } end && end < start)
            throw Bad(Fields.ContractEnd, $"the contract end ({end:yyyy-MM-dd}) is before its start ({start:yyyy-MM-dd})");
        if (details.Tools.Distinct().Count() != details.Tools.Count) throw Bad(Fields.Tools, "a tool is listed twice");
    }

    /// <summary>
    /// The portfolio with an entry for the customer (the organization whose providers these are) when it has none yet: <paramref name="entry"/>
    /// is then a new id made from the name. Returns the portfolio and the customer's entry id.
    /// </summary>
    public static (Portfolio Portfolio, string Entry) WithCustomer(Portfolio portfolio, string? entry, string name, OrganizationKind kind, string custodesOrganization)
    {
        if (entry is not null) return (portfolio, entry);
        var id = NewId(portfolio, name, "organization");
        var organization = new Organization { Id = id, Name = name, Kind = kind, CustodesOrganization = custodesOrganization };
        return (portfolio with { Organizations = [organization, .. portfolio.Organizations] }, id);
    }

    /// <summary>Adds a new provider of <paramref name="customer"/>; returns the portfolio and the provider's new id (made from its name).</summary>
    public static (Portfolio Portfolio, string Provider) Add(Portfolio portfolio, string customer, ProviderDetails details)
    {
        Check(details);
        var id = NewId(portfolio, details.Name, "provider");
        var organization = new Organization { Id = id, Name = details.Name.Trim(), Kind = details.Kind, CustodesOrganization = details.CustodesOrganization };
        var tools = NewTools(portfolio, id, details.Tools, []);
        var relationship = new Relationship
        {
            Id = UniqueRelationshipId(portfolio, $"{id}-{customer}"),
            Customer = customer,
            Provider = id,
            Services = details.Services,
            Access = details.Access,
            Tools = tools.Select(t => t.Id).ToArray(),
            Endpoints = details.Endpoints,
            ContractStart = details.ContractStart,
            ContractEnd = details.ContractEnd,
        };
        return (portfolio with
        {
            Organizations = [.. portfolio.Organizations, organization],
            Tools = [.. portfolio.Tools, .. tools.Where(t => !portfolio.Tools.Contains(t))],
            Relationships = [.. portfolio.Relationships, relationship],
        }, id);
    }

    /// <summary>Changes a provider of <paramref name="customer"/>: its entry, its relationship with the customer and the tools it uses there.</summary>
    /// <remarks>
    /// A tool the provider already runs for a product stays the same entry (its address and name kept); a product no longer chosen leaves
    /// the relationship, and its tool entry goes when nothing else uses it. The relationship's data and everything else it holds stay.
    /// </remarks>
    public static Portfolio Update(Portfolio portfolio, string customer, string provider, ProviderDetails details)
    {
        Check(details);
        var index = RelationshipIndex(portfolio, customer, provider);
        var relationship = portfolio.Relationships[index];
        var keptOtherOperators = relationship.Tools.Where(t => portfolio.Tools.First(x => x.Id == t).Operator != provider).ToArray();
        var tools = NewTools(portfolio, provider, details.Tools, relationship.Tools);
        var relationships = portfolio.Relationships.ToArray();
        relationships[index] = relationship with
        {
            Services = details.Services,
            Access = details.Access,
            Tools = [.. keptOtherOperators, .. tools.Select(t => t.Id)],
            Endpoints = details.Endpoints,
            ContractStart = details.ContractStart,
            ContractEnd = details.ContractEnd,
        };
        var organizations = portfolio.Organizations.Select(o => o.Id == provider
            ? o with { Name = details.Name.Trim(), Kind = details.Kind, CustodesOrganization = details.CustodesOrganization }
            : o).ToArray();
        var allTools = portfolio.Tools.Concat(tools.Where(t => !portfolio.Tools.Contains(t))).ToArray();
        return DropUnusedTools(portfolio with { Organizations = organizations, Tools = allTools, Relationships = relationships }, provider);
    }

    /// <summary>
    /// Removes a provider from <paramref name="customer"/>: their relationship, and the provider's entry and tools when nothing else in the
    /// portfolio refers to them. <c>Removed</c> says whether the entry went (its responsibility matrix goes with it).
    /// </summary>
    public static (Portfolio Portfolio, bool Removed) Remove(Portfolio portfolio, string customer, string provider)
    {
        var index = RelationshipIndex(portfolio, customer, provider);
        var relationships = portfolio.Relationships.Where((_, i) => i != index).ToArray();
        var result = DropUnusedTools(portfolio with { Relationships = relationships }, provider);
        var stillUsed = result.Relationships.Any(r => r.Customer == provider || r.Provider == provider) || result.Tools.Any(t => t.Operator == provider);
        if (stillUsed) return (result, false);
        return (result with { Organizations = result.Organizations.Where(o => o.Id != provider).ToArray() }, true);
    }

    /// <summary>The form field a path of the whole portfolio is about, when it is about the edited provider or its relationship; null otherwise.</summary>
    public static string? FieldOf(Portfolio portfolio, string customer, string provider, string? path)
    {
        if (path is null) return null;
        var relationship = portfolio.Relationships.ToList().FindIndex(r => r.Customer == customer && r.Provider == provider);
        var organization = portfolio.Organizations.ToList().FindIndex(o => o.Id == provider);
        if (relationship >= 0 && path.StartsWith($"$.relationships[{relationship}]", StringComparison.Ordinal))
        {
            var rest = path[$"$.relationships[{relationship}]".Length..];
            if (rest.StartsWith(".tools", StringComparison.Ordinal)) return Fields.Tools;
            return rest switch
            {
                ".endpoints" => Fields.Endpoints,
                ".contract_start" => Fields.ContractStart,
                ".contract_end" => Fields.ContractEnd,
                ".services" => Fields.Services,
                ".access" => Fields.Access,
                ".provider" => Fields.Kind,
                _ => "",
            };
        }
        if (organization >= 0 && path.StartsWith($"$.organizations[{organization}]", StringComparison.Ordinal))
            return path.EndsWith(".custodes_organization", StringComparison.Ordinal) ? Fields.Link : path.EndsWith(".kind", StringComparison.Ordinal) ? Fields.Kind : Fields.Name;
        return null;
    }

    /// <summary>The relationship in which <paramref name="provider"/> serves <paramref name="customer"/>.</summary>
    /// <exception cref="NotFoundException">It is not one of the customer's providers.</exception>
    public static int RelationshipIndex(Portfolio portfolio, string customer, string provider)
    {
        for (var i = 0; i < portfolio.Relationships.Count; i++)
            if (portfolio.Relationships[i].Customer == customer && portfolio.Relationships[i].Provider == provider) return i;
        throw new NotFoundException($"'{provider}' is not one of your providers");
    }

    /// <summary>The tools for the chosen products: the provider's existing tool of that product (preferring one already in this relationship), or a new entry.</summary>
    private static List<Tool> NewTools(Portfolio portfolio, string provider, IReadOnlyList<ToolProduct> products, IReadOnlyList<string> current)
    {
        var result = new List<Tool>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var product in products)
        {
            var existing = portfolio.Tools.Where(t => t.Operator == provider && t.Product == product && !taken.Contains(t.Id))
                .OrderBy(t => current.Contains(t.Id) ? 0 : 1).FirstOrDefault();
            var tool = existing ?? new Tool { Id = NewToolId(portfolio, result, $"{provider}-{PortfolioNames.Products.Name(product)}"), Product = product, Operator = provider };
            taken.Add(tool.Id);
            result.Add(tool);
        }
        return result;
    }

    private static Portfolio DropUnusedTools(Portfolio portfolio, string provider)
    {
        var used = portfolio.Relationships.SelectMany(r => r.Tools).Concat(portfolio.Organizations.SelectMany(o => o.Tenants).Select(t => t.Tool ?? "")).ToHashSet(StringComparer.Ordinal);
        return portfolio with { Tools = portfolio.Tools.Where(t => t.Operator != provider || used.Contains(t.Id)).ToArray() };
    }

    /// <summary>A new id from a name (<c>Granite Peak Managed IT</c> → <c>granite-peak-managed-it</c>), unique among organizations and tools.</summary>
    public static string NewId(Portfolio portfolio, string name, string fallback)
    {
        var slug = Slug(name);
        if (slug.Length == 0) slug = fallback;
        var taken = portfolio.Organizations.Select(o => o.Id).Concat(portfolio.Tools.Select(t => t.Id)).ToHashSet(StringComparer.Ordinal);
        var id = slug;
        for (var n = 2; taken.Contains(id); n++) id = $"{slug}-{n}";
        return id;
    }

    private static string NewToolId(Portfolio portfolio, IReadOnlyList<Tool> adding, string wanted)
    {
        var taken = portfolio.Organizations.Select(o => o.Id).Concat(portfolio.Tools.Select(t => t.Id)).Concat(adding.Select(t => t.Id)).ToHashSet(StringComparer.Ordinal);
        var id = wanted;
        for (var n = 2; taken.Contains(id); n++) id = $"{wanted}-{n}";
        return id;
    }

    private static string UniqueRelationshipId(Portfolio portfolio, string wanted)
    {
        wanted = wanted.Length > 190 ? wanted[..190] : wanted;
        var taken = portfolio.Relationships.Select(r => r.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var id = wanted;
        for (var n = 2; taken.Contains(id); n++) id = $"{wanted}-{n}";
        return id;
    }

    private static string Slug(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark) continue;
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
            if (sb.Length >= 60) break;
        }
        return sb.ToString().Trim('-');
    }

    private static BadInputException Bad(string field, string message) => new(message, path: field);
}
