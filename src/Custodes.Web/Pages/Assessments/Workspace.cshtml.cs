using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Application.Evidence;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Web.Api;
using Custodes.Web.Charts;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Assessments;

/// <summary>The assessor's workspace: family → requirement → objective, with determinations, methods, notes, evidence and a live score.</summary>
/// <remarks>Every form carries the assessment's version; a save against an older version is refused with a clear message and nothing is overwritten.</remarks>
public sealed class WorkspaceModel(AssessmentStore store, EvidenceStore evidence, AssessmentImports imports, WebOptions web) : PageModel, IRefusablePage
{
    public const string StaleMessage = "Not saved: this assessment was changed since you opened it (by a colleague, or by you in another tab). Nothing was overwritten. Reload the page to see the current determinations, then make your change again.";

    public ReadableAssessment Readable { get; private set; } = null!;
    public Assessment Assessment => Readable.Stored.Assessment;
    public Catalog Catalog { get; private set; } = null!;
    public Resolution Resolution { get; private set; } = null!;
    public ScoreReport Report { get; private set; } = null!;
    public ILookup<string, EvidenceItem> Evidence { get; private set; } = Array.Empty<EvidenceItem>().ToLookup(_ => "");
    public bool Editable { get; private set; }
    public string? Error { get; private set; }
    public string? ErrorTarget { get; private set; }
    public string? Notice { get; private set; }
    public string? Saved { get; private set; }
    public string TrendSvg { get; private set; } = "";
    public string BarsSvg { get; private set; } = "";
    /// <summary>The score panel, rendered by its Razor view: the page shows it, and a background save sends it back.</summary>
    public string ScoreHtml { get; private set; } = "";
    public long EvidenceMaxBytes => web.EvidenceMaxBytes;
    public int Version => Readable.Stored.Version;

    public async Task OnGetAsync(Guid id, string? saved, string? notice)
    {
        Saved = saved;
        Notice = notice switch
        {
            "uploaded" => "Evidence uploaded.",
            "too-large" => $"The file is larger than the evidence limit of {EvidenceUpload.Describe(web.EvidenceMaxBytes)}; nothing was stored.",
            "stale" => StaleMessage,
            "upload-failed" => "The upload was not accepted: choose a non-empty file.",
            "imported" => "Imported: the file's determinations are now the assessment's (see History for what changed).",
            _ => null,
        };
        await LoadAsync(id);
    }

    /// <summary>Saves one requirement's form: its own determination and those of its objectives that changed, as one new version.</summary>
    public async Task<IActionResult> OnPostDeterminationAsync(Guid id, string target, int version)
    {
        var tenant = User.Tenant();
        var current = await store.ReadToChangeAsync(tenant, id, HttpContext.RequestAborted);
        var a = current.Stored.Assessment;
        var requirement = CatalogSet.Get(a.Framework).Find(target) ?? throw new BadInputException($"'{target}' is not a requirement of {a.Framework}");
        var changes = new List<KeyValuePair<string, Finding>>();
        var form = Request.Form;
        if (form.ContainsKey("status"))
        {
            var existing = a.Requirements.GetValueOrDefault(requirement.Id);
            var note = form["note"].ToString();
            var finding = new Finding
            {
                Status = ParseStatus(form["status"]),
                Partial = string.IsNullOrWhiteSpace(form["partial"]) ? null : form["partial"].ToString(),
                Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim().ReplaceLineEndings("\n"),
                Methods = form["methods"].Select(m => Enum.TryParse<AssessmentMethod>(m, true, out var x) ? x : throw new BadInputException($"invalid method '{m}'")).Distinct().Order().ToArray(),
                // Evidence is added by upload, never dropped by saving a determination.
                Evidence = existing?.Evidence ?? [],
            };
            if (!Same(existing, finding)) changes.Add(new(requirement.Id, finding));
        }
        foreach (var oid in requirement.Objectives)
        {
            if (!form.TryGetValue("o_" + oid, out var value)) continue;
            var existing = a.Objectives.GetValueOrDefault(oid);
            var finding = (existing ?? new Finding()) with { Status = ParseStatus(value) };
            if (!Same(existing, finding)) changes.Add(new(oid, finding));
        }
        if (changes.Count > 0) await store.SetDeterminationsAsync(tenant, id, changes, version, HttpContext.RequestAborted);
        if (!Request.WantsJson()) return Redirect($"/assessments/{id}?saved={Uri.EscapeDataString(target)}#r-{target}");
        await LoadAsync(id);
        return new JsonResult(Live(true, changes.Count == 0 ? "Nothing changed." : $"Saved {target}."), Common.Json.Options);
    }

