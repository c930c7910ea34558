using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Assessments;
using Custodes.Assessments.Poam;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Web.Api;
using Custodes.Web.Charts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Assessments;

/// <summary>
/// The POA&amp;M board: every requirement not met (<see cref="PoamPlan"/>) by status, with the plan where one is written, the CMMC flags,
/// the closeout date and a burndown. Changing a plan starts from its current values; removing one asks first (a confirm step, no script needed).
/// </summary>
/// <summary>One option of the POA&amp;M page's requirement picker, labelled as shown.</summary>
public sealed record PoamCandidate(string Id, string Label);

public sealed class PoamModel(AssessmentStore store, TimeProvider clock) : PageModel, IRefusablePage
{
    public Guid Id { get; private set; }
    public Assessment Assessment { get; private set; } = null!;
    public Catalog Catalog { get; private set; } = null!;
    public ScoreReport Report { get; private set; } = null!;
    public PoamPlan Plan { get; private set; } = null!;
    public IReadOnlyList<PoamFlag> Flags => Plan.Flags;
    /// <summary>Requirements whose plan can be written or changed: every item of the POA&amp;M and every kept record.</summary>
    public IReadOnlyList<string> Candidates { get; private set; } = [];
    /// <summary>The requirement picker's options: each candidate with its status and whether a plan is written.</summary>
    public IReadOnlyList<PoamCandidate> CandidateOptions { get; private set; } = [];
    /// <summary>The board's items by POA&amp;M status (the columns).</summary>
    public ILookup<PoamStatus, PoamEntry> ItemsByStatus { get; private set; } = Array.Empty<PoamEntry>().ToLookup(i => i.Status);
    public DateOnly? Closeout { get; private set; }
    public string? BurndownSvg { get; private set; }
    public bool Editable { get; private set; }
    public int Version { get; private set; }
    public string? Error { get; private set; }
    public bool Saved { get; private set; }
    /// <summary>The requirement whose plan the form edits (<c>?edit=</c>), and its current plan to start from.</summary>
    public string? EditId { get; private set; }
    public PoamItem? EditItem { get; private set; }
    /// <summary>The requirement whose plan is about to be removed (<c>?remove=</c>): the page asks before doing it.</summary>
    public string? RemoveId { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, bool saved, string? edit, string? remove)
    {
        Saved = saved;
        await LoadAsync(id);
        if (edit is not null)
        {
            EditId = Catalog.Find(edit)?.Id ?? throw new NotFoundException($"{edit} is not a requirement of {Catalog.Framework}");
            EditItem = Assessment.Poam.FirstOrDefault(p => p.Id == EditId);
        }
        if (remove is not null)
        {
            RemoveId = Assessment.Poam.FirstOrDefault(p => p.Id == Catalog.Find(remove)?.Id)?.Id
                ?? throw new NotFoundException($"no written plan for {remove}");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSetAsync(Guid id, int version, string requirement, string? status, DateOnly? planned, DateOnly? completed, string? owner, string? milestones, string? note)
    {
        var item = new PoamItem
        {
            Id = requirement,
            Status = PoamApi.ParseStatus(status),
            PlannedCompletion = planned,
            CompletedOn = completed,
            Owner = string.IsNullOrWhiteSpace(owner) ? null : owner.Trim(),
            Milestones = string.IsNullOrWhiteSpace(milestones) ? null : milestones.Trim(),
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        };
        return await ChangeAsync(id, () => store.SetPoamItemAsync(User.Tenant(), id, item, version, HttpContext.RequestAborted));
    }

    /// <summary>Moves an item to another column: only its status changes; the plan's dates, owner, milestones and note stay as they are.</summary>
    public async Task<IActionResult> OnPostMoveAsync(Guid id, int version, string requirement, string? status) =>
        await ChangeAsync(id, async () =>
        {
            var tenant = User.Tenant();
            var current = (await store.ReadAsync(tenant, id, HttpContext.RequestAborted)).Stored;
            var requirementId = CatalogSet.Get(current.Assessment.Framework).Find(requirement)?.Id ?? requirement;
            var existing = current.Assessment.Poam.FirstOrDefault(p => p.Id == requirementId) ?? new PoamItem { Id = requirementId };
            // The version the person saw guards the whole change: a plan edited meanwhile is refused, never overwritten.
            return await store.SetPoamItemAsync(tenant, id, existing with { Status = PoamApi.ParseStatus(status) }, version, HttpContext.RequestAborted);
        });

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, int version, string requirement) =>
        await ChangeAsync(id, () => store.RemovePoamItemAsync(User.Tenant(), id, requirement, version, HttpContext.RequestAborted));

    private async Task<IActionResult> ChangeAsync(Guid id, Func<Task<int>> change)
    {
        await change();
        return Redirect($"/assessments/{id}/poam?saved=true");
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Exception is PreconditionFailedException ? WorkspaceModel.StaleMessage : "Not saved: " + refusal.Message;
        return this.ShowAsync(refusal, () => LoadAsync(this.RouteId()));
    }

    private async Task LoadAsync(Guid id)
    {
        var tenant = User.Tenant();
        var readable = await store.ReadAsync(tenant, id, HttpContext.RequestAborted);
        Id = id;
        Assessment = readable.Stored.Assessment;
        Version = readable.Stored.Version;
        Editable = readable.CanEdit;
        Catalog = CatalogSet.Get(Assessment.Framework);
        var resolution = Resolution.Resolve(Assessment);
        Report = ScoreAssessment.Score(resolution, Assessment.Ssp, Assessment.AssessedOn);
        Plan = PoamPlan.Of(Assessment, resolution);
        Candidates = Plan.Items.Select(i => i.Id).Concat(Plan.Records.Select(r => r.Id)).OrderBy(r => Catalog.OrdinalOf(r)).ToArray();
        var written = Assessment.Poam.Select(p => p.Id).ToHashSet();
        CandidateOptions = Candidates.Select(r => new PoamCandidate(r, $"{r} ({ScorePanel.Label(Report.Requirements[r])}){(written.Contains(r) ? " · plan written" : "")}")).ToArray();
        ItemsByStatus = Plan.Items.ToLookup(i => i.Status);
        Closeout = Plan.CloseoutDue;
        if (Assessment.AssessedOn is { } start && Closeout is { } end && Plan.Items.Count > 0)
            BurndownSvg = Svg.Burndown(Plan.Items.Select(i => i.Plan ?? new PoamItem { Id = i.Id }).ToArray(), start, end, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), "burndown");
    }
}
