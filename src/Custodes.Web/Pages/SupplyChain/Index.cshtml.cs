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
        Relationships = portfolio.Relationships.Take(MaxRows).Select(r =>
        {
            var customer = organizations[r.Customer];
            var letter = Letters.GetValueOrDefault(r.Provider);
            return new RelationshipRow(customer.Name, r.Provider, organizations[r.Provider].Name,
                string.Join(", ", PortfolioNames.Services.Names(r.Services)), string.Join(", ", r.Tools), string.Join(", ", PortfolioNames.Access.Names(r.Access)),
                r.Endpoints?.ToString() ?? "unknown", string.Join(", ", PortfolioNames.DataNames(r.Data ?? customer.Data)),
                $"{r.ContractStart?.ToString("yyyy-MM-dd") ?? "…"} – {r.ContractEnd?.ToString("yyyy-MM-dd") ?? "…"}",
                letter is null ? "none held here" : $"{InheritanceNames.Name(letter.State.Check(today))}, {letter.Letter.Issuer}, valid until {letter.Letter.ValidUntil:yyyy-MM-dd}");
        }).ToArray();
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

/// <summary>One row of the relationships table, as shown: names, not ids (but the provider's id, which its link needs).</summary>
public sealed record RelationshipRow(string Customer, string ProviderId, string Provider, string Services, string Tools, string Access, string Endpoints, string Data, string Contract, string Letter);

internal static class LoadedPortfolioExtensions
{
    public static Portfolio Portfolio(this LoadedPortfolio loaded) => loaded.Stored.Portfolio;
}
