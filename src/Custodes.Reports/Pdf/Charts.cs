using System.Globalization;
using Custodes.Assessments.Scoring;
using PdfSharp.Drawing;
using static Custodes.Reports.Pdf.PdfComposer;

namespace Custodes.Reports.Pdf;

/// <summary>The report's charts, drawn as vector graphics: the SPRS score gauge and the per-family status bars.</summary>
internal static class Charts
{
    /// <summary>A half-circle gauge from the minimum (−203) to the maximum (110) score, with the CMMC conditional threshold (88) marked.</summary>
    public static void ScoreGauge(XGraphics g, double x, double y, double width, ScoreReport score)
    {
        var radius = width / 2;
        var cx = x + radius;
        var cy = y + radius;
        var thickness = radius * 0.22;
        var box = new XRect(cx - radius + thickness / 2, cy - radius + thickness / 2, 2 * radius - thickness, 2 * radius - thickness);
        g.DrawArc(new XPen(Band, thickness), box, 180, 180);
        double Angle(int value) => 180.0 * (value - score.Min) / (score.Max - score.Min);
        if (score.Score is { } s)
        {
            var color = s >= ScoreAssessment.Max ? Green : s >= ScoreAssessment.ConditionalThreshold ? Amber : Red;
            g.DrawArc(new XPen(color, thickness), box, 180, Math.Max(1, Angle(s)));
        }
        // Threshold tick at 88 (0.8 × 110), the least score for a conditional CMMC Level 2 status.
        var t = (180 + Angle(ScoreAssessment.ConditionalThreshold)) * Math.PI / 180;
        var inner = radius - thickness * 1.25;
        var outer = radius + 3;
        g.DrawLine(new XPen(Ink, 1.2), cx + inner * Math.Cos(t), cy + inner * Math.Sin(t), cx + outer * Math.Cos(t), cy + outer * Math.Sin(t));
        g.DrawString("88", Font(7), new XSolidBrush(Muted), new XRect(cx + (outer + 2) * Math.Cos(t) - 6, cy + (outer + 2) * Math.Sin(t) - 10, 20, 10), XStringFormats.TopLeft);
        var text = score.Score is { } value ? value.ToString(CultureInfo.InvariantCulture) : "n/a";
        g.DrawString(text, Font(radius * 0.42, bold: true), new XSolidBrush(Ink), new XRect(x, cy - radius * 0.5, width, radius * 0.5), XStringFormats.BottomCenter);
        g.DrawString($"of {score.Max}", Font(8), new XSolidBrush(Muted), new XRect(x, cy + 2, width, 12), XStringFormats.TopCenter);
        g.DrawString(score.Min.ToString(CultureInfo.InvariantCulture), Font(7), new XSolidBrush(Muted), new XRect(x, cy + 2, thickness * 2, 10), XStringFormats.TopLeft);
        g.DrawString(score.Max.ToString(CultureInfo.InvariantCulture), Font(7), new XSolidBrush(Muted), new XRect(x + width - thickness * 2, cy + 2, thickness * 2, 10), XStringFormats.TopRight);
    }

    /// <summary>One horizontal bar per family: met, not applicable, not met and unassessed requirements, with counts and points lost. Returns its height.</summary>
    public static double FamilyBars(XGraphics g, double x, double y, double width, IReadOnlyList<FamilySummary> families)
    {
        const double row = 15, bar = 9, labelWidth = 185, countWidth = 70;
        var barWidth = width - labelWidth - countWidth;
        var max = Math.Max(1, families.Max(f => f.Rows.Count));
        var label = Font(7.5);
        var top = y;
        foreach (var f in families)
        {
            g.DrawString($"{f.Family.Id}  {f.Family.Name}", label, new XSolidBrush(Ink), new XRect(x, y, labelWidth, row), XStringFormats.CenterLeft);
            var bx = x + labelWidth;
            var unit = barWidth / max;
            foreach (var (count, color) in new[] { (f.Met, Green), (f.NotApplicable, Slate), (f.NotMet, Red), (f.Unassessed, Amber) })
            {
                if (count == 0) continue;
                g.DrawRectangle(new XSolidBrush(color), bx, y + (row - bar) / 2, count * unit, bar);
                bx += count * unit;
            }
            var counts = $"{f.Met}/{f.Rows.Count}" + (f.NotApplicable > 0 ? $" +{f.NotApplicable} n/a" : "") + (f.PointsLost > 0 ? $"  −{f.PointsLost} pts" : "");
            g.DrawString(counts, label, new XSolidBrush(f.PointsLost > 0 ? Red : Muted), new XRect(x + labelWidth + barWidth + 6, y, countWidth, row), XStringFormats.CenterLeft);
            y += row;
        }
        y += 4;
        var lx = x + labelWidth;
        foreach (var (name, color) in new[] { ("Met", Green), ("Not applicable", Slate), ("Not met", Red), ("Unassessed", Amber) })
        {
            g.DrawRectangle(new XSolidBrush(color), lx, y + 3, 8, 8);
            g.DrawString(name, label, new XSolidBrush(Muted), new XRect(lx + 11, y, 80, 14), XStringFormats.CenterLeft);
            lx += 18 + g.MeasureString(name, label).Width + 10;
        }
        return y + 16 - top;
    }
}
