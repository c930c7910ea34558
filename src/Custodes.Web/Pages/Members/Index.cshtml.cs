using Custodes.Common;
using Custodes.Storage;
using Custodes.Storage.Accounts;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Members;

/// <summary>The organization's members and roles; owners add members, change roles and remove members.</summary>
public sealed class IndexModel(AccountStore accounts, Storage.Organizations.OrganizationStore organizations) : PageModel
{
    public IReadOnlyList<Member> Members { get; private set; } = [];
    public Guid OrganizationId { get; private set; }
    public string Kind { get; private set; } = "";
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostAddAsync(string email, string role, string? password) =>
        ChangeAsync(async t => Message = $"{(await accounts.AddMemberAsync(t, email, role, password, HttpContext.RequestAborted)).Email} is now a member.");

    public Task<IActionResult> OnPostRoleAsync(Guid user, string role) =>
        ChangeAsync(async t => Message = $"{(await accounts.ChangeRoleAsync(t, user, role, HttpContext.RequestAborted)).Email} is now {role}.");

    public Task<IActionResult> OnPostRemoveAsync(Guid user) =>
        ChangeAsync(async t =>
        {
            await accounts.RemoveMemberAsync(t, user, HttpContext.RequestAborted);
            Message = "Member removed; their API keys for this organization are revoked.";
        });

    private async Task<IActionResult> ChangeAsync(Func<Tenant, Task> change)
    {
        try
        {
            await change(User.Tenant());
        }
        catch (BadInputException e)
        {
            Error = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var tenant = User.Tenant();
        OrganizationId = tenant.OrganizationId;
        Kind = (await organizations.FindAsync(tenant.OrganizationId, HttpContext.RequestAborted))?.Kind ?? "";
        Members = await accounts.ListMembersAsync(tenant, HttpContext.RequestAborted);
    }
}
