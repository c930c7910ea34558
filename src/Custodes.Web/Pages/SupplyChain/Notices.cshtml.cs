using Custodes.Application.SupplyChain;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Supply-chain notices: what providers' letter revocations and expiries did to the organization's score and CMMC status.</summary>
public sealed class NoticesModel(LetterChanges changes, StaleQuestionnaires stale) : PageModel
{
    /// <summary>A signed questionnaire out of date because of a notice's provider, and the answers that provider's change affects.</summary>
    public sealed record StaleLine(OutOfDate Questionnaire, IReadOnlyList<string> Answers);

    public IReadOnlyList<SupplyChainNotice> Notices { get; private set; } = [];

    /// <summary>For each notice: the signed questionnaires now out of date because of that provider's letter, score or coverage.</summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<StaleLine>> Questionnaires { get; private set; } = new Dictionary<Guid, IReadOnlyList<StaleLine>>();

    public async Task OnGetAsync()
    {
        Notices = await changes.ListAsync(User.Tenant(), 200, HttpContext.RequestAborted);
        if (Notices.Count == 0) return;
        var outOfDate = await stale.ListAsync(User.Tenant(), HttpContext.RequestAborted);
        var lines = new Dictionary<Guid, IReadOnlyList<StaleLine>>();
        foreach (var n in Notices)
        {
            var letter = n.LetterId.ToString();
            // The provider's id may differ between the portfolio that raised the notice and the practice's own: the letter id does not.
            lines[n.Id] = outOfDate.Select(q => new StaleLine(q, q.Changes
                    .Where(c => c.Subject == n.Provider || c.Subject == letter || c.Before.StartsWith(letter, StringComparison.OrdinalIgnoreCase))
                    .SelectMany(c => c.Questions).Distinct().Select(id => q.Questions.GetValueOrDefault(id) ?? id).ToArray()))
                .Where(l => l.Answers.Count > 0).ToArray();
        }
        Questionnaires = lines;
    }
}
