using System.Text.Json;
using Custodes.Application.Audit;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Audit;

/// <summary>The organization's audit trail: filter, page, export as CSV or JSON.</summary>
public sealed class IndexModel(AuditLog audit) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    public int PageNumber { get; private set; } = 1;
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public bool HasMore { get; private set; }

    public async Task OnGetAsync()
    {
        PageNumber = Api.Paging.PageOf(Request, PageSize);
        var entries = await audit.ListAsync(User.Tenant().OrganizationId, Filter(), Api.Paging.Skip(PageNumber, PageSize), PageSize + 1, HttpContext.RequestAborted);
        HasMore = entries.Count > PageSize;
        Entries = entries.Take(PageSize).ToArray();
    }

    public async Task<IActionResult> OnGetExportAsync(string format)
    {
        var entries = await audit.ListAsync(User.Tenant().OrganizationId, Filter(), 0, 10_000, HttpContext.RequestAborted);
        return format == "csv"
            ? File(System.Text.Encoding.UTF8.GetBytes(AuditApi.Csv(entries)), "text/csv", "custodes-audit.csv")
            : File(JsonSerializer.SerializeToUtf8Bytes(entries, Common.Json.Indented), "application/json", "custodes-audit.json");
    }

    public string PageLink(int page) => Query() + $"page={page}";

    public string ExportLink(string format) => Query() + $"handler=export&format={format}";

    private string Query()
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(Action)) parts.Add("action=" + Uri.EscapeDataString(Action));
        if (!string.IsNullOrEmpty(Actor)) parts.Add("actor=" + Uri.EscapeDataString(Actor));
        if (From is { } f) parts.Add($"from={f:yyyy-MM-dd}");
        if (To is { } t) parts.Add($"to={t:yyyy-MM-dd}");
        return "/audit?" + string.Concat(parts.Select(p => p + "&"));
    }

    private AuditFilter Filter() => new(Action, Actor, null,
        From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), To?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(1));
}
