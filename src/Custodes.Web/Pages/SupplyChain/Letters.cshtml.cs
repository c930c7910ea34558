using Custodes.Application.Letters;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Letters the organization issued, how their assessments changed since, and the way to revoke one (<see cref="RevokeModel"/>).</summary>
public sealed class LettersModel(LetterStore letters, Application.Watch.PostureDrifts drifts, TimeProvider clock) : PageModel
{
    /// <summary>Now, by the one clock: whether a letter is in force, and the days left to a closeout.</summary>
    public DateTime Now { get; private set; }

    public IReadOnlyList<LetterSummary> Issued { get; private set; } = [];
    /// <summary>For each letter in force issued from a stored assessment: how that assessment has changed since (the letter still covers what it attested).</summary>
    public IReadOnlyDictionary<Guid, AttestedAssessmentDrift> Drift { get; private set; } = new Dictionary<Guid, AttestedAssessmentDrift>();

    /// <summary>For each letter in force whose organization has a critical watch alert unresolved for more than a day: that posture drift.</summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<Application.Watch.PostureDriftAlert>> PostureDrift { get; private set; } =
        new Dictionary<Guid, IReadOnlyList<Application.Watch.PostureDriftAlert>>();

    /// <summary>Whether the reader may revoke (the use case decides; the page only does not offer what would be refused).</summary>
    public bool CanRevoke { get; private set; }

    public async Task OnGetAsync()
    {
        Now = clock.GetUtcNow().UtcDateTime;
        var issued = await letters.IssuedByAsync(User.Tenant(), cancellationToken: HttpContext.RequestAborted);
        (Issued, Drift, CanRevoke) = (issued.Letters, issued.Drift, issued.CanRevoke);
        PostureDrift = await drifts.ForIssuedLettersAsync(User.Tenant(), HttpContext.RequestAborted);
    }
}
