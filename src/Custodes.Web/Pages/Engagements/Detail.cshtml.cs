using Custodes.Application.Accounts;
using Custodes.Application.Assessments;
using Custodes.Application.Engagements;
using Custodes.Common;
using Custodes.Web.Api;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Engagements;

/// <summary>
/// One engagement, the workspace both sides see: where it stands, who assesses, the firm's assessment (read-only to the organization) and
/// the letter; the actions the signed-in person may take at this stage (accept or decline, link the assessment, move on, review, issue).
/// </summary>
public sealed class DetailModel(EngagementQueries queries, AcceptEngagement accept, DeclineEngagement decline, AdvanceEngagement advance, SignOffQuality qa,
    IssueEngagementLetter issue, AccountStore accounts, AssessmentStore assessments, EngagementMaterials materials, WebOptions web) : PageModel, IRefusablePage
{
    public Engagement Engagement { get; private set; } = null!;
    /// <summary>The firm's members who may join the team (the firm's side only).</summary>
    public IReadOnlyList<Member> Members { get; private set; } = [];
    /// <summary>The firm's assessments of the engagement's framework, to link (the firm's side only).</summary>
    public IReadOnlyList<AssessmentSummary> Assessments { get; private set; } = [];
    /// <summary>The organization's submission (self-assessment and evidence), read by both sides.</summary>
    public EngagementSubmission Submission { get; private set; } = null!;
    /// <summary>The organization's own assessments of the engagement's framework, to submit as its self-assessment (the organization's side only).</summary>
    public IReadOnlyList<AssessmentSummary> OwnAssessments { get; private set; } = [];
    public bool IsLead { get; private set; }
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    public async Task OnGetAsync(Guid id) => await LoadAsync(id);

    public Task<IActionResult> OnPostAcceptAsync(Guid id, List<Guid> assessors, bool noOwnership, bool notDesigned, bool feeNotContingent, bool c3paoRules, string? c3paoId) =>
        ActAsync(id, "You accepted the engagement and lead it.", () => accept.HandleAsync(User.Tenant(), id, new EngagementAcceptance
        {
            Assessors = assessors, NoOwnershipInterest = noOwnership, DidNotDesignImplementOrOperate = notDesigned, FeeNotContingent = feeNotContingent, C3paoRules = c3paoRules, C3paoId = c3paoId,
        }, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostDeclineAsync(Guid id, string? reason, string? note) =>
        ActAsync(id, "You declined the request; the organization sees your reason.", () => decline.HandleAsync(User.Tenant(), id, reason, note, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostWithdrawAsync(Guid id) =>
        ActAsync(id, "You withdrew the request.", () => advance.WithdrawAsync(User.Tenant(), id, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostLinkAsync(Guid id, Guid assessment) =>
        ActAsync(id, "The assessment is linked and shared with the organization, read-only.", () => advance.LinkAssessmentAsync(User.Tenant(), id, assessment, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostEvidenceAsync(Guid id, IFormFile? file, string? name) =>
        ActAsync(id, "The file is submitted; the firm can read it.", async () =>
        {
            if (file is null || file.Length == 0) throw new BadInputException("choose a file to submit", path: "file");
            if (file.Length > web.EvidenceMaxBytes) throw new BadInputException($"the file is larger than the evidence limit of {EvidenceUpload.Describe(web.EvidenceMaxBytes)}; split it", path: "file");
            await using var content = file.OpenReadStream();
            await materials.UploadEvidenceAsync(User.Tenant(), id, content, file.FileName, file.ContentType, name, HttpContext.RequestAborted);
        });

    public Task<IActionResult> OnPostDetachAsync(Guid id, Guid evidence) =>
        ActAsync(id, "The file is no longer submitted; it stays in your evidence.", () => materials.DetachEvidenceAsync(User.Tenant(), id, evidence, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostSelfAsync(Guid id, Guid assessment) =>
        ActAsync(id, "Your self-assessment is submitted; the firm can read it, not change it.", () => materials.SetSelfAssessmentAsync(User.Tenant(), id, assessment, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostSelfImportAsync(Guid id, IFormFile? file) =>
        ActAsync(id, "Your self-assessment is imported and submitted; the firm can read it, not change it.", async () =>
        {
            if (file is null || file.Length == 0) throw new BadInputException("choose the assessment file to submit", path: "file");
            if (file.Length > Custodes.Assessments.AssessmentFile.MaxBytes)
                throw new BadInputException($"the file is {file.Length:N0} bytes; an assessment file may be at most {Custodes.Assessments.AssessmentFile.MaxBytes:N0} bytes", path: file.FileName);
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, HttpContext.RequestAborted);
            await materials.ImportSelfAssessmentAsync(User.Tenant(), id, buffer.ToArray(), Path.GetFileName(file.FileName), HttpContext.RequestAborted);
        });

    public Task<IActionResult> OnPostSelfRemoveAsync(Guid id) =>
        ActAsync(id, "Your self-assessment is no longer submitted; it stays in your assessments.", () => materials.RemoveSelfAssessmentAsync(User.Tenant(), id, HttpContext.RequestAborted));

    /// <summary>Downloads a submitted file (either side).</summary>
    public async Task<IActionResult> OnGetEvidenceAsync(Guid id, Guid evidence)
    {
        var (item, content) = await materials.OpenEvidenceAsync(User.Tenant(), id, evidence, HttpContext.RequestAborted);
        return File(content, item.ContentType, item.FileName);
    }

    public Task<IActionResult> OnPostNextAsync(Guid id) =>
        ActAsync(id, "The engagement moved on.", () => advance.NextAsync(User.Tenant(), id, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostQaAsync(Guid id) =>
        ActAsync(id, "You signed off the quality review.", () => qa.HandleAsync(User.Tenant(), id, HttpContext.RequestAborted));

    public async Task<IActionResult> OnPostIssueAsync(Guid id, string? code)
    {
        var letter = await issue.HandleAsync(User.Tenant(), id, code, cancellationToken: HttpContext.RequestAborted);
        return Redirect($"/letters/{letter.LetterId}");
    }

    /// <summary>Runs an action and shows the engagement as it now is; a refusal is <see cref="FormRefusals"/>'s to show.</summary>
    private async Task<IActionResult> ActAsync(Guid id, string done, Func<Task> action)
    {
        await action();
        Message = done;
        await LoadAsync(id);
        return Page();
    }

    /// <summary>A forbidden action (the organization's side accepting, the lead signing off their own review) is read beside the engagement it
    /// concerns, not on the error page: the person sees the engagement and may act on it otherwise.</summary>
    bool IRefusablePage.ShowsNotFoundAndForbidden => true;

    async Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        // An engagement this tenant cannot see has nothing to show a refusal beside: the error page says it is not found, as for a GET.
        if (refusal.Exception is NotFoundException) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refusal.Exception);
        Error = refusal.Message;
        return await this.ShowAsync(refusal, () => LoadAsync(this.RouteId()));
    }

    private async Task LoadAsync(Guid id)
    {
        var tenant = User.Tenant();
        Engagement = await queries.GetAsync(tenant, id, HttpContext.RequestAborted);
        IsLead = Engagement.AsFirm && Engagement.LeadUserId == tenant.UserId;
        Submission = await materials.GetAsync(tenant, id, HttpContext.RequestAborted);
        if (Submission.Editable)
            OwnAssessments = [.. (await assessments.ListAsync(tenant, 0, 200, HttpContext.RequestAborted)).Where(a => a.Framework == Engagement.Framework)];
        if (Engagement.AsFirm)
        {
            Members = [.. (await accounts.ListMembersAsync(tenant, HttpContext.RequestAborted)).Where(m => Application.Roles.CanEdit(m.Role))];
            Assessments = [.. (await assessments.ListAsync(tenant, 0, 200, HttpContext.RequestAborted)).Where(a => a.Framework == Engagement.Framework)];
        }
    }
}
