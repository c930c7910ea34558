using Custodes.Web.Words;
using Custodes.Application.SupplyChain;
using Custodes.SupplyChain;
using Custodes.Web.Api;
using Custodes.Web.SupplyChain;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Blast radius of a provider or tool of the portfolio, the "what if it is compromised" ranking, and concentration risk: the graph alone, no rows.</summary>
public sealed class BlastRadiusModel(SupplyChainQueries queries) : PageModel
{
    public PortfolioGraph? Graph { get; private set; }
    public string? Id { get; private set; }
    public CompromiseReport? Report { get; private set; }
    public IReadOnlyList<ConcentrationEntry> Concentration { get; private set; } = [];

    public async Task OnGetAsync(string? id)
    {
        var tenant = User.Tenant();
        Graph = await queries.FindGraphAsync(tenant, HttpContext.RequestAborted);
        if (Graph is null) return;
        Concentration = await queries.ConcentrationAsync(tenant, 20, HttpContext.RequestAborted);
        Id = id ?? Concentration.FirstOrDefault()?.Id;
        if (Id is not null) Report = await queries.WhatIfAsync(tenant, Id, HttpContext.RequestAborted);
        _names = Graph.Portfolio.Organizations.Select(o => (o.Id, o.Name))
            .Concat(Graph.Portfolio.Tools.Select(t => (t.Id, IndexModel.ToolName(t)))).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
    }

    private Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>The name of an organization or tool of the portfolio (its id when it has none).</summary>
    public string Name(string id) => _names.GetValueOrDefault(id, id);

    public string Access(string code) => PortfolioNames.Access.TryParse(code, out var a) ? PlainWords.AccessNames(a) : code;

    public string Kind(string code) => PortfolioNames.Kinds.TryParse(code, out var k) ? PlainWords.Kind(k) : code;

    public string Product(string code) => PortfolioNames.Products.TryParse(code, out var p) ? PlainWords.Tool(p) : code;
}
