using System.Globalization;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Fields = Custodes.SupplyChain.ProviderEdits.Fields;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>The provider form as posted: text as typed, turned into <see cref="ProviderDetails"/> with refusals that name the field.</summary>
public sealed class ProviderInput
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public List<string> Services { get; set; } = [];
    public List<string> Access { get; set; } = [];
    public List<string> Tools { get; set; } = [];
    public string? Endpoints { get; set; }
    public string? ContractStart { get; set; }
    public string? ContractEnd { get; set; }
    /// <summary>The Custodes organization (id) chosen from the search, or empty.</summary>
    public string? Link { get; set; }
    /// <summary>The portfolio version the form was read from.</summary>
    public long Version { get; set; }

    public ProviderDetails ToDetails() => new()
    {
        Name = Name?.Trim() ?? "",
        Kind = PortfolioNames.Kinds.TryParse(Kind, out var kind) ? kind : throw new BadInputException("choose what kind of provider this is", path: Fields.Kind),
        Services = Flags(PortfolioNames.Services, Services, Fields.Services, "service"),
        Access = Flags(PortfolioNames.Access, Access, Fields.Access, "access level"),
        Tools = Tools.Select(t => PortfolioNames.Products.TryParse(t, out var p) ? p : throw new BadInputException($"'{t}' is not a tool this form knows", path: Fields.Tools)).Distinct().ToArray(),
        Endpoints = string.IsNullOrWhiteSpace(Endpoints) ? null
            : int.TryParse(Endpoints.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new BadInputException($"the number of computers must be a whole number such as 14, not '{Endpoints}'", path: Fields.Endpoints),
        ContractStart = Date(ContractStart, Fields.ContractStart, "contract start"),
        ContractEnd = Date(ContractEnd, Fields.ContractEnd, "contract end"),
        CustodesOrganization = string.IsNullOrWhiteSpace(Link) ? null : Link.Trim(),
    };

    public static ProviderInput From(ProviderDetails details, long version) => new()
    {
        Name = details.Name,
        Kind = PortfolioNames.Kinds.Name(details.Kind),
        Services = PortfolioNames.Services.Names(details.Services).ToList(),
        Access = PortfolioNames.Access.Names(details.Access).ToList(),
        Tools = details.Tools.Select(PortfolioNames.Products.Name).ToList(),
        Endpoints = details.Endpoints?.ToString(CultureInfo.InvariantCulture),
        ContractStart = details.ContractStart?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ContractEnd = details.ContractEnd?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Link = details.CustodesOrganization,
        Version = version,
    };

    private static T Flags<T>(WireNames<T> names, List<string> chosen, string field, string what) where T : struct, Enum
    {
        ulong value = 0;
        foreach (var name in chosen)
            value |= names.TryParse(name, out var flag) ? Convert.ToUInt64(flag, CultureInfo.InvariantCulture) : throw new BadInputException($"'{name}' is not a {what} this form knows", path: field);
        return (T)Enum.ToObject(typeof(T), value);
    }

    private static DateOnly? Date(string? text, string field, string what) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw new BadInputException($"the {what} must be a date such as 2027-01-31, not '{text}'", path: field);
}

/// <summary>
/// What the add and edit pages share: the form, the search for a provider with a published trust page (choosing one links it and fills its
/// name), and a refusal shown beside its field with everything typed kept.
/// </summary>
public abstract class ProviderFormPage(ProviderDirectory directory) : PageModel, IRefusablePage
{
    [BindProperty]
    public ProviderInput Input { get; set; } = new() { Kind = "msp" };

    public string? Query { get; protected set; }
    public IReadOnlyList<PublishedProvider> Found { get; private set; } = [];
    public string? SearchError { get; private set; }
    /// <summary>The provider the form links to, when one is chosen and it publishes a trust page.</summary>
    public PublishedProvider? Linked { get; private set; }
    public string? Error { get; protected set; }
    /// <summary>The form field the error is about (<see cref="Fields"/>), or null.</summary>
    public string? ErrorField { get; protected set; }

    public abstract string Heading { get; }
    public abstract string SubmitLabel { get; }

    /// <summary>The search, and the chosen link: after the page's own reads, so a chosen link fills a new provider's name.</summary>
    protected async Task SearchAndLinkAsync(string? q, Guid? link)
    {
        var ct = HttpContext.RequestAborted;
        Query = q;
        if (!string.IsNullOrWhiteSpace(q))
        {
            try
            {
                Found = await directory.SearchAsync(User.Tenant(), q, ct);
            }
            catch (BadInputException e)
            {
                SearchError = e.Message;
            }
        }
        if (link is { } chosen)
        {
            Linked = await directory.FindAsync(chosen, ct);
            if (Linked is not null)
            {
                Input.Link = chosen.ToString();
                if (string.IsNullOrWhiteSpace(Input.Name)) Input.Name = Linked.Name;
            }
        }
        else if (Guid.TryParse(Input.Link, out var current)) Linked = await directory.FindAsync(current, ct);
    }

    async Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        ErrorField = refusal.Exception is BadInputException { Path: { Length: > 0 } path } ? path : null;
        return await this.ShowAsync(refusal, ReloadAsync);
    }

    /// <summary>Re-reads what the page shows besides the posted form (which is kept as typed).</summary>
    protected virtual async Task ReloadAsync() => await SearchAndLinkAsync(null, null);

    public bool Checked(List<string> chosen, string code) => chosen.Contains(code, StringComparer.Ordinal);
}
