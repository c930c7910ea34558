using System.Globalization;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>The form that records a relationship's servers and the backup of the customer's data: immutable, offsite, last restore test, objectives, who runs it.</summary>
public sealed class RecoveryBackupModel(RecoveryEdits edits, SupplyChainQueries queries) : PageModel, IRefusablePage
{
    public Organization? Customer { get; private set; }
    public Organization? Provider { get; private set; }
    /// <summary>Who may run the backup: the customer itself and every provider of the portfolio.</summary>
    public IReadOnlyList<Organization> Holders { get; private set; } = [];
    public string? Error { get; private set; }
    public string? ErrorField { get; private set; }

    [BindProperty] public BackupForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string customer, string provider)
    {
        await LoadAsync(customer, provider, fill: true);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string customer, string provider)
    {
        var (servers, backup) = Form.ToFacts();
        var version = await edits.SetBackupAsync(User.Tenant(), customer, provider, servers, backup, Form.Version, HttpContext.RequestAborted);
        return Redirect($"/supply-chain/recovery?provider={Uri.EscapeDataString(provider)}&saved={version}");
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        (Error, ErrorField) = FormErrors.Of(refusal.Exception, BackupForm.Fields);
        return this.ShowAsync(refusal, () => LoadAsync(Request.Query["customer"].ToString(), Request.Query["provider"].ToString(), fill: refusal.Exception is PreconditionFailedException));
    }

    private async Task LoadAsync(string customer, string provider, bool fill)
    {
        var loaded = await queries.GetAsync(User.Tenant(), HttpContext.RequestAborted);
        var portfolio = loaded.Stored.Portfolio;
        var relationship = portfolio.Relationships.FirstOrDefault(r => r.Customer == customer && r.Provider == provider)
            ?? throw new NotFoundException($"{provider} does not serve {customer} in your portfolio");
        Customer = portfolio.Organizations.First(o => o.Id == customer);
        Provider = portfolio.Organizations.First(o => o.Id == provider);
        Holders = [Customer, .. portfolio.Organizations.Where(o => o.Kind.IsProvider())];
        if (fill) Form = BackupForm.Of(relationship, loaded.Stored.Version);
        else Form.Version = loaded.Stored.Version;
    }
}

/// <summary>What the backup form posts, as typed.</summary>
public sealed class BackupForm
{
    public long Version { get; set; }
    public string? Servers { get; set; }
    /// <summary>False: no backup is described for this relationship.</summary>
    public bool HasBackup { get; set; }
    public bool Immutable { get; set; }
    public bool Offsite { get; set; }
    /// <summary>YYYY-MM-DD (a date input), empty when never tested.</summary>
    public string? LastRestoreTest { get; set; }
    public string? RpoHours { get; set; }
    public string? RtoHours { get; set; }
    /// <summary>The organization running the backup; empty for the relationship's provider.</summary>
    public string? Holder { get; set; }

    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["servers"] = "Form.Servers", ["last_restore_test"] = "Form.LastRestoreTest", ["rpo_hours"] = "Form.RpoHours", ["rto_hours"] = "Form.RtoHours", ["provider"] = "Form.Holder",
    };

    public static BackupForm Of(Relationship r, long version) => new()
    {
        Version = version,
        Servers = r.Servers?.ToString(CultureInfo.InvariantCulture),
        HasBackup = r.Backup is not null,
        Immutable = r.Backup?.Immutable ?? false,
        Offsite = r.Backup?.Offsite ?? false,
        LastRestoreTest = r.Backup?.LastRestoreTest?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        RpoHours = r.Backup?.RpoHours is { } rpo ? Hours.Normalize(rpo).ToString(CultureInfo.InvariantCulture) : null,
        RtoHours = r.Backup?.RtoHours is { } rto ? Hours.Normalize(rto).ToString(CultureInfo.InvariantCulture) : null,
        Holder = r.Backup?.Provider,
    };

    public (int? Servers, Backup? Backup) ToFacts()
    {
        var servers = FormNumbers.Int(Servers, "the number of servers", "servers");
        if (!HasBackup) return (servers, null);
        DateOnly? tested = null;
        if (!string.IsNullOrWhiteSpace(LastRestoreTest))
            tested = DateOnly.TryParseExact(LastRestoreTest.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
                : throw new BadInputException($"the last restore test must be a date written YYYY-MM-DD, found '{LastRestoreTest.Trim()}'", path: "last_restore_test");
        return (servers, new Backup
        {
            Immutable = Immutable,
            Offsite = Offsite,
            LastRestoreTest = tested,
            RpoHours = FormNumbers.Decimal(RpoHours, "the data the practice can afford to lose (hours)", "rpo_hours"),
            RtoHours = FormNumbers.Decimal(RtoHours, "how long the practice can be down (hours)", "rto_hours"),
            Provider = string.IsNullOrWhiteSpace(Holder) ? null : Holder.Trim(),
        });
    }
}
