using System.Globalization;
using System.Xml.Linq;
using Custodes.Web.Charts;

namespace Custodes.Web.Tests;

/// <summary>The workspace's score trend: its date labels never overlap and the last one is inside the picture.</summary>
public sealed class TrendChartTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(24)]
    public void Date_labels_do_not_overlap_and_the_last_date_is_inside_the_viewBox(int count)
    {
        var start = new DateOnly(2025, 1, 6);
        var points = Enumerable.Range(0, count).Select(i => (start.AddDays(14 * i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (int?)(40 + 3 * i))).ToArray();
        var svg = XElement.Parse(Svg.Trend(points, "trend"));
        var width = double.Parse(svg.Attribute("viewBox")!.Value.Split(' ')[2], CultureInfo.InvariantCulture);
        var labels = svg.Elements().Where(e => e.Name.LocalName == "text" && (e.Attribute("class")?.Value.Contains("axis-label") ?? false))
            .Select(e =>
            {
                var x = double.Parse(e.Attribute("x")!.Value, CultureInfo.InvariantCulture);
                var w = Svg.TextWidth(e.Value, 10);
                var (from, to) = e.Attribute("text-anchor")!.Value switch
                {
                    "start" => (x, x + w),
                    "end" => (x - w, x),
                    _ => (x - w / 2, x + w / 2),
                };
                return (Text: e.Value, From: from, To: to);
            }).ToArray();

        Assert.Equal(points[^1].Item1, labels[^1].Text);
        Assert.Equal(points[0].Item1, labels[0].Text);
        Assert.All(labels, l => Assert.True(l.From >= 0 && l.To <= width, $"{l.Text} spans {l.From:0.#}–{l.To:0.#}, outside 0–{width}"));
        for (var i = 1; i < labels.Length; i++)
            Assert.True(labels[i].From >= labels[i - 1].To, $"{labels[i - 1].Text} ({labels[i - 1].From:0.#}–{labels[i - 1].To:0.#}) overlaps {labels[i].Text} ({labels[i].From:0.#}–{labels[i].To:0.#})");
        // Every point keeps its dot, labelled or not.
        Assert.Equal(count, svg.Elements().Count(e => e.Name.LocalName == "circle"));
    }
}
