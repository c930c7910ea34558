using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Common;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Assessments;

/// <summary>The audit trail entries of one assessment, newest first.</summary>
public sealed class HistoryModel(AssessmentStore store, AuditLog audit) : PageModel
{
    private const int PageSize = 50;

    public Guid Id { get; private set; }
    public string Subject { get; private set; } = "";
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public int PageNumber { get; private set; }
    public bool HasMore { get; private set; }

    public async Task OnGetAsync(Guid id)
    {
        var tenant = User.Tenant();
        var readable = await store.ReadOwnAsync(tenant, id, HttpContext.RequestAborted);
        Id = id;
        Subject = readable.Stored.Assessment.Organization;
        PageNumber = Api.Paging.PageOf(Request, PageSize);
        var entries = await audit.ListAsync(tenant.OrganizationId, new AuditFilter(EntityId: id.ToString()), Api.Paging.Skip(PageNumber, PageSize), PageSize + 1, HttpContext.RequestAborted);
        HasMore = entries.Count > PageSize;
        Entries = entries.Take(PageSize).ToArray();
    }
}
