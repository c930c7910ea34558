using Custodes.Application.Assessments;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Assessments;

/// <summary>Imports an assessment file (all or nothing, errors located by line and path), or starts an empty one.</summary>
[RequestSizeLimit(AssessmentFile.MaxBytes + 64 * 1024)]
public sealed class ImportModel(AssessmentStore store) : PageModel, IRefusablePage
{
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file)
    {
        if (file is null || file.Length == 0) throw new BadInputException("choose a file to import.");
        if (file.Length > AssessmentFile.MaxBytes) throw new BadInputException($"the file is {file.Length:N0} bytes; an assessment file may be at most {AssessmentFile.MaxBytes:N0} bytes", file.FileName);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, HttpContext.RequestAborted);
        var parsed = AssessmentFile.Parse(buffer.ToArray(), Path.GetFileName(file.FileName));
        var id = await store.ImportAsync(User.Tenant(), parsed, HttpContext.RequestAborted);
        return Redirect($"/assessments/{id}");
    }

    public async Task<IActionResult> OnPostNewAsync(string organization, string framework, DateOnly? assessedOn, string? scope, bool ssp)
    {
        // The catalog refuses an unknown framework with an argument error (a programming error elsewhere); here it is the person's choice.
        if (Catalogs.CatalogSet.Find(framework ?? "") is null)
            throw new BadInputException($"unknown framework '{framework}'; expected one of {string.Join(", ", Catalogs.Frameworks.All)}", "new assessment", "$.framework");
        var assessment = new Assessment { Framework = framework!, Organization = organization?.Trim() ?? "", AssessedOn = assessedOn, Scope = string.IsNullOrWhiteSpace(scope) ? null : scope.Trim(), Ssp = ssp };
        var parsed = AssessmentFile.Validate(assessment, "new assessment");
        var id = await store.ImportAsync(User.Tenant(), parsed, HttpContext.RequestAborted);
        return Redirect($"/assessments/{id}");
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Message;
        return this.ShowAsync(refusal, () => Task.CompletedTask);
    }
}
