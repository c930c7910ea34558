using Custodes.Application.Letters;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>
/// Revoking a letter, confirmed first: a revocation is public and cannot be undone, so the page names the letter, its subject and the customers
/// whose scores will drop (the same recompute the revocation runs, previewed), and takes the public reason.
/// </summary>
public sealed class RevokeModel(LetterStore letters, LetterChanges changes, RevokeLetter revoke) : PageModel, IRefusablePage
{
    public LetterSummary Letter { get; private set; } = null!;
    public RevocationImpact Impact { get; private set; } = new([]);
    /// <summary>What the revocation did, once done.</summary>
    public RevokedLetter? Revoked { get; private set; }
    public string? Error { get; private set; }
    public string? Reason { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid letter)
    {
        await LoadAsync(letter);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid letter, string? reason)
    {
        await LoadAsync(letter);
        Reason = reason;
        Revoked = await revoke.HandleAsync(User.Tenant(), new RevokeLetterRequest(letter, reason ?? "", null), HttpContext.RequestAborted);
        return Page();
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Exception is BadInputException { Path: RevokeLetter.ReasonField }
            ? "Write the reason for revoking the letter: it is required, and it is shown publicly with the letter."
            : refusal.Exception is BadInputException bad ? bad.Describe() : refusal.Message;
        Reason = Request.Form["reason"];
        // The letter and its impact were read before the revocation was refused: the page shows them again, the reason kept for another try.
        return this.ShowAsync(refusal, () => Task.CompletedTask);
    }

    private async Task LoadAsync(Guid id)
    {
        var tenant = User.Tenant();
        Letter = await letters.ToRevokeAsync(tenant, id, HttpContext.RequestAborted);
        if (Letter.Status != LetterStatuses.Revoked) Impact = await changes.PreviewRevocationAsync(tenant, id, HttpContext.RequestAborted);
    }
}
