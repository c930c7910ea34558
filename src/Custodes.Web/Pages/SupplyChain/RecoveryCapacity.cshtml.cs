using System.Globalization;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>The form that states a provider's recovery capacity: crews, hours per computer and server, surge partners and its priority list.</summary>
public sealed class RecoveryCapacityModel(RecoveryEdits edits, SupplyChainQueries queries) : PageModel, IRefusablePage
{
    /// <summary>Surge partner rows the form offers.</summary>
    public const int SurgeRows = 3;

    public Organization? Provider { get; private set; }
    public IReadOnlyList<Organization> Customers { get; private set; } = [];
    public string? Error { get; private set; }
    /// <summary>The field a refusal is about (the form's input name), to show the message beside it.</summary>
    public string? ErrorField { get; private set; }

    [BindProperty] public CapacityForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string provider)
    {
        await LoadAsync(provider, fill: true);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string provider)
    {
        var recovery = Form.ToRecovery();
        var version = await edits.SetRecoveryAsync(User.Tenant(), provider, recovery, Form.Version, HttpContext.RequestAborted);
        return Redirect($"/supply-chain/recovery?provider={Uri.EscapeDataString(provider)}&saved={version}");
    }

    Task<IActionResult> IRefusablePage.RefusedAsync(Refusal refusal)
    {
        (Error, ErrorField) = FormErrors.Of(refusal.Exception, CapacityForm.Fields);
        return this.ShowAsync(refusal, () => LoadAsync(RouteOrQuery("provider"), fill: refusal.Exception is PreconditionFailedException));
    }

    private string RouteOrQuery(string key) => Request.Query[key].ToString();

    private async Task LoadAsync(string provider, bool fill)
    {
        var loaded = await queries.GetAsync(User.Tenant(), HttpContext.RequestAborted);
        Provider = loaded.Stored.Portfolio.Organizations.FirstOrDefault(o => o.Id == provider && o.Kind.IsProvider())
            ?? throw new NotFoundException($"'{provider}' is not a provider of your portfolio");
        var served = loaded.Stored.Portfolio.Relationships.Where(r => r.Provider == provider).Select(r => r.Customer).ToHashSet(StringComparer.Ordinal);
        Customers = loaded.Stored.Portfolio.Organizations.Where(o => served.Contains(o.Id)).ToArray();
        if (fill) Form = CapacityForm.Of(Provider.Recovery, loaded.Stored.Version);
        else Form.Version = loaded.Stored.Version;
    }
}

/// <summary>What the capacity form posts: text as typed, so that a mistyped number is refused naming its field instead of silently dropped.</summary>
public sealed class CapacityForm
{
    public long Version { get; set; }
    public string? Crews { get; set; }
    public string? HoursPerEndpoint { get; set; }
    public string? HoursPerServer { get; set; }
    public List<string?> SurgeName { get; set; } = [];
    public List<string?> SurgeCrews { get; set; } = [];
    public List<string?> SurgeDelay { get; set; } = [];
    /// <summary>Customer ids, one a line (or separated by commas), restored first in this order.</summary>
    public string? Priority { get; set; }

