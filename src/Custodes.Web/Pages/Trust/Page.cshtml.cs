using Custodes.Application.Hosting;
using Custodes.Application.Trust;
using Custodes.Web.Hosting;
using Custodes.Web.Trust;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Trust;

/// <summary><c>/trust/&lt;slug&gt;</c>: an organization's public trust page, for whoever it sends there. No sign-in.</summary>
[AllowAnonymous, Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = TrustCache.OutputPolicy)]
public sealed class TrustPageModel(TrustCache cache, PublicAddress address) : PageModel
{
    public PublicTrustPage Trust { get; private set; } = null!;
    public string BaseUrl => address.Base;
    public string PageUrl => TrustJson.PageUrl(address.Base, Trust.Slug);

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var entry = await cache.GetAsync(slug, address.Base, HttpContext.RequestAborted);
        if (entry.Page is null) return NotFound();
        Trust = entry.Page;
        // Revalidated on each visit: a revocation must not hide behind a cached copy.
        Response.Headers.CacheControl = "no-cache";
        return Page();
    }

    public static string Date(DateTime utc) => utc.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
    public static string When(DateTime utc) => utc.ToString("d MMMM yyyy, HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The CMMC Level 2 status in plain words.</summary>
    public static string Cmmc(string? status) => status switch
    {
        null => "not stated",
        "final" => "Final (all requirements met)",
        "conditional" => "Conditional (a few open items, each with a dated plan to close them)",
        "no-status" => "No status (too many requirements not met yet)",
        _ => status.Replace('_', ' '),
    };

    public static string StatusWords(string status) => status switch
    {
        TrustLetter.Valid => "In force",
        TrustLetter.Revoked => "Withdrawn (revoked)",
        _ => "Expired",
    };
}
