using Custodes.Application.Watch;
using Custodes.Common;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Watch;

/// <summary>The alert timeline: an MSP's own alerts (all, or one customer's), or a customer's alerts about its tenants.</summary>
public sealed class AlertsModel(AlertStore alerts, WatchMspStore msps, WatchConsentStore consents) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Severity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Rule { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Customer { get; set; }
    public int PageNumber { get; private set; } = 1;
    public IReadOnlyList<AlertView> Alerts { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> Customers { get; private set; } = new Dictionary<Guid, string>();
    public bool IsMsp { get; private set; }
    /// <summary>Tenant ids → customer names where known (an MSP's mapped tenants; for a customer, its own tenants are itself).</summary>
    public IReadOnlyDictionary<string, string> TenantNames { get; private set; } = new Dictionary<string, string>();

    /// <summary>How a tenant is shown: the customer's name where known, else the id the RMM uses.</summary>
    public string TenantLabel(string tenant) => TenantNames.TryGetValue(tenant, out var name) ? name : IsMsp ? tenant : User.OrganizationName();
    /// <summary>For a customer: the MSPs that asked to send it alerts, and what it answered.</summary>
    public IReadOnlyList<ProviderRequest> Providers { get; private set; } = [];
    /// <summary>The requests still waiting for the customer's answer, and those answered.</summary>
    public IReadOnlyList<ProviderRequest> PendingProviders => Providers.Where(p => p.State == ConsentStates.Pending).ToArray();
    public IReadOnlyList<ProviderRequest> AnsweredProviders => Providers.Where(p => p.State != ConsentStates.Pending).ToArray();
    public string? Message { get; private set; }
    public bool HasMore { get; private set; }
    public bool Filtered => Status is not null || Severity is not null || Rule is not null || Customer is not null;

    public async Task OnGetAsync()
    {
        var tenant = User.Tenant();
        Status = string.IsNullOrEmpty(Status) ? null : Status;
        Severity = string.IsNullOrEmpty(Severity) ? null : Severity;
        Rule = string.IsNullOrWhiteSpace(Rule) ? null : Rule.Trim();
        PageNumber = Api.Paging.PageOf(Request, PageSize);
        IsMsp = await msps.FindAsync(tenant.OrganizationId, HttpContext.RequestAborted) is not null;
        if (!IsMsp) Providers = await consents.ListAsync(tenant, HttpContext.RequestAborted);
        if (IsMsp)
        {
            var mapped = (await msps.TenantsAsync(tenant, HttpContext.RequestAborted)).Where(t => t.CustomerName is not null).ToArray();
            Customers = mapped.GroupBy(t => t.CustomerOrganizationId).ToDictionary(g => g.Key, g => g.First().CustomerName!);
            TenantNames = mapped.ToDictionary(t => t.Tenant, t => t.CustomerName!, StringComparer.Ordinal);
        }
        try
        {
            var found = await alerts.ListAsync(tenant, new AlertFilter(Status, Severity, Rule, Customer: IsMsp ? Customer : null), Api.Paging.Skip(PageNumber, PageSize), PageSize + 1, HttpContext.RequestAborted);
            HasMore = found.Count > PageSize;
            Alerts = found.Take(PageSize).ToArray();
        }
        // A filter the store refuses (typed into the address) still shows the page, with its filter form and no alerts.
        catch (BadInputException)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    /// <summary>The customer's owner accepts or declines an MSP's alerts; both can be changed later, so neither asks first.</summary>
    public async Task<IActionResult> OnPostDecideAsync(Guid msp, string decision)
    {
        if (decision is not ("accept" or "decline")) throw new BadInputException($"the decision is accept or decline, not '{decision}'", path: "decision");
        var accept = decision == "accept";
        var answer = await consents.DecideAsync(User.Tenant(), msp, accept, HttpContext.RequestAborted);
        await OnGetAsync();
        Message = accept
            ? $"You accepted {answer.MspName}'s alerts: what its tools see on your computers now shows up here and in your alert channels."
            : $"You declined {answer.MspName}'s alerts: nothing from its tools reaches you. You can accept later here.";
        return Page();
    }

    public string PageLink(int page)
    {
        var parts = new List<string>();
        if (Status is not null) parts.Add("status=" + Uri.EscapeDataString(Status));
        if (Severity is not null) parts.Add("severity=" + Uri.EscapeDataString(Severity));
        if (Rule is not null) parts.Add("rule=" + Uri.EscapeDataString(Rule));
        if (Customer is { } c) parts.Add($"customer={c}");
        parts.Add($"page={page}");
        return "/watch/alerts?" + string.Join("&", parts);
    }
}
