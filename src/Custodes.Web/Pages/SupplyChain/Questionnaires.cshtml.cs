using Custodes.Common;
using Custodes.SupplyChain.Questionnaires;
using Custodes.Web.Api;
using Custodes.Web.SupplyChain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>Questionnaires answered from the organization's assessment and letter: review each answer, sign off, download; read a filled one back.</summary>
public sealed class QuestionnairesModel(SupplyChainQueries queries, TimeProvider clock) : PageModel
{
    public string? Template { get; private set; }
    public QuestionnaireResponse? Proposed { get; private set; }
    public QuestionnaireResponse? Uploaded { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? template)
    {
        Template = template;
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
        try
        {
            foreach (var answer in response.Answers)
            {
                var choice = Request.Form[$"a_{answer.QuestionId}"].ToString();
                if (choice is "" or "proposed") continue;
                if (choice == "accept") response = response.Review(answer.QuestionId, by, at);
                else if (QuestionnaireNames.Answers.TryParse(choice, out var replaced))
                    response = response.Edit(answer.QuestionId, replaced, NullIfEmpty(Request.Form[$"c_{answer.QuestionId}"].ToString()), by, at);
                else throw new BadInputException($"invalid choice '{choice}' for question {answer.QuestionId}");
            }
            if (signOff) response = response.SignOffBy(by, at);
        }
        catch (BadInputException e)
        {
            Template = template;
            Proposed = response;
            Error = e.Describe();
            HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return new HttpResultAction(QuestionnaireDownload.File(response, format));
    }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file)
    {
        try
        {
            if (file is null || file.Length == 0) throw new BadInputException("choose a filled questionnaire (.xlsx or .csv)");
            if (file.Length > 16 * 1024 * 1024) throw new BadInputException("the file is larger than 16 MB", file.FileName);
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, HttpContext.RequestAborted);
            Uploaded = QuestionnaireDownload.Read(buffer.ToArray(), file.FileName, Path.GetFileName(file.FileName));
        }
        catch (BadInputException e)
        {
            Error = e.Describe();
            HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    private static string? NullIfEmpty(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Runs a minimal-API result from a page handler.</summary>
    private sealed class HttpResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
