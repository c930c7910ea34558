using Custodes.Common;
using Custodes.Storage.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace Custodes.Web.Pages.Settings;

/// <summary>TOTP enrolment (QR code drawn on the server as SVG), confirmation with a code, ten recovery codes shown once, and turning it off.</summary>
public sealed class SecurityModel(AccountStore accounts) : PageModel
{
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
        try
        {
            await accounts.BeginMfaEnrolmentAsync(User.UserId(), HttpContext.RequestAborted);
        }
        catch (BadInputException e)
        {
            Error = e.Message;
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(string code)
    {
        try
        {
            RecoveryCodes = await accounts.ConfirmMfaAsync(User.UserId(), code ?? "", Organization(), HttpContext.RequestAborted);
            Message = "Multi-factor sign-in is on. From now on, signing in asks for a code from your app.";
        }
        catch (BadInputException e)
        {
            Error = e.Message;
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(string code)
    {
        try
        {
            await accounts.DisableMfaAsync(User.UserId(), code ?? "", Organization(), HttpContext.RequestAborted);
            Message = "Multi-factor sign-in is off.";
        }
        catch (BadInputException e)
        {
            Error = e.Message;
        }
        await LoadAsync();
        return Page();
    }

    private Guid? Organization() => Guid.TryParse(User.FindFirst(Api.ApiKeyAuthentication.OrganizationClaim)?.Value, out var id) ? id : null;

    private async Task LoadAsync()
    {
        var user = await accounts.FindUserAsync(User.UserId(), HttpContext.RequestAborted) ?? throw new Storage.NotFoundException("no such user");
        MfaEnabled = user.MfaEnabled;
        RecoveryCodesLeft = MfaEnabled ? await accounts.RecoveryCodesLeftAsync(user.Id, HttpContext.RequestAborted) : 0;
        PendingSecret = MfaEnabled ? null : await accounts.PendingMfaSecretAsync(user.Id, HttpContext.RequestAborted);
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
