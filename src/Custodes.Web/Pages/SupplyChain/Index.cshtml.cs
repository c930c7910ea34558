using Custodes.Web.Words;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Web.Api;
using Custodes.Web.SupplyChain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>The organization's portfolio: its providers and customers, tools, the graph, what it inherits, import and export.</summary>
[RequestSizeLimit(SupplyChainApi.MaxUploadBytes + 1024 * 1024)]
public sealed class IndexModel(SupplyChainQueries queries, PortfolioStore store, LetterChanges changes, TimeProvider clock) : PageModel, IRefusablePage
{
    public LoadedPortfolio? Loaded { get; private set; }
    public InheritanceView? Inheritance { get; private set; }
    public IReadOnlyDictionary<string, ProviderLetter> Letters { get; private set; } = new Dictionary<string, ProviderLetter>();
    public IReadOnlyList<SupplyChainNotice> Notices { get; private set; } = [];
    public ProviderComparison? Comparison { get; private set; }
    /// <summary>The relationships table, at most <see cref="MaxRows"/> rows, each with its organizations' names and the provider's letter as of today.</summary>
    public IReadOnlyList<RelationshipRow> Relationships { get; private set; } = [];
    public const int MaxRows = 500;
    public string? Error { get; private set; }
    public string? Message { get; private set; }
    /// <summary>Portfolio ids → names (organizations) and tool ids → what a person calls the tool.</summary>
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> ToolNames { get; private set; } = new Dictionary<string, string>();
    /// <summary>The inherited requirements, in words: title, who does it, the status as "fixed / not yet", each provider's part.</summary>
    public IReadOnlyList<InheritedRow> Inherited { get; private set; } = [];

    /// <summary>A tool as a person calls it: its own name, or the product's ("Kaseya VSA").</summary>
    public static string ToolName(Tool tool) => tool.Name ?? PlainWords.Tool(tool.Product);

    public async Task OnGetAsync(string? imported)
    {
        if (imported is not null) Message = $"Imported: the portfolio is now version {imported}.";
        await LoadAsync();
    }

    public async Task<IActionResult> OnGetExportAsync(string? format)
    {
        var stored = await store.LoadAsync(User.Tenant(), HttpContext.RequestAborted) ?? throw new NotFoundException("no portfolio yet");
        return format == "json"
            ? File(PortfolioFile.ToJson(stored.Portfolio), "application/json", "portfolio.json")
            : File(PortfolioFile.ToYaml(stored.Portfolio), "application/yaml", "portfolio.yaml");
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, List<IFormFile>? crm)
    {
        var tenant = User.Tenant();
        if (file is null || file.Length == 0) throw new BadInputException("choose a portfolio file (custodes.portfolio/v1, YAML or JSON)");
        var portfolio = PortfolioFile.Parse(await ReadAsync(file), Path.GetFileName(file.FileName));
        var matrices = new List<MatrixUpload>();
        foreach (var m in crm ?? []) if (m.Length > 0) matrices.Add(MatrixUpload.Parse(await ReadAsync(m), Path.GetFileName(m.FileName)));
        var version = await store.ImportAsync(tenant, portfolio, matrices, Path.GetFileName(file.FileName), HttpContext.RequestAborted);
        return Redirect($"/supply-chain?imported={version}");
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        // A portfolio's errors are located in its file, by path: shown whole.
        Error = refusal.Exception is BadInputException bad ? bad.Describe() : refusal.Message;
        return this.ShowAsync(refusal, LoadAsync);
    }

    private async Task LoadAsync()
    {
        var tenant = User.Tenant();
        var ct = HttpContext.RequestAborted;
        Loaded = await queries.FindAsync(tenant, ct);
        Notices = await changes.ListAsync(tenant, 20, ct);
        if (Loaded is null) return;
        Letters = await queries.LettersAsync(Loaded, ct);
        Inheritance = await queries.InheritanceAsync(tenant, ct);
        var portfolio = Loaded.Portfolio();
        var organizations = portfolio.Organizations.ToDictionary(o => o.Id);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var tools = portfolio.Tools.ToDictionary(t => t.Id, StringComparer.Ordinal);
        Names = organizations.ToDictionary(o => o.Key, o => o.Value.Name, StringComparer.Ordinal);
        ToolNames = tools.ToDictionary(t => t.Key, t => ToolName(t.Value), StringComparer.Ordinal);
        Relationships = portfolio.Relationships.Take(MaxRows).Select(r =>
        {
            var customer = organizations[r.Customer];
            var provider = organizations[r.Provider];
            var verdict = ProviderVerdict.Of(provider.Name, Letters.GetValueOrDefault(r.Provider), today);
            return new RelationshipRow(customer.Name, r.Provider, provider.Name,
                PlainWords.ServiceNames(r.Services), r.Tools.Count == 0 ? "none listed" : string.Join(", ", r.Tools.Select(t => ToolNames[t])), PlainWords.AccessNames(r.Access),
                r.Endpoints?.ToString() ?? "not given", PlainWords.Data(PortfolioNames.DataNames(r.Data ?? customer.Data)),
                $"{r.ContractStart?.ToString("d MMM yyyy") ?? "…"} – {r.ContractEnd?.ToString("d MMM yyyy") ?? "…"}",
                $"{verdict.Headline} {verdict.Detail}");
        }).ToArray();
        if (Inheritance is { } inh)
            Inherited = inh.Result.Report.Requirements.Select(r => new InheritedRow(
                PlainWords.Requirement(r.Id, inh.Result.Report.Framework), r.Id, PlainWords.Responsibility(r.Responsibility), PlainWords.Status(r.Own),
                r.Holds ? PlainWords.Status(r.Effective) : $"{PlainWords.Status(r.Effective)} (not confirmed)", r.Holds,
                r.Providers.Select(c => new ClaimText(Names.GetValueOrDefault(c.Provider, c.Provider), PlainWords.Cause(c.Cause), c.LetterId)).ToArray())).ToArray();
        if (Loaded.Stored.EntryOf(tenant.OrganizationId) is { } entry && Loaded.Portfolio().Relationships.Any(r => r.Customer == entry))
            Comparison = await queries.CompareAsync(tenant, entry, ct);
    }

    private static async Task<byte[]> ReadAsync(IFormFile file)
    {
        if (file.Length > SupplyChainApi.MaxUploadBytes) throw new BadInputException($"the file is {file.Length:N0} bytes; at most {SupplyChainApi.MaxUploadBytes:N0} here", file.FileName);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}

/// <summary>One inherited requirement as shown: its id and title, who does it, the customer's own and effective status in words, each provider's part.</summary>
public sealed record InheritedRow(string Requirement, string Id, string Responsibility, string Own, string Effective, bool Holds, IReadOnlyList<ClaimText> Providers);

/// <summary>One provider's part in an inherited requirement: its name, what its letter means for it, and the letter (for a link).</summary>
public sealed record ClaimText(string Provider, string Cause, string? LetterId);

/// <summary>One row of the relationships table, as shown: names, not ids (but the provider's id, which its link needs).</summary>
public sealed record RelationshipRow(string Customer, string ProviderId, string Provider, string Services, string Tools, string Access, string Endpoints, string Data, string Contract, string Letter);

internal static class LoadedPortfolioExtensions
{
    public static Portfolio Portfolio(this LoadedPortfolio loaded) => loaded.Stored.Portfolio;
}
