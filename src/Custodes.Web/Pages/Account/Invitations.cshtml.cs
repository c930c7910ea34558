using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Common;
using Custodes.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Account;

/// <summary>Invitations waiting for the signed-in person's answer (addressed to their email); accepting one switches to that organization.</summary>
public sealed class InvitationsModel(InvitationStore invitations) : PageModel
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
        try
        {
            var membership = await invitations.AcceptAsync(User.UserId(), InvitationKey.ById(id), HttpContext.RequestAborted);
            await OrganizationSwitch.SwitchAsync(HttpContext, membership);
            return Redirect("/?joined=" + membership.OrganizationId);
        }
        catch (Exception e) when (e is NotFoundException or ConflictException or ForbiddenException)
        {
            return await FailAsync(e);
        }
    }

    public async Task<IActionResult> OnPostDeclineAsync(Guid id)
    {
        if (!User.HasSession()) return Redirect("/account/sign-in");
        try
        {
            await invitations.DeclineAsync(User.UserId(), InvitationKey.ById(id), HttpContext.RequestAborted);
            Message = "Invitation declined.";
        }
        catch (Exception e) when (e is NotFoundException or ConflictException or ForbiddenException)
        {
            return await FailAsync(e);
        }
        Pending = await invitations.PendingForUserAsync(User.UserId(), HttpContext.RequestAborted);
        return Page();
    }

    private async Task<IActionResult> FailAsync(Exception e)
    {
        Error = e.Message;
        Response.StatusCode = e is ConflictException ? StatusCodes.Status409Conflict : StatusCodes.Status404NotFound;
        Pending = await invitations.PendingForUserAsync(User.UserId(), HttpContext.RequestAborted);
        return Page();
    }
}
