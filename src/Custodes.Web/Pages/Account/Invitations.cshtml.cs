using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Common;
using Custodes.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Account;

/// <summary>Invitations waiting for the signed-in person's answer (addressed to their email); accepting one switches to that organization.</summary>
public sealed class InvitationsModel(InvitationStore invitations) : PageModel, IRefusablePage
{
    public IReadOnlyList<Invitation> Pending { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!User.HasSession()) return Redirect("/account/sign-in?returnUrl=%2Faccount%2Finvitations");
        Pending = await invitations.PendingForUserAsync(User.UserId(), HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostAcceptAsync(Guid id)
    {
        if (!User.HasSession()) return Redirect("/account/sign-in");
        var membership = await invitations.AcceptAsync(User.UserId(), InvitationKey.ById(id), HttpContext.RequestAborted);
        await OrganizationSwitch.SwitchAsync(HttpContext, membership);
        return Redirect("/?joined=" + membership.OrganizationId);
    }

    public async Task<IActionResult> OnPostDeclineAsync(Guid id)
    {
        if (!User.HasSession()) return Redirect("/account/sign-in");
        await invitations.DeclineAsync(User.UserId(), InvitationKey.ById(id), HttpContext.RequestAborted);
        Message = "Invitation declined.";
        Pending = await invitations.PendingForUserAsync(User.UserId(), HttpContext.RequestAborted);
        return Page();
    }

    // An invitation that cannot be answered (withdrawn, expired, for another email) is explained beside the others still waiting;
    // "for another email" answers 404 like a missing one, so the page does not tell whether it exists.
    bool IRefusablePage.ShowsNotFoundAndForbidden => true;

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        var status = refusal.Exception is ForbiddenException ? StatusCodes.Status404NotFound : refusal.Status;
        return this.ShowAsync(refusal with { Status = status }, async () => Pending = await invitations.PendingForUserAsync(User.UserId(), HttpContext.RequestAborted));
    }
}
