using Custodes.Application.Database;
using Custodes.Application.Letters;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Letters the organization issued, how their assessments changed since, and the way to revoke one (<see cref="RevokeModel"/>).</summary>
public sealed class LettersModel(LetterStore letters, Application.Installation installation, TimeProvider clock) : PageModel
{
    public DateTime Now { get; private set; }

    public IReadOnlyList<LetterRow> Issued { get; private set; } = [];
    /// <summary>For each letter in force issued from a stored assessment: how that assessment has changed since (the letter still covers what it attested).</summary>
    public IReadOnlyDictionary<Guid, AttestedAssessmentDrift> Drift { get; private set; } = new Dictionary<Guid, AttestedAssessmentDrift>();

    public async Task OnGetAsync()
    {
        Now = clock.GetUtcNow().UtcDateTime;
        Issued = await letters.ListAsync(User.Tenant().OrganizationId, cancellationToken: HttpContext.RequestAborted);
        var drift = new Dictionary<Guid, AttestedAssessmentDrift>();
        foreach (var letter in Issued.Where(l => l.Status != LetterStatuses.Revoked && !LetterStore.IsExpiredAt(l, Now)))
            if (await AttestedAssessment.DriftAsync(installation, letter, HttpContext.RequestAborted) is { } d) drift[letter.Id] = d;
        Drift = drift;
    }
}
