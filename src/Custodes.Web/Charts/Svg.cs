using System.Globalization;
using System.Net;
using System.Text;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;

namespace Custodes.Web.Charts;

/// <summary>Charts drawn on the server as SVG (no script, printable): each has a title and description for screen readers, and the page shows the numbers as text too.</summary>
/// <remarks>Colours come from classes in site.css (no inline styles, which the CSP forbids); shapes use presentation attributes only.</remarks>
internal static class Svg
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The SPRS score on its scale (−203 to 110), with the 88 line for CMMC Level 2 conditional status.</summary>
    public static string Gauge(int? score, string id)
    {
        const double cx = 110, cy = 105, r = 90;
        var sb = new StringBuilder();
        var text = score is { } s ? $"SPRS score {s} of {ScoreAssessment.Max} (scale {ScoreAssessment.Min} to {ScoreAssessment.Max}); CMMC Level 2 conditional status needs {ScoreAssessment.ConditionalThreshold}." : "No score: see the reasons listed.";
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart gauge\" viewBox=\"0 0 220 125\" width=\"220\" height=\"125\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">SPRS score</title><desc id=\"{id}-d\">{Esc(text)}</desc>");
        sb.Append(Arc(cx, cy, r, 0, 1, "gauge-track"));
        if (score is { } value)
        {
            var fraction = Fraction(value);
            sb.Append(Arc(cx, cy, r, 0, fraction, value >= ScoreAssessment.ConditionalThreshold ? "gauge-good" : value >= 0 ? "gauge-warn" : "gauge-bad"));
        }
        var (mx1, my1) = Point(cx, cy, r - 16, Fraction(ScoreAssessment.ConditionalThreshold));
        var (mx2, my2) = Point(cx, cy, r + 8, Fraction(ScoreAssessment.ConditionalThreshold));
        sb.Append(CultureInfo.InvariantCulture, $"<line class=\"gauge-mark\" x1=\"{mx1:0.#}\" y1=\"{my1:0.#}\" x2=\"{mx2:0.#}\" y2=\"{my2:0.#}\" stroke-width=\"3\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"gauge-label\" x=\"{mx2 + 2:0.#}\" y=\"{my2 - 2:0.#}\" font-size=\"10\">88</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"gauge-value\" x=\"{cx}\" y=\"{cy - 10}\" text-anchor=\"middle\" font-size=\"34\" font-weight=\"700\">{(score is { } v ? v.ToString(Inv) : "—")}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"gauge-label\" x=\"{cx - r}\" y=\"{cy + 16}\" text-anchor=\"middle\" font-size=\"10\">{ScoreAssessment.Min}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"gauge-label\" x=\"{cx + r}\" y=\"{cy + 16}\" text-anchor=\"middle\" font-size=\"10\">{ScoreAssessment.Max}</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Per family: how many requirements are met, not met, not applicable and unassessed, as stacked bars.</summary>
    public static string FamilyBars(Catalog catalog, ReadOnlySpan<Status> statuses, string id)
    {
        var families = catalog.Families;
        const int rowHeight = 22, labelWidth = 44, barWidth = 250, countWidth = 150;
        var height = families.Count * rowHeight + 30;
        var sb = new StringBuilder();
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < catalog.Requirements.Count; i++) byId[catalog.Requirements[i].Id] = i;
        var desc = new StringBuilder("Requirements per family: ");
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart bars\" viewBox=\"0 0 {labelWidth + barWidth + countWidth} {height}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">Requirements by family</title>");
        var y = 4;
        var rows = new StringBuilder();
        foreach (var family in families)
        {
            int met = 0, notMet = 0, na = 0, un = 0;
            foreach (var rid in family.RequirementIds)
                switch (statuses[byId[rid]])
                {
                    case Status.Met: met++; break;
                    case Status.NotMet: notMet++; break;
                    case Status.NotApplicable: na++; break;
                    default: un++; break;
                }
            var total = family.RequirementIds.Count;
            rows.Append(CultureInfo.InvariantCulture, $"<text class=\"bar-label\" x=\"0\" y=\"{y + 14}\" font-size=\"12\">{Esc(family.Id)}</text>");
            double x = labelWidth;
            foreach (var (count, cls) in new[] { (met, "st-met"), (notMet, "st-not-met"), (na, "st-na"), (un, "st-un") })
            {
                if (count == 0) continue;
                var w = barWidth * count / (double)total;
                rows.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cls}\" x=\"{x:0.##}\" y=\"{y}\" width=\"{w:0.##}\" height=\"{rowHeight - 6}\"/>");
                x += w;
            }
            rows.Append(CultureInfo.InvariantCulture, $"<text class=\"bar-count\" x=\"{labelWidth + barWidth + 6}\" y=\"{y + 14}\" font-size=\"11\">{met} met · {notMet} not · {na} n/a · {un} ?</text>");
            desc.Append(CultureInfo.InvariantCulture, $"{family.Name}: {met} met, {notMet} not met, {na} not applicable, {un} unassessed. ");
            y += rowHeight;
        }
        sb.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-d\">{Esc(desc.ToString())}</desc>").Append(rows);
        var lx = (double)labelWidth;
        foreach (var (label, cls) in new[] { ("met", "st-met"), ("not met", "st-not-met"), ("n/a", "st-na"), ("unassessed", "st-un") })
        {
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cls}\" x=\"{lx}\" y=\"{y + 6}\" width=\"12\" height=\"12\"/><text class=\"bar-label\" x=\"{lx + 16}\" y=\"{y + 16}\" font-size=\"11\">{label}</text>");
            lx += 80;
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Open POA&amp;M items over time: actual (by completion dates) and planned (by planned dates), down to the closeout date.</summary>
    public static string Burndown(IReadOnlyList<PoamItem> items, DateOnly start, DateOnly end, DateOnly today, string id)
    {
        if (end <= start) end = start.AddDays(1);
        const double w = 520, h = 200, left = 36, bottom = 24, top = 10, right = 10;
        var total = Math.Max(items.Count, 1);
        var span = end.DayNumber - start.DayNumber;
        double X(DateOnly d) => left + (w - left - right) * Math.Clamp(d.DayNumber - start.DayNumber, 0, span) / span;
        double Y(int open) => top + (h - top - bottom) * (1 - open / (double)total);
        int OpenAt(DateOnly d, bool planned) => items.Count(i => planned
            ? !(i.PlannedCompletion is { } p && p <= d) && !(i.Status == PoamStatus.Closed && i.CompletedOn is null)
            : !(i.Status == PoamStatus.Closed && (i.CompletedOn is null || i.CompletedOn <= d)));
        var dates = items.SelectMany(i => new[] { i.PlannedCompletion, i.CompletedOn }).OfType<DateOnly>().Append(start).Append(end).Append(today)
            .Where(d => d >= start && d <= end).Distinct().Order().ToArray();
        string Steps(bool planned, DateOnly until)
        {
            var path = new StringBuilder();
            var previous = OpenAt(start, planned);
            path.Append(CultureInfo.InvariantCulture, $"M{X(start):0.#},{Y(previous):0.#}");
            foreach (var d in dates.Where(d => d > start && d <= until))
            {
                var open = OpenAt(d, planned);
                path.Append(CultureInfo.InvariantCulture, $" H{X(d):0.#} V{Y(open):0.#}");
                previous = open;
            }
            path.Append(CultureInfo.InvariantCulture, $" H{X(until):0.#}");
            return path.ToString();
        }
        var openNow = OpenAt(today, false);
        var plannedAtEnd = OpenAt(end, true);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart burndown\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">POA&amp;M burndown</title>");
        sb.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-d\">{items.Count} POA&amp;M items; {openNow} open on {today:yyyy-MM-dd}; by the planned dates {plannedAtEnd} would still be open at the closeout date {end:yyyy-MM-dd}.</desc>");
        sb.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{left}\" y1=\"{h - bottom}\" x2=\"{w - right}\" y2=\"{h - bottom}\"/><line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{h - bottom}\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"bar-label\" x=\"{left - 6}\" y=\"{Y(total) + 4:0.#}\" text-anchor=\"end\" font-size=\"10\">{total}</text><text class=\"bar-label\" x=\"{left - 6}\" y=\"{h - bottom}\" text-anchor=\"end\" font-size=\"10\">0</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text class=\"bar-label\" x=\"{left}\" y=\"{h - 6}\" font-size=\"10\">{start:yyyy-MM-dd}</text><text class=\"bar-label\" x=\"{w - right}\" y=\"{h - 6}\" text-anchor=\"end\" font-size=\"10\">closeout {end:yyyy-MM-dd}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<path class=\"line-planned\" d=\"{Steps(true, end)}\" fill=\"none\" stroke-width=\"2\" stroke-dasharray=\"5 4\"/>");
        var until = today < start ? start : today > end ? end : today;
        sb.Append(CultureInfo.InvariantCulture, $"<path class=\"line-actual\" d=\"{Steps(false, until)}\" fill=\"none\" stroke-width=\"3\"/>");
        if (today >= start && today <= end)
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"today\" x1=\"{X(today):0.#}\" y1=\"{top}\" x2=\"{X(today):0.#}\" y2=\"{h - bottom}\" stroke-dasharray=\"2 3\"/><text class=\"bar-label\" x=\"{X(today) + 3:0.#}\" y=\"{top + 10}\" font-size=\"10\">today</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Score over the assessments of one subject, oldest first.</summary>
    public static string Trend(IReadOnlyList<(string Label, int? Score)> points, string id)
    {
        const double w = 520, h = 160, left = 40, right = 14, top = 12, bottom = 26;
        double Y(int s) => top + (h - top - bottom) * (ScoreAssessment.Max - s) / (double)(ScoreAssessment.Max - ScoreAssessment.Min);
        double X(int i) => points.Count == 1 ? (left + w - right) / 2 : left + (w - left - right) * i / (points.Count - 1);
        var sb = new StringBuilder();
        var desc = string.Join("; ", points.Select(p => $"{p.Label}: {(p.Score is { } s ? s.ToString(Inv) : "no score")}"));
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart trend\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">Score trend</title><desc id=\"{id}-d\">{Esc(desc)}</desc>");
        foreach (var tick in new[] { ScoreAssessment.Max, ScoreAssessment.ConditionalThreshold, 0, -100, ScoreAssessment.Min })
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"{(tick == ScoreAssessment.ConditionalThreshold ? "gauge-mark" : "gridline")}\" x1=\"{left}\" y1=\"{Y(tick):0.#}\" x2=\"{w - right}\" y2=\"{Y(tick):0.#}\"/><text class=\"bar-label\" x=\"{left - 4}\" y=\"{Y(tick) + 3:0.#}\" text-anchor=\"end\" font-size=\"10\">{tick}</text>");
        var scored = points.Select((p, i) => (p, i)).Where(x => x.p.Score is not null).ToArray();
        if (scored.Length > 1)
            sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"line-actual\" fill=\"none\" stroke-width=\"3\" points=\"{string.Join(' ', scored.Select(x => $"{X(x.i).ToString("0.#", Inv)},{Y(x.p.Score!.Value).ToString("0.#", Inv)}"))}\"/>");
        // Every point gets its dot; labels only where they fit (the description and the history table list them all).
        var labelled = LabelledPoints(points.Select(p => p.Label).ToArray(), X, 10);
        foreach (var (p, i) in scored)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot\" cx=\"{X(i):0.#}\" cy=\"{Y(p.Score!.Value):0.#}\" r=\"4\"/>");
            if (labelled.Contains(i))
                sb.Append(CultureInfo.InvariantCulture, $"<text class=\"bar-label\" x=\"{X(i):0.#}\" y=\"{Y(p.Score!.Value) - 8:0.#}\" text-anchor=\"middle\" font-size=\"11\">{p.Score}</text>");
        }
        foreach (var i in labelled)
        {
            var (x, anchor) = LabelPosition(X(i), TextWidth(points[i].Label, 10), w - right);
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"bar-label axis-label\" x=\"{x:0.#}\" y=\"{h - 8}\" text-anchor=\"{anchor}\" font-size=\"10\">{Esc(points[i].Label)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// Which points' labels to draw so that none overlaps another: the first, the last, and every k-th between, k the smallest step whose
    /// labels fit side by side; a label that would crowd the last one is dropped (the last date is the one a reader looks for).
    /// </summary>
    internal static IReadOnlyList<int> LabelledPoints(IReadOnlyList<string> labels, Func<int, double> x, double fontSize)
    {
        if (labels.Count <= 1) return labels.Count == 1 ? [0] : [];
        const double gap = 8;
        var widest = labels.Max(l => TextWidth(l, fontSize));
        var spacing = Math.Abs(x(1) - x(0));
        var step = Math.Max(1, (int)Math.Ceiling((widest + gap) / Math.Max(spacing, 0.001)));
        var last = labels.Count - 1;
        var chosen = new List<int>();
        for (var i = 0; i < last; i += step)
            if (Math.Abs(x(last) - x(i)) >= 1.5 * widest + gap) chosen.Add(i); // the last label may be right-aligned: it reaches a whole width left
        chosen.Add(last);
        return chosen;
    }

    /// <summary>A label's width estimated from its length (the chart is drawn without measuring fonts): generous, so estimates err towards fewer labels.</summary>
    internal static double TextWidth(string text, double fontSize) => text.Length * fontSize * 0.62;

    /// <summary>Centred under its point, unless that would cross the plot's left or right edge: then aligned to the edge, inside the viewBox.</summary>
    internal static (double X, string Anchor) LabelPosition(double x, double width, double maxX) =>
        x - width / 2 < 0 ? (Math.Max(x, 0), "start")
        : x + width / 2 > maxX ? (Math.Min(x, maxX), "end")
        : (x, "middle");

    private static double Fraction(int score) => Math.Clamp((score - ScoreAssessment.Min) / (double)(ScoreAssessment.Max - ScoreAssessment.Min), 0, 1);

    private static (double X, double Y) Point(double cx, double cy, double r, double fraction)
    {
        var angle = Math.PI * (1 - fraction);
        return (cx + r * Math.Cos(angle), cy - r * Math.Sin(angle));
    }

    private static string Arc(double cx, double cy, double r, double from, double to, string cls)
    {
        var (x1, y1) = Point(cx, cy, r, from);
        var (x2, y2) = Point(cx, cy, r, Math.Max(to, from + 0.0001));
        return string.Create(Inv, $"<path class=\"{cls}\" d=\"M{x1:0.##},{y1:0.##} A{r},{r} 0 0 1 {x2:0.##},{y2:0.##}\" fill=\"none\" stroke-width=\"16\"/>");
    }

    private static string Esc(string text) => WebUtility.HtmlEncode(text);
}