    /// <summary>Imports an edited workbook or CSV (or an OSCAL SSP / assessment results) into the assessment: all of it, or nothing with the reason and where.</summary>
    public async Task<IActionResult> OnPostImportAsync(Guid id, IFormFile? file, int version)
    {
        if (file is null || file.Length == 0) throw new BadInputException("choose the edited file (.xlsx, .csv or OSCAL .json) first");
        var kind = ImportUpload.KindOf(file.FileName, file.ContentType)
            ?? throw new BadInputException($"'{file.FileName}' is not an importable file: choose an assessment workbook (.xlsx), a requirements or objectives CSV (.csv) or an OSCAL SSP or assessment results (.json)");
        if (file.Length > Reports.ImportInto.MaxBytes(kind)) throw new BadInputException($"'{file.FileName}' is larger than {EvidenceUpload.Describe(Reports.ImportInto.MaxBytes(kind))}, the most an import reads");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, HttpContext.RequestAborted);
        await imports.ApplyAsync(User.Tenant(), id, kind, buffer.ToArray(), Path.GetFileName(file.FileName), version, HttpContext.RequestAborted);
        return Redirect($"/assessments/{id}?notice=imported");
    }

    // A refused import says nothing was imported; a refused determination says it was not saved, and opens the requirement it was about.
    async Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        var id = this.RouteId();
        var import = string.Equals(refusal.Handler, "import", StringComparison.OrdinalIgnoreCase);
        var message = refusal.Exception is PreconditionFailedException ? StaleMessage : (import ? "Nothing was imported: " : "Not saved: ") + refusal.Message;
        if (Request.WantsJson())
        {
            // The page's script keeps the form and shows the message; it needs the current version and score to go on.
            await LoadAsync(id);
            return new JsonResult(Live(false, message), Common.Json.Options) { StatusCode = refusal.Status };
        }
        Error = message;
        if (!import) ErrorTarget = Request.Form["target"];
        return await this.ShowAsync(refusal, () => LoadAsync(id));
    }

    private static Status ParseStatus(string? text) =>
        StatusNames.TryParse(text, out var status) ? status : throw new BadInputException($"invalid status '{text}'; expected one of {string.Join(", ", StatusNames.All)}");

    private static bool Same(Finding? existing, Finding finding) =>
        (existing ?? new Finding()) is var e && e.Status == finding.Status && e.Partial == finding.Partial && e.Note == finding.Note
        && e.Methods.Order().SequenceEqual(finding.Methods.Order());

    public async Task<IActionResult> OnGetExportAsync(Guid id, string? format)
    {
        var readable = await store.ReadAsync(User.Tenant(), id, HttpContext.RequestAborted);
        var a = readable.Stored.Assessment;
        var name = ReportsApi.FileStem(a);
        return format == "yaml"
            ? File(AssessmentFile.ToYaml(a), "application/yaml", name + ".yaml")
            : File(AssessmentFile.ToJson(a), "application/json", name + ".json");
    }

    /// <summary>What the page's script needs after a background save: the new version, the score panel, every requirement's status.</summary>
    internal object Live(bool ok, string message) => new
    {
        ok,
        message,
        version = Version,
        score_html = ScoreHtml,
        statuses = Report.Requirements,
    };

    internal async Task LoadAsync(Guid id)
    {
        var tenant = User.Tenant();
        Readable = await store.ReadAsync(tenant, id, HttpContext.RequestAborted);
        Catalog = CatalogSet.Get(Assessment.Framework);
        Resolution = Resolution.Resolve(Assessment);
        Report = ScoreAssessment.Score(Resolution, Assessment.Ssp, Assessment.AssessedOn);
        ScoreHtml = await ScorePanel.HtmlAsync(Report);
        Editable = Readable.CanEdit;
        BarsSvg = Svg.FamilyBars(Catalog, Resolution.Statuses, "family-bars");
        if (Readable.Owned)
        {
            Evidence = await evidence.LinksAsync(tenant, id, HttpContext.RequestAborted);
            var history = await store.LoadManyAsync(tenant, 0, 24, Assessment.Organization, HttpContext.RequestAborted);
            var points = history.Where(h => h.Assessment.Framework == Assessment.Framework)
                .OrderBy(h => h.Assessment.AssessedOn ?? DateOnly.MaxValue).ThenBy(h => h.CreatedAt)
                .Select(h => (h.Assessment.AssessedOn?.ToString("yyyy-MM-dd") ?? "undated", ScoreAssessment.Score(h.Assessment).Score)).ToArray();
            TrendSvg = Svg.Trend(points, "trend");
        }
    }

    public Status EffectiveStatus(int ordinal) => Resolution.Statuses[ordinal];

    public Finding? RequirementFinding(string id) => Assessment.Requirements.GetValueOrDefault(id);

    public Finding? ObjectiveFinding(string id) => Assessment.Objectives.GetValueOrDefault(id);
}
