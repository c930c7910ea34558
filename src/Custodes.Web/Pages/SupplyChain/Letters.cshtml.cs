using Custodes.Common;
using Custodes.Storage.Database;
using Custodes.Storage.Letters;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Letters the organization issued, and revoking one: the customers inheriting from the attested organization are recomputed and notified.</summary>
public sealed class LettersModel(LetterStore letters, RevokeLetter revoke, Storage.Installation installation) : PageModel
{
    public IReadOnlyList<LetterRow> Issued { get; private set; } = [];
    /// <summary>For each letter in force issued from a stored assessment: how that assessment has changed since (the letter still covers what it attested).</summary>
    public IReadOnlyDictionary<Guid, AttestedAssessmentDrift> Drift { get; private set; } = new Dictionary<Guid, AttestedAssessmentDrift>();
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync()
    {
        Issued = await letters.ListAsync(User.Tenant().OrganizationId, cancellationToken: HttpContext.RequestAborted);
        var drift = new Dictionary<Guid, AttestedAssessmentDrift>();
        foreach (var letter in Issued.Where(l => l.Status != LetterStatuses.Revoked && l.ValidUntil >= DateTime.UtcNow))
            if (await AttestedAssessment.DriftAsync(installation, letter, HttpContext.RequestAborted) is { } d) drift[letter.Id] = d;
        Drift = drift;
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid letter, string? reason)
    {
        var tenant = User.Tenant();
        if (!User.IsOwner() && User.Role() != Storage.Roles.Assessor) throw new Storage.ForbiddenException("only an owner or assessor of the issuing firm revokes its letters");
        var row = await letters.FindAsync(letter, HttpContext.RequestAborted);
        if (row is null || row.IssuerOrganizationId != tenant.OrganizationId) throw new Storage.NotFoundException($"no letter {letter} issued by your organization");
        try
        {
            var revoked = await revoke.HandleAsync(new RevokeLetterRequest(letter, reason ?? "", null, tenant.Actor), HttpContext.RequestAborted);
            Message = $"Letter {letter} revoked (log entry {revoked.RevocationIndex}). " + (revoked.Dependents is { } d
                ? $"{d.Notices} customer organization(s) inheriting from it were recomputed and notified."
                : $"Dependent customers were not recomputed yet ({revoked.DependentsError}); the periodic check retries.");
        }
        catch (BadInputException e)
        {
            Error = e.Describe();
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await OnGetAsync();
        return Page();
    }
}
