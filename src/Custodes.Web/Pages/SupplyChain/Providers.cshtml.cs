using Custodes.Application.SupplyChain;
using Custodes.Web.Api;
using Custodes.Web.SupplyChain;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>The organization's providers, each with what it runs, how it reaches the organization, and whether an assessor checked it.</summary>
public sealed class ProvidersModel(CustomerProviders providers, SupplyChainQueries queries, TimeProvider clock) : PageModel
{
    public ProviderList List { get; private set; } = new(0, null, [], false);
    public IReadOnlyDictionary<string, ProviderVerdict> Verdicts { get; private set; } = new Dictionary<string, ProviderVerdict>();
    public string? Message { get; private set; }

    public async Task OnGetAsync(string? added, string? changed, string? removed)
    {
        var tenant = User.Tenant();
        var ct = HttpContext.RequestAborted;
        List = await providers.ListAsync(tenant, ct);
        string? Name(string? id) => id is null ? null : List.Find(id)?.Details.Name ?? id;
        Message = added is not null ? $"Added {Name(added)}." : changed is not null ? $"Saved the changes to {Name(changed)}." : removed is not null ? $"Removed {removed} from your providers." : null;
        if (await queries.FindAsync(tenant, ct) is { } loaded)
        {
            var letters = await queries.LettersAsync(loaded, ct);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            Verdicts = List.Providers.ToDictionary(p => p.Id, p => ProviderVerdict.Of(p.Details.Name, letters.GetValueOrDefault(p.Id), today), StringComparer.Ordinal);
        }
    }
}
