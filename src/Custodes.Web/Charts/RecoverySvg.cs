using System.Globalization;
using System.Net;
using System.Text;
using Custodes.SupplyChain;

namespace Custodes.Web.Charts;

/// <summary>A restore schedule drawn as SVG: a Gantt of each crew's restores, and the customers back over time (as <see cref="Svg"/>: classes for colour, a title and a description).</summary>
internal static class RecoverySvg
{
    /// <summary>Restores drawn at most: beyond them the chart would be a grey wall (and megabytes); the table and the curve still count every customer.</summary>
    public const int MaxBars = 1500;

    /// <summary>One row per crew, one bar per restore from its start to its done hour, coloured by the customer's backup risk.</summary>
    public static string Gantt(RecoverySchedule s, string id)
    {
        const double w = 640, left = 110, right = 10, top = 8, axis = 26;
        var lanes = s.Lanes.Count;
        var row = lanes > 40 ? 6.0 : 18.0;
        var h = top + lanes * row + axis + 22;
        var span = (double)Math.Max(s.MakespanHours, 1m);
        double X(decimal hours) => left + (w - left - right) * (double)hours / span;
        var sb = new StringBuilder();
        var drawn = Math.Min(s.Customers.Count, MaxBars);
        var desc = $"{s.Customers.Count} customers restored by {lanes} crews in {Hours.Text(s.MakespanHours)}; {s.CustomersWithoutUsableBackup} have no usable backup."
            + (drawn < s.Customers.Count ? $" The chart shows the first {drawn} restores." : "");
        sb.Append(Inv($"<svg class=\"chart gantt\" viewBox=\"0 0 {w} {h:0.#}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">Restore schedule by crew</title><desc id=\"{id}-d\">{Esc(desc)}</desc>"));
        foreach (var (tick, label) in Ticks(s.MakespanHours))
        {
            var x = X(tick);
            sb.Append(Inv($"<line class=\"gridline\" x1=\"{x:0.#}\" y1=\"{top}\" x2=\"{x:0.#}\" y2=\"{top + lanes * row:0.#}\"/>"));
            sb.Append(Inv($"<text class=\"bar-label axis-label\" x=\"{x:0.#}\" y=\"{top + lanes * row + 16:0.#}\" text-anchor=\"middle\" font-size=\"10\">{Esc(label)}</text>"));
        }
        if (lanes <= 40)
            foreach (var lane in s.Lanes)
                sb.Append(Inv($"<text class=\"bar-label\" x=\"0\" y=\"{top + (lane.Crew - 1) * row + row - 5:0.#}\" font-size=\"10\">{Esc(Short(lane.Team))} {lane.Crew}</text>"));
        else
            sb.Append(Inv($"<text class=\"bar-label\" x=\"0\" y=\"{top + 12}\" font-size=\"10\">{lanes} crews</text>"));
        foreach (var lane in s.Lanes.Where(l => l.JoinsAtHour > 0))
            sb.Append(Inv($"<rect class=\"lane-waiting\" x=\"{left}\" y=\"{top + (lane.Crew - 1) * row + 1:0.#}\" width=\"{X(lane.JoinsAtHour) - left:0.#}\" height=\"{row - 2:0.#}\"/>"));
        for (var i = 0; i < drawn; i++)
        {
            var c = s.Customers[i];
            var x = X(c.StartHour);
            var width = Math.Max(X(c.DoneHour) - x, 0.5);
            sb.Append(Inv($"<rect class=\"risk-{Risk(c.Risk)}\" x=\"{x:0.##}\" y=\"{top + (c.Crew - 1) * row + 1:0.#}\" width=\"{width:0.##}\" height=\"{row - 2:0.#}\"><title>{Esc($"{c.Name}: hours {c.StartHour}–{c.DoneHour}, backup {Risk(c.Risk)} risk")}</title></rect>"));
        }
        var ly = top + lanes * row + axis;
        var lx = left;
        foreach (var risk in new[] { RecoveryRisk.Critical, RecoveryRisk.High, RecoveryRisk.Medium, RecoveryRisk.Low })
        {
            sb.Append(Inv($"<rect class=\"risk-{Risk(risk)}\" x=\"{lx}\" y=\"{ly:0.#}\" width=\"12\" height=\"12\"/><text class=\"bar-label\" x=\"{lx + 16}\" y=\"{ly + 10:0.#}\" font-size=\"11\">{Risk(risk)}</text>"));
            lx += 80;
        }
        sb.Append(Inv($"<text class=\"bar-label\" x=\"{lx}\" y=\"{ly + 10:0.#}\" font-size=\"11\">hours after the compromise</text>"));
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>How many customers are back at each hour: a step that rises at each done hour, to all of them at the makespan.</summary>
    public static string Cumulative(RecoverySchedule s, string id)
    {
        const double w = 640, h = 200, left = 44, bottom = 24, top = 10, right = 10;
        var total = Math.Max(s.Customers.Count, 1);
        var span = (double)Math.Max(s.MakespanHours, 1m);
        double X(decimal hours) => left + (w - left - right) * (double)hours / span;
        double Y(int back) => top + (h - top - bottom) * (1 - back / (double)total);
        var done = s.Customers.Select(c => c.DoneHour).Order().ToArray();
        var usable = s.Customers.Where(c => c.Risk != RecoveryRisk.Critical).Select(c => c.DoneHour).Order().ToArray();
        var half = done.Length == 0 ? 0 : done[(done.Length - 1) / 2];
        var desc = done.Length == 0 ? "No customer to restore." :
            $"Half of the {done.Length} customers are back after {Hours.Text(half)}, all after {Hours.Text(s.MakespanHours)}; {usable.Length} of them with their data (a usable backup).";
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg class=\"chart cumulative\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">Customers back over time</title><desc id=\"{id}-d\">{Esc(desc)}</desc>"));
        foreach (var fraction in new[] { 0, 0.5, 1 })
        {
            var y = Y((int)Math.Round(total * fraction));
            sb.Append(Inv($"<line class=\"gridline\" x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{w - right}\" y2=\"{y:0.#}\"/><text class=\"bar-label\" x=\"{left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"10\">{Math.Round(total * fraction)}</text>"));
        }
        foreach (var (tick, label) in Ticks(s.MakespanHours))
            sb.Append(Inv($"<text class=\"bar-label axis-label\" x=\"{X(tick):0.#}\" y=\"{h - 8}\" text-anchor=\"middle\" font-size=\"10\">{Esc(label)}</text>"));
        sb.Append(Inv($"<path class=\"line-actual\" fill=\"none\" stroke-width=\"2\" d=\"{Steps(done, X, Y)}\"/>"));
        if (usable.Length < done.Length)
            sb.Append(Inv($"<path class=\"line-planned\" fill=\"none\" stroke-width=\"2\" stroke-dasharray=\"5 3\" d=\"{Steps(usable, X, Y)}\"/>"));
        sb.Append(Inv($"<line class=\"line-actual\" x1=\"{left}\" y1=\"{h - 4}\" x2=\"{left + 18}\" y2=\"{h - 4}\" stroke-width=\"2\"/><text class=\"bar-label\" x=\"{left + 22}\" y=\"{h}\" font-size=\"10\">customers back</text>"));
        if (usable.Length < done.Length)
            sb.Append(Inv($"<line class=\"line-planned\" x1=\"{left + 130}\" y1=\"{h - 4}\" x2=\"{left + 148}\" y2=\"{h - 4}\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/><text class=\"bar-label\" x=\"{left + 152}\" y=\"{h}\" font-size=\"10\">back with their data</text>"));
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>A step path through (done hour, customers back), at most about 600 points whatever the number of customers.</summary>
    private static string Steps(decimal[] done, Func<decimal, double> x, Func<int, double> y)
    {
        var sb = new StringBuilder(Inv($"M{x(0):0.#},{y(0):0.#}"));
        var stride = Math.Max(1, done.Length / 600);
        for (var i = 0; i < done.Length; i++)
        {
            // Take every customer done at the same hour at once, and thin out very long curves to one point every stride customers.
            var j = i;
            while (j + 1 < done.Length && (done[j + 1] == done[i] || (j + 1 - i) < stride)) j++;
            sb.Append(Inv($" H{x(done[j]):0.#} V{y(j + 1):0.#}"));
            i = j;
        }
        return sb.ToString();
    }

    /// <summary>About six ticks on round hour or day values.</summary>
    private static IEnumerable<(decimal Hours, string Label)> Ticks(decimal makespan)
    {
        if (makespan <= 0) yield break;
        var days = makespan > 72;
        var unit = days ? 24m : 1m;
        var raw = makespan / unit / 6;
        var step = new[] { 1m, 2m, 5m, 10m, 20m, 50m, 100m, 200m, 500m, 1000m }.FirstOrDefault(s => s >= raw, 1000m) * unit;
        for (var t = 0m; t <= makespan; t += step)
            yield return (t, days ? $"day {t / 24:0}" : $"{t:0} h");
    }

    private static string Risk(RecoveryRisk risk) => risk.ToString().ToLowerInvariant();

    private static string Short(string name) => name.Length <= 16 ? name : name[..15] + "…";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Esc(string text) => WebUtility.HtmlEncode(text);
}
