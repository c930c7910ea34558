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

    // Who may reset whom is the use case's to decide: anyone but an owner is refused (403), a member of another organization is not found.
    public async Task OnGetAsync() => Member = await accounts.MemberToResetAsync(User.Tenant(), MemberId, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        var ticket = await accounts.IssuePasswordResetAsync(User.Tenant(), MemberId, HttpContext.RequestAborted);
        Member = await accounts.MemberToResetAsync(User.Tenant(), MemberId, HttpContext.RequestAborted);
        Link = mail.Link("/account/reset-password?token=" + Uri.EscapeDataString(ticket.Token));
        ExpiresAt = ticket.ExpiresAt;
        return Page();
    }
}
