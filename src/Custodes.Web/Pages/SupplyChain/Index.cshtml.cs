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
public sealed class IndexModel(SupplyChainQueries queries, PortfolioStore store, LetterChanges changes) : PageModel
{
    public LoadedPortfolio? Loaded { get; private set; }
    public InheritanceView? Inheritance { get; private set; }
    public IReadOnlyDictionary<string, ProviderLetter> Letters { get; private set; } = new Dictionary<string, ProviderLetter>();
    public IReadOnlyList<SupplyChainNotice> Notices { get; private set; } = [];
    public ProviderComparison? Comparison { get; private set; }
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
        try
        {
            if (file is null || file.Length == 0) throw new BadInputException("choose a portfolio file (custodes.portfolio/v1, YAML or JSON)");
            var portfolio = PortfolioFile.Parse(await ReadAsync(file), Path.GetFileName(file.FileName));
            var matrices = new List<MatrixUpload>();
            foreach (var m in crm ?? []) if (m.Length > 0) matrices.Add(MatrixUpload.Parse(await ReadAsync(m), Path.GetFileName(m.FileName)));
            var version = await store.ImportAsync(tenant, portfolio, matrices, Path.GetFileName(file.FileName), HttpContext.RequestAborted);
            return Redirect($"/supply-chain?imported={version}");
        }
        catch (BadInputException e)
        {
            Error = e.Describe();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync();
            return Page();
        }
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

internal static class LoadedPortfolioExtensions
{
    public static Portfolio Portfolio(this LoadedPortfolio loaded) => loaded.Stored.Portfolio;
}
