using System.Globalization;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Web.Api;
using Custodes.Web.Charts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>
/// "If this provider is hit, how long until each customer is back, and who has no way back": the restore schedule of everything a provider
/// reaches (contracts §13) as a Gantt and a curve, the customers whose backup cannot bring their data back with what each should do, missed
/// recovery time objectives, and what-ifs (more crews, a surge partner, the critical backups fixed).
/// </summary>
public sealed class RecoveryModel(RecoveryPlanning planning, SupplyChainQueries queries) : PageModel
{
    /// <summary>Rows of the schedule table shown; the charts and counts cover everyone.</summary>
    public const int MaxRows = 500;

    public IReadOnlyList<Organization> Providers { get; private set; } = [];
    public string? Provider { get; private set; }
    public RecoveryPlan? Plan { get; private set; }
    public string GanttSvg { get; private set; } = "";
    public string CurveSvg { get; private set; } = "";
    /// <summary>For each customer, the provider of the relationship whose backup the form edits (the compromised provider's own, when direct).</summary>
    public IReadOnlyDictionary<string, string> BackupEditProvider { get; private set; } = new Dictionary<string, string>();
    public bool CanEdit { get; private set; }
    public string? Saved { get; private set; }
    public string? Error { get; private set; }

    // The what-if inputs, echoed back into the form.
    public int? Crews { get; private set; }
    public string PartnerName { get; private set; } = "";
    public int? PartnerCrews { get; private set; }
    public decimal? PartnerDelay { get; private set; }

    public async Task OnGetAsync(string? provider, int? crews, string? partner, int? partnerCrews, decimal? partnerDelay, string? saved)
    {
        var tenant = User.Tenant();
        CanEdit = Custodes.Application.Roles.CanEdit(tenant.Role);
        Saved = saved;
        var loaded = await queries.FindAsync(tenant, HttpContext.RequestAborted);
        if (loaded is null) return;
        var portfolio = loaded.Stored.Portfolio;
        Providers = portfolio.Organizations.Where(o => o.Kind.IsProvider()).OrderByDescending(o => o.Recovery is not null).ThenBy(o => o.Name, StringComparer.CurrentCulture).ToArray();
        Provider = provider is not null && Providers.Any(p => p.Id == provider) ? provider : Providers.FirstOrDefault()?.Id;
        if (Provider is null) return;
        (Crews, PartnerCrews, PartnerDelay) = (crews, partnerCrews, partnerDelay);
        PartnerName = string.IsNullOrWhiteSpace(partner) ? "" : partner.Trim();
        SurgePartner? surge = null;
        if (partnerCrews is not null || partnerDelay is not null || PartnerName.Length > 0)
        {
            if (partnerCrews is not (>= 1 and <= PortfolioFile.MaxCrews)) Error = $"The surge partner's crews must be a number from 1 to {PortfolioFile.MaxCrews}.";
            else if (partnerDelay is not (>= 0 and <= PortfolioFile.MaxHours)) Error = "The surge partner's delay must be a number of hours, 0 or more.";
            else surge = new SurgePartner { Name = PartnerName.Length > 0 ? PartnerName : "a surge partner", Crews = partnerCrews.Value, StartDelayHours = partnerDelay.Value };
        }
        if (crews is not null and not (>= 1 and <= PortfolioFile.MaxCrews))
        {
            Error = $"The number of crews must be from 1 to {PortfolioFile.MaxCrews}.";
            crews = null;
        }
        Plan = await planning.PlanAsync(tenant, Provider, crews: crews, partner: surge, cancellationToken: HttpContext.RequestAborted);
        GanttSvg = RecoverySvg.Gantt(Plan.Schedule, "gantt");
        CurveSvg = RecoverySvg.Cumulative(Plan.Schedule, "curve");
        var edit = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in portfolio.Relationships)
            if (r.Provider == Provider || !edit.ContainsKey(r.Customer)) edit[r.Customer] = r.Provider;
        BackupEditProvider = edit;
    }

    public static string Hours(decimal hours) => Custodes.SupplyChain.Hours.Text(hours);

    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>"tested immutable offsite copy, last restore test 1 Aug 2026" in plain words.</summary>
    public static string BackupWords(ScheduledRestore c) => c.Backup == BackupState.None ? "no backup" : string.Join(" ", new[]
    {
        c.Backup switch { BackupState.Tested => "tested", BackupState.Stale => "not recently tested", _ => "never tested" },
        c.Immutable == true ? "immutable" : "deletable",
        c.Offsite == true ? "offsite" : "on-site",
        "copy",
        c.LastRestoreTest is { } t ? $"(restore test {t.ToString("d MMM yyyy", CultureInfo.InvariantCulture)})" : "",
        c.BackupProvider is { } p ? $"run by {p}" : "",
    }.Where(w => w.Length > 0));
}
