using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Common;
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
public sealed class InvitationModel(InvitationStore invitations, AccountStore accounts) : PageModel, IRefusablePage
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty] public string? Code { get; set; }
    /// <summary>The account has MFA: signing in here to accept asks for the code too.</summary>
    public bool NeedsCode { get; private set; }
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

    public async Task<IActionResult> OnPostAcceptAsync()
    {
        if (!SignedIn) throw new ForbiddenException("sign in with the invited email first");
        var membership = await invitations.AcceptAsync(User.UserId(), InvitationKey.Token(Token), HttpContext.RequestAborted);
        await OrganizationSwitch.SwitchAsync(HttpContext, membership);
        return Redirect("/?joined=" + membership.OrganizationId);
    }

    /// <summary>
    /// Signs in as the invited email and accepts in one step. It also serves someone who belongs to no organization any more (removed,
    /// then invited again): the sign-in page cannot start a session for them, because a session acts for an organization.
    /// </summary>
    public async Task<IActionResult> OnPostSignInAsync()
    {
        if (SignedIn) throw new ForbiddenException("you are signed in already");
        var invitation = await invitations.FindByTokenAsync(Token, HttpContext.RequestAborted) ?? throw new NotFoundException("no such invitation; the link may be incomplete");
        var from = CookieSessions.ClientAddress(HttpContext);
        var result = await accounts.PasswordSignInAsync(invitation.Email, Password, from, HttpContext.RequestAborted);
        var method = "pwd";
        if (result.Outcome == SignInOutcome.NeedsSecondFactor)
        {
            if (string.IsNullOrWhiteSpace(Code))
            {
                await LoadAsync();
                NeedsCode = true;
                Error = "Your account has multi-factor sign-in: enter your password again with the code from your authenticator app.";
                return Page();
            }
            result = await accounts.SecondFactorSignInAsync(result.User!.Id, Code, from, HttpContext.RequestAborted);
            method = "mfa";
        }
        if (result.Outcome == SignInOutcome.LockedOut)
            throw new ForbiddenException($"too many failed sign-ins for this email from your network; wait until {result.LockedUntil:HH:mm:ss} UTC and try again, or reset your password");
        if (result.Outcome != SignInOutcome.Succeeded)
        {
            await LoadAsync();
            NeedsCode = method == "mfa";
            Error = "The password" + (NeedsCode ? " or the code" : "") + " is not right.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var membership = await invitations.AcceptAsync(result.User!.Id, InvitationKey.Token(Token), HttpContext.RequestAborted);
        var user = await accounts.FindUserAsync(result.User.Id, HttpContext.RequestAborted) ?? throw new NotFoundException("no such user");
        await CookieSessions.SignInAsync(HttpContext, user, method, membership.OrganizationId);
        return Redirect("/?joined=" + membership.OrganizationId);
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        if (SignedIn) throw new ForbiddenException("you are signed in already; sign out to create another account");
        var (userId, membership) = await invitations.CreateAccountAndAcceptAsync(Token, Password, DisplayName, HttpContext.RequestAborted);
        var user = await accounts.FindUserAsync(userId, HttpContext.RequestAborted) ?? throw new NotFoundException("no such user");
        await CookieSessions.SignInAsync(HttpContext, user, "pwd", membership.OrganizationId);
        return Redirect("/settings/security?welcome=1");
    }

    public async Task<IActionResult> OnPostDeclineAsync()
    {
        await invitations.DeclineAsync(SignedIn ? User.UserId() : null, InvitationKey.Token(Token), HttpContext.RequestAborted);
        await LoadAsync();
        Message = $"You declined the invitation to {Invitation?.OrganizationName}. Nothing changed for your account.";
        return Page();
    }

    // The person on an invitation link reads why it cannot be used (expired, for another email, locked out until…) beside the invitation.
    bool IRefusablePage.ShowsNotFoundAndForbidden => true;

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return this.ShowAsync(refusal, LoadAsync);
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
