using System.Net;
using System.Text;
using Custodes.Application.Trust;

namespace Custodes.Web.Trust;

/// <summary>
/// The badge an MSP puts on its website (<c>/trust/&lt;slug&gt;/badge.svg</c>): the live status of its newest letter, linking to its trust
/// page. Embedded as an image a link does not work, so the snippet in docs/trust-page.md wraps it in one; opened alone, the SVG links itself.
/// </summary>
internal static class TrustBadge
{
    public static byte[] Write(PublicTrustPage page, string baseUrl)
    {
        var (text, colour) = Status(page);
        const string label = "letter of attestation";
        var left = 8 + label.Length * 6;
        var right = 10 + text.Length * 7;
        var width = left + right;
        var url = WebUtility.HtmlEncode(TrustJson.PageUrl(baseUrl, page.Slug));
        var title = WebUtility.HtmlEncode($"{page.OrganizationName}: {text}");
        var svg = $"""
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" height="20" role="img" aria-label="{title}">
            <title>{title}</title>
            <a href="{url}" xlink:href="{url}" target="_top">
            <rect width="{left}" height="20" fill="#444"/>
            <rect x="{left}" width="{right}" height="20" fill="{colour}"/>
            <g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
            <text x="6" y="14">{label}</text>
            <text x="{left + 5}" y="14">{WebUtility.HtmlEncode(text)}</text>
            </g>
            </a>
            </svg>
            """;
        return Encoding.UTF8.GetBytes(svg);
    }

    /// <summary>What the badge says: the newest letter in force and its score, or why there is none.</summary>
    public static (string Text, string Colour) Status(PublicTrustPage page)
    {
        if (page.Current is { } current) return (current.Score is { } s ? $"valid · score {s}" : "valid", "#2e7d32");
        return page.Letters.Count == 0 ? ("none yet", "#757575")
            : page.Letters[0].Status == TrustLetter.Revoked ? ("revoked", "#c62828")
            : ("expired", "#757575");
    }
}
