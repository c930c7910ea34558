using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Assessments;

/// <summary>Two assessments side by side: score, counts, CMMC status, and every requirement whose status differs.</summary>
public sealed class DiffModel(AssessmentStore store) : PageModel
{
    /// <summary>A requirement whose status differs.</summary>
    public sealed record Change(string Id, string Left, string Right, int Points);

    public Guid Id { get; private set; }
    public StoredAssessment Left { get; private set; } = null!;
    public StoredAssessment? Right { get; private set; }
    public ScoreReport LeftReport { get; private set; } = null!;
    public ScoreReport? RightReport { get; private set; }
    public IReadOnlyList<StoredAssessment> Others { get; private set; } = [];
    public IReadOnlyList<Change> Changes { get; private set; } = [];

    public async Task OnGetAsync(Guid id, Guid? other)
    {
        var tenant = User.Tenant();
        Id = id;
        Left = await store.GetAsync(tenant, id, HttpContext.RequestAborted);
        LeftReport = ScoreAssessment.Score(Left.Assessment);
        Others = (await store.LoadManyAsync(tenant, 0, 200, cancellationToken: HttpContext.RequestAborted)).Where(a => a.Id != id)
            .OrderByDescending(a => a.Assessment.Organization == Left.Assessment.Organization).ThenByDescending(a => a.Assessment.AssessedOn).ToArray();
        if (other is { } otherId)
        {
            Right = await store.GetAsync(tenant, otherId, HttpContext.RequestAborted);
        }
        else Right = Others.FirstOrDefault();
        if (Right is null) return;
        RightReport = ScoreAssessment.Score(Right.Assessment);
        var catalog = CatalogSet.Get(Left.Assessment.Framework);
        Changes = LeftReport.Requirements
            .Where(p => RightReport.Requirements.TryGetValue(p.Key, out var r) && r != p.Value)
            .Select(p => new Change(p.Key, p.Value, RightReport.Requirements[p.Key], catalog.Find(p.Key)?.Points ?? 0))
            .OrderBy(c => c.Id, RequirementIdComparer.Instance).ToArray();
    }
}
