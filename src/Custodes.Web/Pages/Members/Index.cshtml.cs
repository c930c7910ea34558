using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Common;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Members;

/// <summary>The organization's members and roles; owners add members, change roles and remove members.</summary>
public sealed class IndexModel(AccountStore accounts, InvitationStore invitations, Accounts.InvitationMail mail, Application.Organizations.OrganizationStore organizations) : PageModel, IRefusablePage
{
    public IReadOnlyList<Member> Members { get; private set; } = [];
    public IReadOnlyList<Invitation> Invitations { get; private set; } = [];
    /// <summary>The new invitation's link, shown to the owner only when it could not be emailed.</summary>
    public string? Link { get; private set; }
    public string? MailProblem { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Kind { get; private set; } = "";
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    // The answer is the same whether or not the email has an account: the owner learns nothing about people outside the organization.
    public Task<IActionResult> OnPostInviteAsync(string email, string role) =>
        ChangeAsync(async t =>
        {
            var issued = await invitations.InviteAsync(t, email, role, HttpContext.RequestAborted);
            var sent = await mail.SendAsync(issued, User.Email(), Request, HttpContext.RequestAborted);
            (Link, MailProblem) = (sent.Link, sent.Problem);
            Message = sent.Emailed
                ? $"Invitation sent to {issued.Invitation.Email}. They become a member when they accept it."
                : $"Invitation created for {issued.Invitation.Email}. They become a member when they accept it.";
        });

    public Task<IActionResult> OnPostRevokeAsync(Guid invitation) =>
        ChangeAsync(async t =>
        {
            await invitations.RevokeAsync(t, invitation, HttpContext.RequestAborted);
            Message = "Invitation withdrawn; its link no longer works.";
        });

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
        await change(User.Tenant());
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
        OrganizationId = tenant.OrganizationId;
        Kind = (await organizations.FindAsync(tenant.OrganizationId, HttpContext.RequestAborted))?.Kind ?? "";
        Members = await accounts.ListMembersAsync(tenant, HttpContext.RequestAborted);
        if (Roles.CanAdminister(tenant.Role)) Invitations = await invitations.ListPendingAsync(tenant, HttpContext.RequestAborted);
    }
}
