using Custodes.Application.Accounts;
using Custodes.Common;
using Custodes.Web.Accounts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace Custodes.Web.Pages.Settings;

/// <summary>
/// TOTP enrolment (QR code drawn on the server as SVG), confirmation with a code, ten recovery codes shown once, and turning it off;
/// changing the password; the open sessions, each of which can be ended, and "sign out everywhere else".
/// </summary>
public sealed class SecurityModel(AccountStore accounts, BeginMfaEnrolment beginMfa, ConfirmMfa confirmMfa, DisableMfa disableMfa, ReadMfaStatus mfaStatus, WebOptions web)
    : PageModel, IRefusablePage
{
    public IReadOnlyList<SessionInfo> Sessions { get; private set; } = [];
    public bool HasPassword { get; private set; }
    public string? UserEmail { get; private set; }
    public bool MustChangePassword => User.HasClaim(c => c.Type == CookieSessions.MustChangePasswordClaim);
    public bool MfaEnabled { get; private set; }
    public string? PendingSecret { get; private set; }
    public string? QrDataUri { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    [BindProperty(SupportsGet = true)] public bool Welcome { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostBeginAsync()
    {
        await beginMfa.HandleAsync(User.UserId(), HttpContext.RequestAborted);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(string code)
    {
        RecoveryCodes = await confirmMfa.HandleAsync(new ConfirmMfaRequest(User.UserId(), code ?? "", Organization()), HttpContext.RequestAborted);
        // Sessions signed in without the second factor end: from now on every session has passed it.
        var ended = await accounts.EndOtherSessionsAsync(User.UserId(), CookieSessions.CurrentSession(User), "mfa-changed", Organization(), HttpContext.RequestAborted);
        Message = "Multi-factor sign-in is on. From now on, signing in asks for a code from your app." + Ended(ended);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string code)
    {
        await disableMfa.HandleAsync(new DisableMfaRequest(User.UserId(), code ?? "", Organization()), HttpContext.RequestAborted);
        var ended = await accounts.EndOtherSessionsAsync(User.UserId(), CookieSessions.CurrentSession(User), "mfa-changed", Organization(), HttpContext.RequestAborted);
        Message = "Multi-factor sign-in is off." + Ended(ended);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync(string current, string password, string confirm)
    {
        if (password != confirm) throw new BadInputException("the two new passwords are not the same", path: "confirm");
        await accounts.ChangePasswordAsync(User.UserId(), current ?? "", password ?? "", CookieSessions.CurrentSession(User), Organization(), HttpContext.RequestAborted);
        // A new session id for this browser too (and without the "must change" mark).
        var user = await accounts.FindUserAsync(User.UserId(), HttpContext.RequestAborted) ?? throw new NotFoundException("no such user");
        await CookieSessions.SignInAsync(HttpContext, user, User.FindFirst(CookieSessions.MethodClaim)?.Value ?? "pwd", Organization());
        return Redirect("/settings/security?changed=true");
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return this.ShowAsync(refusal, LoadAsync);
    }

    public async Task<IActionResult> OnPostEndSessionAsync(Guid session)
    {
        if (session == CookieSessions.CurrentSession(User))
        {
            await CookieSessions.SignOutAsync(HttpContext);
            return Redirect("/account/sign-in");
        }
        await accounts.EndSessionAsync(User.UserId(), session, "ended-by-user", Organization(), HttpContext.RequestAborted);
        Message = "That session has ended; the device there must sign in again.";
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        var ended = await accounts.EndOtherSessionsAsync(User.UserId(), CookieSessions.CurrentSession(User), "ended-by-user", Organization(), HttpContext.RequestAborted);
        Message = ended == 0 ? "You were not signed in anywhere else." : $"Signed out everywhere else ({ended} {(ended == 1 ? "session" : "sessions")} ended).";
        await LoadAsync();
        return Page();
    }

    [BindProperty(SupportsGet = true)] public bool Changed { get; set; }

    /// <summary>"Chrome on Windows" from a User-Agent header: enough for a person to recognise their own devices.</summary>
    public static string Device(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "Unknown device";
        static bool Has(string ua, string part) => ua.Contains(part, StringComparison.OrdinalIgnoreCase);
        var browser = Has(userAgent, "Edg/") ? "Edge" : Has(userAgent, "OPR/") ? "Opera" : Has(userAgent, "Firefox/") ? "Firefox"
            : Has(userAgent, "Chrome/") || Has(userAgent, "Chromium/") ? "Chrome" : Has(userAgent, "Safari/") ? "Safari"
            : Has(userAgent, "curl/") ? "curl" : userAgent.Split('/', ' ')[0];
        var system = Has(userAgent, "Windows") ? "Windows" : Has(userAgent, "iPhone") || Has(userAgent, "iPad") ? "iOS" : Has(userAgent, "Android") ? "Android"
            : Has(userAgent, "Mac OS X") ? "macOS" : Has(userAgent, "CrOS") ? "ChromeOS" : Has(userAgent, "Linux") ? "Linux" : null;
        return system is null ? browser : $"{browser} on {system}";
    }

    private static string Ended(int count) => count == 0 ? "" : $" Your {count} other {(count == 1 ? "session has" : "sessions have")} been signed out.";

    private Guid? Organization() => Guid.TryParse(User.FindFirst(Api.ApiKeyAuthentication.OrganizationClaim)?.Value, out var id) ? id : null;

    private async Task LoadAsync()
    {
        var user = await accounts.FindUserAsync(User.UserId(), HttpContext.RequestAborted) ?? throw new NotFoundException("no such user");
        if (Changed && Message is null && Error is null) Message = "Your password is changed. Every other session has been signed out.";
        HasPassword = user.HasPassword;
        UserEmail = user.Email;
        Sessions = await accounts.ListSessionsAsync(user.Id, CookieSessions.CurrentSession(User), web.IdleTimeout, HttpContext.RequestAborted);
        MfaEnabled = user.MfaEnabled;
        var mfa = await mfaStatus.HandleAsync(user.Id, HttpContext.RequestAborted);
        RecoveryCodesLeft = MfaEnabled ? mfa.RecoveryCodesLeft : 0;
        PendingSecret = MfaEnabled ? null : mfa.PendingSecret;
        if (PendingSecret is not null) QrDataUri = QrSvg(Totp.Uri("Custodes", user.Email, PendingSecret));
    }

    // Drawn on the server as SVG and embedded as an image, so no script and no inline style is needed (CSP).
    internal static string QrSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));
    }
}
