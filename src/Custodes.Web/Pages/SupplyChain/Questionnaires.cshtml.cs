using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain.Questionnaires;
using Custodes.Web.Api;
using Custodes.Web.SupplyChain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Questionnaires answered from the organization's assessment and letter: the saved ones, a proposal to review and save (or download), and a filled file read back.</summary>
public sealed class QuestionnairesModel(SupplyChainQueries queries, QuestionnaireStore store, StaleQuestionnaires stale, TimeProvider clock) : PageModel, IRefusablePage
{
    private const int PageSize = 50;

    public string? Template { get; private set; }
    public QuestionnaireResponse? Proposed { get; private set; }
    public QuestionnaireResponse? Uploaded { get; private set; }
    /// <summary>The uploaded file's answers counted by review state, as the page says it ("3 accepted, 2 proposed").</summary>
    public string UploadedCounts => Uploaded is null ? "" : string.Join(", ", Uploaded.Answers.GroupBy(a => QuestionnaireNames.States.Name(a.State)).Select(g => $"{g.Count()} {g.Key}"));
    public string? Error { get; private set; }
    public IReadOnlyList<QuestionnaireSummary> Saved { get; private set; } = [];
    /// <summary>The signed questionnaires on this page whose answers rest on facts that changed since.</summary>
    public IReadOnlyDictionary<Guid, OutOfDate> OutOfDate { get; private set; } = new Dictionary<Guid, OutOfDate>();
    public int PageNumber { get; private set; } = 1;
    public bool HasMore { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? template)
    {
        Template = template;
        await LoadSavedAsync();
        if (template is null) return Page();
        try
        {
            Proposed = await queries.ProposeAsync(User.Tenant(), template, HttpContext.RequestAborted);
        }
        catch (BadInputException e)
        {
            Error = e.Describe();
        }
        return Page();
    }

    /// <summary>Applies the reviewer's choices (accept or replace each answer), optionally signs off, and downloads the file.</summary>
    public async Task<IActionResult> OnPostDownloadAsync(string template, string format, bool signOff)
    {
        var response = await queries.ProposeAsync(User.Tenant(), template, HttpContext.RequestAborted);
        var by = User.Email();
        var at = clock.GetUtcNow();
        Proposed = response;
        response = QuestionnaireForm.Apply(response, QuestionnaireForm.Reviews(Request.Form, response), by, at);
        if (signOff) response = response.SignOffBy(by, at);
        return new HttpResultAction(QuestionnaireDownload.File(response, format));
    }

    /// <summary>Saves the proposal as a draft questionnaire of the organization, with the choices already made, and opens it.</summary>
    public async Task<IActionResult> OnPostSaveAsync(string template)
    {
        var tenant = User.Tenant();
        var response = await queries.ProposeAsync(tenant, template, HttpContext.RequestAborted);
        Proposed = response;
        var reviews = QuestionnaireForm.Reviews(Request.Form, response);
        var stored = await store.CreateAsync(tenant, response, QuestionnaireSources.Proposed, cancellationToken: HttpContext.RequestAborted);
        if (reviews.Any(r => r.State != ReviewState.Proposed))
            await store.ReviewAsync(tenant, stored.Id, reviews, stored.Version, HttpContext.RequestAborted);
        return Redirect($"/supply-chain/questionnaires/{stored.Id}");
    }

    /// <summary>Reads a filled file back; with <paramref name="save"/>, stores it as a draft questionnaire and opens it.</summary>
    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, bool save)
    {
        if (file is null || file.Length == 0) throw new BadInputException("choose a filled questionnaire (.xlsx or .csv)");
        if (file.Length > 16 * 1024 * 1024) throw new BadInputException("the file is larger than 16 MB", file.FileName);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, HttpContext.RequestAborted);
        var name = Path.GetFileName(file.FileName);
        Uploaded = QuestionnaireDownload.Read(buffer.ToArray(), file.FileName, name);
        if (save)
        {
            var stored = await store.CreateAsync(User.Tenant(), Uploaded, QuestionnaireSources.Import, name, HttpContext.RequestAborted);
            return Redirect($"/supply-chain/questionnaires/{stored.Id}");
        }
        await LoadSavedAsync();
        return Page();
    }

    public string PageLink(int page) => $"/supply-chain/questionnaires?page={page}";

    // A refused review keeps the proposal on screen (when it was made) so the reviewer's choices can be corrected; a refused upload shows the saved list.
    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Exception is BadInputException bad ? bad.Describe() : refusal.Message;
        if (Proposed is not null) Template = Request.Form["template"];
        return this.ShowAsync(refusal, LoadSavedAsync);
    }

    private async Task LoadSavedAsync()
    {
        PageNumber = Api.Paging.PageOf(Request, PageSize);
        var saved = await store.ListAsync(User.Tenant(), Api.Paging.Skip(PageNumber, PageSize), PageSize + 1, HttpContext.RequestAborted);
        HasMore = saved.Count > PageSize;
        Saved = saved.Take(PageSize).ToArray();
        var signed = Saved.Where(s => s.Status == QuestionnaireStatuses.SignedOff).Select(s => s.Id).ToArray();
        OutOfDate = signed.Length == 0 ? new Dictionary<Guid, OutOfDate>() : await stale.CheckManyAsync(User.Tenant(), signed, HttpContext.RequestAborted);
    }

    /// <summary>Runs a minimal-API result from a page handler.</summary>
    internal sealed class HttpResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