    /// <summary>File field (the last part of a validation path) → the form's input name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["crews"] = "Form.Crews", ["hours_per_endpoint"] = "Form.HoursPerEndpoint", ["hours_per_server"] = "Form.HoursPerServer",
        ["surge.name"] = "Form.SurgeName", ["surge.crews"] = "Form.SurgeCrews", ["surge.start_delay_hours"] = "Form.SurgeDelay", ["priority"] = "Form.Priority",
    };

    public static CapacityForm Of(Recovery? recovery, long version) => new()
    {
        Version = version,
        Crews = recovery?.Crews?.ToString(CultureInfo.InvariantCulture),
        HoursPerEndpoint = recovery?.HoursPerEndpoint is { } e ? Hours.Normalize(e).ToString(CultureInfo.InvariantCulture) : null,
        HoursPerServer = recovery?.HoursPerServer is { } s ? Hours.Normalize(s).ToString(CultureInfo.InvariantCulture) : null,
        SurgeName = recovery?.Surge.Select(p => (string?)p.Name).ToList() ?? [],
        SurgeCrews = recovery?.Surge.Select(p => (string?)p.Crews.ToString(CultureInfo.InvariantCulture)).ToList() ?? [],
        SurgeDelay = recovery?.Surge.Select(p => (string?)Hours.Normalize(p.StartDelayHours).ToString(CultureInfo.InvariantCulture)).ToList() ?? [],
        Priority = recovery is null ? null : string.Join("\n", recovery.Priority),
    };

    /// <summary>The recovery the form states; null when every field is empty (nothing stated: the defaults apply).</summary>
    /// <exception cref="BadInputException">A field is not a number, naming it.</exception>
    public Recovery? ToRecovery()
    {
        var surge = new List<SurgePartner>();
        for (var i = 0; i < Math.Max(SurgeName.Count, Math.Max(SurgeCrews.Count, SurgeDelay.Count)); i++)
        {
            var name = At(SurgeName, i);
            var crews = At(SurgeCrews, i);
            var delay = At(SurgeDelay, i);
            if (name is null && crews is null && delay is null) continue;
            if (name is null) throw new BadInputException($"surge partner {i + 1}: give its name", path: "surge.name");
            surge.Add(new SurgePartner
            {
                Name = name,
                Crews = FormNumbers.Int(crews, $"surge partner {name}'s crews", "surge.crews") ?? throw new BadInputException($"surge partner {name}: give its number of crews", path: "surge.crews"),
                StartDelayHours = FormNumbers.Decimal(delay, $"surge partner {name}'s delay", "surge.start_delay_hours") ?? 0,
            });
        }
        var priority = (Priority ?? "").Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var recovery = new Recovery
        {
            Crews = FormNumbers.Int(Crews, "the number of crews", "crews"),
            HoursPerEndpoint = FormNumbers.Decimal(HoursPerEndpoint, "the hours per computer", "hours_per_endpoint"),
            HoursPerServer = FormNumbers.Decimal(HoursPerServer, "the hours per server", "hours_per_server"),
            Surge = surge,
            Priority = priority,
        };
        return recovery is { Crews: null, HoursPerEndpoint: null, HoursPerServer: null, Surge.Count: 0, Priority.Count: 0 } ? null : recovery;
    }

    private static string? At(List<string?> list, int i) => i < list.Count && !string.IsNullOrWhiteSpace(list[i]) ? list[i]!.Trim() : null;
}

/// <summary>Numbers typed into forms: empty is "not stated", anything else must be a number (a comma or a point as decimal separator).</summary>
internal static class FormNumbers
{
    public static int? Int(string? text, string what, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw new BadInputException($"{what} must be a whole number, found '{text.Trim()}'", path: field);

    public static decimal? Decimal(string? text, string what, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : decimal.TryParse(text.Trim().Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value
        : throw new BadInputException($"{what} must be a number of hours, found '{text.Trim()}'", path: field);
}

/// <summary>A refusal of a recovery form as the person reads it: the message without file or JSON path, and the input it is about.</summary>
internal static class FormErrors
{
    public static (string Message, string? Field) Of(Exception exception, IReadOnlyDictionary<string, string> fields)
    {
        if (exception is not BadInputException bad) return (FormRefusals.Describe(exception), null);
        var path = bad.Path ?? "";
        // "$.organizations[2].recovery.surge[0].crews" → "crews"; "$.relationships[4].backup.rto_hours" → "rto_hours"
        var last = path[(path.LastIndexOf('.') + 1)..];
        var bracket = last.IndexOf('[');
        if (bracket >= 0) last = last[..bracket];
        var message = bad.Message.Length > 0 ? char.ToUpperInvariant(bad.Message[0]) + bad.Message[1..] : bad.Message;
        var key = path.Contains("surge", StringComparison.Ordinal) ? $"surge.{last}" : last;
        return (message.EndsWith('.') ? message : message + ".", fields.TryGetValue(key, out var field) ? field : null);
    }
}
