using Custodes.Common;
using Custodes.Storage;
using Custodes.Storage.Accounts;
using Custodes.Web.Accounts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Custodes.Web.Pages.Account;

/// <summary>
/// The emailed invitation link: the invitee, signed in with the invited email, accepts or declines; someone without an account yet
/// creates it here (the invited email, their own password) and joins in one step.
/// </summary>
[EnableRateLimiting(Extensions.SignInRateLimit)]
public sealed class InvitationModel(InvitationStore invitations, AccountStore accounts) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string Password { get; set; } = "";
    public Invitation? Invitation { get; private set; }
    public string? Error { get; private set; }
    public string? Message { get; private set; }
    public bool SignedIn => User.HasSession();
    public bool ForSignedInUser => SignedIn && Invitation is not null && string.Equals(User.Email(), Invitation.Email, StringComparison.OrdinalIgnoreCase);
    public string SignInLink => "/account/sign-in?returnUrl=" + Uri.EscapeDataString("/account/invitation?token=" + Token);

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostAcceptAsync() => AnswerAsync(async () =>
    {
        if (!SignedIn) throw new ForbiddenException("sign in with the invited email first");
        var membership = await invitations.AcceptAsync(User.UserId(), InvitationKey.Token(Token), HttpContext.RequestAborted);
        await OrganizationSwitch.SwitchAsync(HttpContext, membership);
        return Redirect("/?joined=" + membership.OrganizationId);
    });

    public Task<IActionResult> OnPostCreateAsync() => AnswerAsync(async () =>
    {
        if (SignedIn) throw new ForbiddenException("you are signed in already; sign out to create another account");
        var (userId, membership) = await invitations.CreateAccountAndAcceptAsync(Token, Password, DisplayName, HttpContext.RequestAborted);
        var user = await accounts.FindUserAsync(userId, HttpContext.RequestAborted) ?? throw new NotFoundException("no such user");
        await CookieSessions.SignInAsync(HttpContext, user, "pwd", membership.OrganizationId);
        return Redirect("/settings/security?welcome=1");
    });

    public Task<IActionResult> OnPostDeclineAsync() => AnswerAsync(async () =>
    {
        await invitations.DeclineAsync(SignedIn ? User.UserId() : null, InvitationKey.Token(Token), HttpContext.RequestAborted);
        await LoadAsync();
        Message = $"You declined the invitation to {Invitation?.OrganizationName}. Nothing changed for your account.";
        return Page();
    });

    private async Task<IActionResult> AnswerAsync(Func<Task<IActionResult>> answer)
    {
        try
        {
            return await answer();
        }
        catch (Exception e) when (e is BadInputException or ForbiddenException or NotFoundException or StateConflictException)
        {
            Error = e.Message;
            Response.StatusCode = e switch
            {
                BadInputException => StatusCodes.Status400BadRequest,
                ForbiddenException => StatusCodes.Status403Forbidden,
                NotFoundException => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status409Conflict,
            };
            await LoadAsync();
            return Page();
        }
    }

    private async Task LoadAsync()
    {
        Invitation = await invitations.FindByTokenAsync(Token, HttpContext.RequestAborted);
        if (Invitation is null && Error is null)
        {
            Error = "This invitation link is not valid. Check that you opened the whole link from the email, or ask for a new invitation.";
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
