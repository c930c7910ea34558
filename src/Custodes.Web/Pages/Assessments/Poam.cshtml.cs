using Custodes.Assessment;
using Custodes.Assessment.Poam;
using Custodes.Assessment.Scoring;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Storage;
using Custodes.Storage.Assessments;
using Custodes.Web.Api;
using Custodes.Web.Charts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Assessments;

/// <summary>The POA&amp;M board: items by status with dates, the CMMC flags of <see cref="PoamRules.Review"/>, the closeout date and a burndown.</summary>
public sealed class PoamModel(AssessmentStore store, TimeProvider clock) : PageModel
{
    public Guid Id { get; private set; }
    public Assessment.Assessment Assessment { get; private set; } = null!;
    public Catalog Catalog { get; private set; } = null!;
    public ScoreReport Report { get; private set; } = null!;
    public IReadOnlyList<PoamFlag> Flags { get; private set; } = [];
    public IReadOnlyList<string> Candidates { get; private set; } = [];
    public DateOnly? Closeout { get; private set; }
    public string? BurndownSvg { get; private set; }
    public bool Editable { get; private set; }
    public int Version { get; private set; }
    public string? Error { get; private set; }
    public bool Saved { get; private set; }

    public async Task OnGetAsync(Guid id, bool saved)
    {
        Saved = saved;
        await LoadAsync(id);
    }

    public async Task<IActionResult> OnPostSetAsync(Guid id, int version, string requirement, string? status, DateOnly? planned, DateOnly? completed, string? owner, string? milestones)
    {
        var item = new PoamItem
        {
            Id = requirement,
            Status = PoamApi.ParseStatus(status),
            PlannedCompletion = planned,
            CompletedOn = completed,
            Owner = string.IsNullOrWhiteSpace(owner) ? null : owner.Trim(),
            Milestones = string.IsNullOrWhiteSpace(milestones) ? null : milestones.Trim(),
        };
        return await ChangeAsync(id, () => store.SetPoamItemAsync(User.Tenant(), id, item, version, HttpContext.RequestAborted));
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, int version, string requirement) =>
        await ChangeAsync(id, () => store.RemovePoamItemAsync(User.Tenant(), id, requirement, version, HttpContext.RequestAborted));

    private async Task<IActionResult> ChangeAsync(Guid id, Func<Task<int>> change)
    {
        try
        {
            await change();
            return Redirect($"/assessments/{id}/poam?saved=true");
        }
        catch (ConcurrencyConflictException)
        {
            Error = WorkspaceModel.StaleMessage;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        catch (BadInputException e)
        {
            Error = "Not saved: " + e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await LoadAsync(id);
        return Page();
    }

    private async Task LoadAsync(Guid id)
    {
        var tenant = User.Tenant();
        var readable = await store.ReadAsync(tenant, id, HttpContext.RequestAborted);
        Id = id;
        Assessment = readable.Stored.Assessment;
        Version = readable.Stored.Version;
        Editable = readable.Owned && Roles.CanEdit(tenant.Role);
        Catalog = CatalogSet.Get(Assessment.Framework);
        var resolution = Resolution.Resolve(Assessment);
        Report = ScoreAssessment.Score(resolution, Assessment.Ssp, Assessment.AssessedOn);
        Flags = PoamRules.Review(Assessment, resolution);
        Candidates = Catalog.Requirements.Where(r => !resolution.StatusOf(r.Id).IsSatisfied() || Assessment.Poam.Any(p => p.Id == r.Id)).Select(r => r.Id).ToArray();
        Closeout = Assessment.AssessedOn is { } on ? PoamRules.CloseoutDue(on) : null;
        if (Assessment.AssessedOn is { } start && Closeout is { } end && Assessment.Poam.Count > 0)
            BurndownSvg = Svg.Burndown(Assessment.Poam, start, end, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), "burndown");
    }
}
