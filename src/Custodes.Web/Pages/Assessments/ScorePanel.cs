using Custodes.Assessments.Scoring;
using Custodes.Web.Views;

namespace Custodes.Web.Pages.Assessments;

/// <summary>The score panel (<see cref="ScorePanelView"/>) as HTML, for the workspace and the answer to a background save; and the words for statuses.</summary>
internal static class ScorePanel
{
    public static Task<string> HtmlAsync(ScoreReport report) =>
        RazorHtml.RenderAsync<ScorePanelView>(new Dictionary<string, object?> { [nameof(ScorePanelView.Report)] = report });

    /// <summary>A CMMC status in words (the badge's text; its class is the status itself).</summary>
    public static string CmmcLabel(string cmmc) => cmmc switch { CmmcStatuses.Final => "Final", CmmcStatuses.Conditional => "Conditional", _ => "No status" };

    public static string Label(string status) => status switch
    {
        "met" => "Met",
        "not-met" => "Not met",
        "not-applicable" => "N/A",
        _ => "Unassessed",
    };
}
