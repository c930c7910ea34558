using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.Web.Api;
using Custodes.Web.SupplyChain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>One saved questionnaire: review its answers and sign it off (a draft), or read it as signed and start a revision; download it; its history.</summary>
public sealed class QuestionnaireModel(QuestionnaireStore store, StaleQuestionnaires stale, ReviseQuestionnaire revise, AuditLog audit) : PageModel, IRefusablePage
{
    public StoredQuestionnaire Stored { get; private set; } = null!;
    public IReadOnlyList<AuditEntry> History { get; private set; } = [];
    /// <summary>The answers can still change, and this member may change them.</summary>
    public bool CanReview => !Stored.SignedOff && User.CanEdit();
    public bool? ContentVerified { get; private set; }
    /// <summary>Signed, and some facts its answers rested on have changed since: which, and the answers affected.</summary>
    public OutOfDate? OutOfDate { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public Task OnGetAsync(Guid id) => LoadAsync(id);

    public async Task<IActionResult> OnGetDownloadAsync(Guid id, string format)
    {
        var stored = await store.GetAsync(User.Tenant(), id, HttpContext.RequestAborted);
        return new QuestionnairesModel.HttpResultAction(QuestionnaireDownload.File(stored.Questionnaire, format, QuestionnaireDownload.FileName(stored)));
    }

    /// <summary>Saves the review choices of every answer; the version guards against overwriting someone else's review.</summary>
    public Task<IActionResult> OnPostReviewAsync(Guid id, int version) => ChangeAsync(id, async () =>
    {
        var current = await store.GetAsync(User.Tenant(), id, HttpContext.RequestAborted);
        var changed = await store.ReviewAsync(User.Tenant(), id, QuestionnaireForm.Reviews(Request.Form, current.Questionnaire), version, HttpContext.RequestAborted);
        return changed.Version == current.Version ? "Nothing changed." : "Review saved.";
    });

    public Task<IActionResult> OnPostSignOffAsync(Guid id, int version, bool confirm) => ChangeAsync(id, async () =>
    {
        if (!confirm) throw new BadInputException("tick the box to confirm you reviewed every answer and sign off");
        await store.SignOffAsync(User.Tenant(), id, version, HttpContext.RequestAborted);
        return "Signed off: the questionnaire no longer changes, and its content hash below seals what you signed.";
    });

    public async Task<IActionResult> OnPostRevisionAsync(Guid id)
    {
        var next = await store.StartRevisionAsync(User.Tenant(), id, HttpContext.RequestAborted);
        return Redirect($"/supply-chain/questionnaires/{next.Id}");
    }

    /// <summary>"Revise from current facts": a new draft revision with the answers proposed again from today's facts.</summary>
    public async Task<IActionResult> OnPostReviseAsync(Guid id)
    {
        var next = await revise.HandleAsync(User.Tenant(), id, HttpContext.RequestAborted);
        return Redirect($"/supply-chain/questionnaires/{next.Id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, int version)
    {
        await store.DeleteAsync(User.Tenant(), id, version, HttpContext.RequestAborted);
        return Redirect("/supply-chain/questionnaires");
    }

    private async Task<IActionResult> ChangeAsync(Guid id, Func<Task<string>> change)
    {
        Message = await change();
        await LoadAsync(id);
        return Page();
    }

    // Bad input and refusals by state or version show on the page with what is stored now; 403 and 404 go to the error page.
    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Exception is PreconditionFailedException && !string.Equals(refusal.Handler, "delete", StringComparison.OrdinalIgnoreCase)
            ? "Someone changed this questionnaire since you opened it: your changes were not saved. Here it is as it is now."
            : refusal.Message;
        return this.ShowAsync(refusal, () => LoadAsync(this.RouteId()));
    }

    private async Task LoadAsync(Guid id)
    {
        Stored = await store.GetAsync(User.Tenant(), id, HttpContext.RequestAborted);
        ContentVerified = Stored.VerifyContent();
        OutOfDate = Stored.SignedOff ? await stale.CheckAsync(User.Tenant(), id, HttpContext.RequestAborted) : null;
        History = await audit.ListAsync(User.Tenant().OrganizationId, new AuditFilter(EntityId: id.ToString()), 0, 100, HttpContext.RequestAborted);
    }
}
