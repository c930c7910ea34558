using Custodes.Application.Accounts;
using Custodes.Web.Accounts;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Members;

/// <summary>An owner resets a member's password: asks first, then ends the member's sessions and shows a one-time link to hand over.</summary>
public sealed class ResetPasswordModel(AccountStore accounts, AccountMail mail) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")] public Guid MemberId { get; set; }
    public Member? Member { get; private set; }
    public string? Link { get; private set; }
    public DateTime? ExpiresAt { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!User.IsOwner()) return Forbid();
        Member = (await accounts.ListMembersAsync(User.Tenant(), HttpContext.RequestAborted)).FirstOrDefault(m => m.UserId == MemberId);
        return Member is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var ticket = await accounts.IssuePasswordResetAsync(User.Tenant(), MemberId, HttpContext.RequestAborted);
        Member = (await accounts.ListMembersAsync(User.Tenant(), HttpContext.RequestAborted)).FirstOrDefault(m => m.UserId == MemberId);
        Link = mail.Link("/account/reset-password?token=" + Uri.EscapeDataString(ticket.Token));
        ExpiresAt = ticket.ExpiresAt;
        return Page();
    }
}
