using System.Net;
using System.Text;
using Custodes.Assessments.Scoring;
using Custodes.Web.Charts;

namespace Custodes.Web.Pages.Assessments;

/// <summary>The score panel: gauge, counts, CMMC status, and why there is no score. Rendered on the page and again after each background save.</summary>
public static class ScorePanel
{
    public static string Html(ScoreReport report)
    {
        var sb = new StringBuilder();
        sb.Append("<div class=\"score-panel\">").Append(Svg.Gauge(report.Score, "gauge"));
        sb.Append("<dl>");
        Item(sb, "SPRS score", report.Score is { } s ? $"{s} of {report.Max}" : "none");
        Item(sb, "Met", report.Counts.Met.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Item(sb, "Not met", report.Counts.NotMet.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Item(sb, "Not applicable", report.Counts.NotApplicable.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Item(sb, "Unassessed", report.Counts.Unassessed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        sb.Append("<dt>CMMC Level 1</dt><dd>").Append(Status(report.Cmmc.Level1.Status)).Append("</dd>");
        sb.Append("<dt>CMMC Level 2</dt><dd>").Append(Status(report.Cmmc.Level2.Status));
        if (report.Cmmc.Level2.CloseoutDue is { } due) sb.Append(" closeout by ").Append(due.ToString("yyyy-MM-dd"));
        sb.Append("</dd></dl>");
        if (report.Errors.Count > 0)
        {
            sb.Append("<ul class=\"msg error\">");
            foreach (var e in report.Errors) sb.Append("<li>").Append(WebUtility.HtmlEncode(e)).Append("</li>");
            sb.Append("</ul>");
        }
        if (report.Cmmc.Level2.PoamIneligible.Count > 0)
            sb.Append("<p class=\"muted\">Not allowed on a CMMC POA&amp;M: ").Append(WebUtility.HtmlEncode(string.Join(", ", report.Cmmc.Level2.PoamIneligible))).Append("</p>");
        sb.Append("</div>");
        return sb.ToString();
    }

    public static string Status(string cmmc) => $"<span class=\"badge {cmmc}\">{cmmc switch { CmmcStatuses.Final => "Final", CmmcStatuses.Conditional => "Conditional", _ => "No status" }}</span>";

    public static string Label(string status) => status switch
    {
        "met" => "Met",
        "not-met" => "Not met",
        "not-applicable" => "N/A",
        _ => "Unassessed",
    };

    private static void Item(StringBuilder sb, string term, string value) =>
        sb.Append("<dt>").Append(term).Append("</dt><dd>").Append(WebUtility.HtmlEncode(value)).Append("</dd>");
}
