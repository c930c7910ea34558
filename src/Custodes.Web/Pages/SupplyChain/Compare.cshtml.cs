using Custodes.Application.SupplyChain;
using Custodes.SupplyChain;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Switching providers: candidates' trust pages (here or pasted from elsewhere, letters verified) side by side with the provider they would replace.</summary>
public sealed class CompareModel(SwitchingProviders switching, SupplyChainQueries queries) : PageModel, IRefusablePage
{
    public IReadOnlyList<PublishedTrustPage> Published { get; private set; } = [];
    /// <summary>The tenant's own providers (portfolio id, name): which one a candidate would replace.</summary>
    public IReadOnlyList<(string Id, string Name)> Providers { get; private set; } = [];
    public bool HasPortfolio { get; private set; }
    public CandidateComparison? Comparison { get; private set; }
    public string? Error { get; private set; }

    [BindProperty] public List<string> Candidate { get; set; } = [];
    [BindProperty] public string? Addresses { get; set; }
    [BindProperty] public string? Replacing { get; set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var candidates = Candidate.Concat((Addresses ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        Comparison = await switching.CompareAsync(User.Tenant(), candidates, string.IsNullOrWhiteSpace(Replacing) ? null : Replacing, HttpContext.RequestAborted);
        await LoadAsync();
        return Page();
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return this.ShowAsync(refusal, LoadAsync);
    }

    private async Task LoadAsync()
    {
        var tenant = User.Tenant();
        Published = await switching.PublishedAsync(HttpContext.RequestAborted);
        var loaded = await queries.FindAsync(tenant, HttpContext.RequestAborted);
        HasPortfolio = loaded?.Stored.EntryOf(tenant.OrganizationId) is not null;
        if (loaded?.Stored.EntryOf(tenant.OrganizationId) is { } entry)
        {
            var node = loaded.Graph.IndexOf(entry);
            var providers = new List<(string, string)>();
            foreach (var r in loaded.Graph.RelationshipsOfCustomer(node))
                if (loaded.Graph.Organization(loaded.Graph.Portfolio.Relationships[r].Provider) is { } p && !providers.Contains((p.Id, p.Name))) providers.Add((p.Id, p.Name));
            Providers = providers;
        }
    }

    /// <summary>A letter's standing in plain words.</summary>
    public static string LetterWords(string attestation, DateOnly? validUntil, string? issuer) => attestation switch
    {
        "valid" => $"Valid until {validUntil:yyyy-MM-dd}" + (issuer is null ? "" : $", from {issuer}"),
        "revoked" => "Withdrawn (revoked) by the firm that issued it",
        "expired" => $"Expired on {validUntil:yyyy-MM-dd}",
        "unverifiable" => "Could not be verified — not counted",
        _ => "None",
    };

    /// <summary>A score change in plain words.</summary>
    public static string Change(int? change) => change switch
    {
        null => "",
        0 => "(no change)",
        > 0 => $"({change} better than today)",
        _ => $"({-change} worse than today)",
    };
}
