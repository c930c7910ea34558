using Custodes.Common;
using Custodes.Storage.Watch;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Watch;

/// <summary>The alert timeline: an MSP's own alerts (all, or one customer's), or a customer's alerts about its tenants.</summary>
public sealed class AlertsModel(AlertStore alerts, WatchMspStore msps) : PageModel
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
        if (IsMsp)
            Customers = (await msps.TenantsAsync(tenant, HttpContext.RequestAborted)).GroupBy(t => t.CustomerOrganizationId).ToDictionary(g => g.Key, g => g.First().CustomerName);
        try
        {
            var found = await alerts.ListAsync(tenant, new AlertFilter(Status, Severity, Rule, Customer: IsMsp ? Customer : null), Api.Paging.Skip(PageNumber, PageSize), PageSize + 1, HttpContext.RequestAborted);
            HasMore = found.Count > PageSize;
            Alerts = found.Take(PageSize).ToArray();
        }
        catch (BadInputException)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
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
