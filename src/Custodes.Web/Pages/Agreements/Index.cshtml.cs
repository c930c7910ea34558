using Custodes.Agreements;
using Custodes.Application.Agreements;
using Custodes.Common;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Agreements;

/// <summary>One obligation as the page shows it: the promise and where it stands, in plain words.</summary>
public sealed record ObligationRow(string Id, string Promise, string State, string StateLabel, string Reason, string? Since, bool SetByHand);

/// <summary>An agreement as the page shows it.</summary>
public sealed record AgreementView(Guid Id, string Provider, string ProviderName, string Customer, string Term, int Version, string? CheckedAt, IReadOnlyList<ObligationRow> Obligations)
{
    public int Breached => Obligations.Count(o => o.State == "breached");
}

/// <summary>
/// Agreements: what each provider promised the organization and where each promise stands (kept, broken since when, or cannot tell yet and
/// why); import an agreement file, set free-text promises by hand with evidence, download; and, read-only, what the organization promised
/// its own customers as their provider. Notices of newly broken promises and coming renewals are listed with them.
/// </summary>
[RequestSizeLimit(AgreementFile.MaxBytes + 64 * 1024)]
public sealed class IndexModel(ListAgreements list, ImportAgreement import, SetObligationStatus setStatus, CheckAgreements check) : PageModel, IRefusablePage
{
    public IReadOnlyList<AgreementView> Own { get; private set; } = [];
    public IReadOnlyList<AgreementView> Provided { get; private set; } = [];
    public IReadOnlyList<AgreementNotice> Notices { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    public async Task OnGetAsync(string? done)
    {
        Message = done switch
        {
            "imported" => "Agreement saved and checked.",
            "status" => "Status saved.",
            "checked" => "Checked again against today's facts.",
            _ => null,
        };
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file)
    {
        if (file is null || file.Length == 0) throw new BadInputException("choose an agreement file (custodes.agreement/v1, YAML or JSON)");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, HttpContext.RequestAborted);
        var name = Path.GetFileName(file.FileName);
        await import.HandleAsync(User.Tenant(), AgreementFile.Parse(buffer.ToArray(), name), name, cancellationToken: HttpContext.RequestAborted);
        return Redirect("/agreements?done=imported");
    }

    public async Task<IActionResult> OnPostStatusAsync(Guid agreement, string obligation, string status, string? evidence)
    {
        await setStatus.HandleAsync(User.Tenant(), agreement, obligation, status, evidence, HttpContext.RequestAborted);
        return Redirect($"/agreements?done=status#agreement-{agreement}");
    }

    public async Task<IActionResult> OnPostCheckAsync()
    {
        await check.CheckAsync(User.Tenant(), HttpContext.RequestAborted);
        return Redirect("/agreements?done=checked");
    }

    public async Task<IActionResult> OnGetExportAsync(Guid id, string? format)
    {
        var stored = await list.GetAsync(User.Tenant(), id, HttpContext.RequestAborted);
        var file = $"agreement-{stored.Agreement.Provider}";
        return format == "json"
            ? File(AgreementFile.ToJson(stored.Agreement), "application/json", $"{file}.json")
            : File(AgreementFile.ToYaml(stored.Agreement), "application/yaml", $"{file}.yaml");
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        Error = refusal.Exception is BadInputException bad ? bad.Describe() : refusal.Message;
        return this.ShowAsync(refusal, LoadAsync);
    }

    private async Task LoadAsync()
    {
        var tenant = User.Tenant();
        var ct = HttpContext.RequestAborted;
        Own = [.. (await list.OwnAsync(tenant, ct)).Select(View)];
        Provided = [.. (await list.ProvidedAsync(tenant, ct)).Where(a => a.OrganizationId != tenant.OrganizationId).Select(View)];
        Notices = await list.NoticesAsync(tenant, 50, ct);
    }

    private static AgreementView View(StoredAgreement a) => new(a.Id, a.Agreement.Provider, a.ProviderName, a.Agreement.Customer, Term(a.Agreement), a.Version,
        a.CheckedAt?.ToString("yyyy-MM-dd HH:mm") + (a.CheckedAt is null ? null : " UTC"),
        [.. a.Agreement.Obligations.Select(o =>
        {
            var s = a.StatusOf(o);
            var state = AgreementNames.States.Name(s.State);
            return new ObligationRow(o.Id, AgreementNames.Describe(o), state, Label(s.State), s.Reason, s.Since?.UtcDateTime.ToString("yyyy-MM-dd"), o.Kind == ObligationKind.FreeText);
        })]);

    public static string Label(ObligationState state) => state switch
    {
        ObligationState.Met => "Kept",
        ObligationState.Breached => "Broken",
        _ => "Cannot tell yet",
    };

    private static string Term(Agreement a)
    {
        var parts = new List<string>();
        if (a.SignedOn is { } s) parts.Add($"signed {s:yyyy-MM-dd}");
        if (a.RenewsOn is { } r) parts.Add($"renews {r:yyyy-MM-dd}");
        if (a.NoticeDeadline is { } d && a.NoticeDays > 0) parts.Add($"give notice by {d:yyyy-MM-dd} to renegotiate or leave");
        return parts.Count == 0 ? "no dates given" : string.Join(", ", parts);
    }
}
