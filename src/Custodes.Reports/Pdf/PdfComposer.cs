using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Custodes.Reports.Pdf;

/// <summary>Flows headings, wrapped paragraphs and tables down US Letter pages, breaking pages as needed; stamps headers and "Page X of Y" footers at the end.</summary>
internal sealed class PdfComposer
{
    public const double PageWidth = 612, PageHeight = 792, Margin = 54, Top = 76, Bottom = 64;
    public static readonly XColor Ink = XColor.FromArgb(0x1B, 0x25, 0x33);
    public static readonly XColor Muted = XColor.FromArgb(0x5B, 0x67, 0x76);
    public static readonly XColor Accent = XColor.FromArgb(0x1F, 0x3A, 0x5F);
    public static readonly XColor Rule = XColor.FromArgb(0xD5, 0xDB, 0xE3);
    public static readonly XColor Band = XColor.FromArgb(0xF2, 0xF4, 0xF7);
    public static readonly XColor Green = XColor.FromArgb(0x2E, 0x7D, 0x32);
    public static readonly XColor Red = XColor.FromArgb(0xC6, 0x28, 0x28);
    public static readonly XColor Amber = XColor.FromArgb(0xE0, 0x8E, 0x0B);
    public static readonly XColor Slate = XColor.FromArgb(0x90, 0xA4, 0xAE);

    private readonly List<PdfPage> _pages = [];
    private XGraphics? _g;

    public PdfComposer(string title, string subject, string author)
    {
        ReportFonts.EnsureInstalled();
        Document = new PdfDocument();
        Document.Info.Title = title;
        Document.Info.Subject = subject;
        Document.Info.Author = author;
        Document.Info.Creator = "Custodes";
        Body = Font(9.5);
        Small = Font(8);
        Bold = Font(9.5, bold: true);
    }

    public PdfDocument Document { get; }
    public XFont Body { get; }
    public XFont Small { get; }
    public XFont Bold { get; }
    public double Y { get; set; }
    public double Left => Margin;
    public double Width => PageWidth - 2 * Margin;
    public XGraphics G => _g ?? throw new InvalidOperationException("no page yet");
    public int PageCount => _pages.Count;

    public static XFont Font(double size, bool bold = false, bool italic = false) =>
        new(ReportFonts.Family, size, bold ? (italic ? XFontStyleEx.BoldItalic : XFontStyleEx.Bold) : italic ? XFontStyleEx.Italic : XFontStyleEx.Regular);

    public void NewPage()
    {
        _g?.Dispose();
        var page = Document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        _pages.Add(page);
        _g = XGraphics.FromPdfPage(page);
        Y = Top;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    public void EnsureSpace(double height)
    {
        if (_g is null || Y + height > PageHeight - Bottom) NewPage();
    }

    public void Space(double points) => Y += points;

    public void Heading(string text, double size = 15, double before = 6)
    {
        var font = Font(size, bold: true);
        EnsureSpace(before + size * 1.4 + 40);
        Y += before;
        G.DrawString(text, font, new XSolidBrush(Accent), new XRect(Left, Y, Width, size * 1.3), XStringFormats.TopLeft);
        Y += size * 1.35;
        G.DrawLine(new XPen(Rule, 0.8), Left, Y, Left + Width, Y);
        Y += 7;
    }

    public void Subheading(string text, double size = 11)
    {
        var font = Font(size, bold: true);
        EnsureSpace(size * 1.4 + 70);
        Y += 4;
        G.DrawString(text, font, new XSolidBrush(Ink), new XRect(Left, Y, Width, size * 1.3), XStringFormats.TopLeft);
        Y += size * 1.45;
    }

    /// <summary>Writes wrapped text, breaking pages between lines.</summary>
    public void Paragraph(string text, XFont? font = null, XColor? color = null, double indent = 0, double after = 5)
    {
        font ??= Body;
        var brush = new XSolidBrush(color ?? Ink);
        var lineHeight = LineHeight(font);
        foreach (var line in Wrap(text, font, Width - indent))
        {
            EnsureSpace(lineHeight);
            G.DrawString(line, font, brush, new XRect(Left + indent, Y, Width - indent, lineHeight), XStringFormats.TopLeft);
            Y += lineHeight;
        }
        Y += after;
    }

    public void Bullet(string text, XFont? font = null, XColor? color = null, XColor? bulletColor = null)
    {
        font ??= Body;
        EnsureSpace(LineHeight(font));
        G.DrawEllipse(new XSolidBrush(bulletColor ?? Accent), Left + 3, Y + LineHeight(font) / 2 - 2, 4, 4);
        Paragraph(text, font, color, indent: 14, after: 2);
    }

    /// <summary>Label/value rows in two columns.</summary>
    public void Facts(IEnumerable<(string Label, string Value)> facts, double labelWidth = 150)
    {
        foreach (var (label, value) in facts)
        {
            var lines = Wrap(value, Body, Width - labelWidth);
            var height = lines.Count * LineHeight(Body) + 4;
            EnsureSpace(height);
            G.DrawString(label, Bold, new XSolidBrush(Muted), new XRect(Left, Y, labelWidth, LineHeight(Body)), XStringFormats.TopLeft);
            var y = Y;
            foreach (var line in lines)
            {
                G.DrawString(line, Body, new XSolidBrush(Ink), new XRect(Left + labelWidth, y, Width - labelWidth, LineHeight(Body)), XStringFormats.TopLeft);
                y += LineHeight(Body);
            }
            Y += height;
        }
    }

    /// <summary>A table whose cells hold stacked text runs; rows never split across pages, and the header repeats after a break.</summary>
    public void Table(IReadOnlyList<Column> columns, IEnumerable<IReadOnlyList<Cell>> rows)
    {
        const double pad = 3.5;
        var widths = columns.Select(c => c.Width * Width).ToArray();
        double headerHeight = LineHeight(Small) + 2 * pad;
        void HeaderRow()
        {
            G.DrawRectangle(new XSolidBrush(Accent), Left, Y, Width, headerHeight);
            var x = Left;
            for (var i = 0; i < columns.Count; i++)
            {
                G.DrawString(columns[i].Title, Font(8, bold: true), XBrushes.White, new XRect(x + pad, Y + pad, widths[i] - 2 * pad, headerHeight), XStringFormats.TopLeft);
                x += widths[i];
            }
            Y += headerHeight;
        }
        var shade = false;
        var first = true;
        foreach (var row in rows)
        {
            var laid = new List<List<(string Text, XFont Font, XColor Color)>>();
            double height = 0;
            for (var i = 0; i < columns.Count; i++)
            {
                var lines = new List<(string, XFont, XColor)>();
                foreach (var run in i < row.Count ? row[i].Runs : [])
                    foreach (var line in Wrap(run.Text, run.Font ?? Body, widths[i] - 2 * pad))
                        lines.Add((line, run.Font ?? Body, run.Color ?? Ink));
                laid.Add(lines);
                height = Math.Max(height, lines.Sum(l => LineHeight(l.Item2)));
            }
            height += 2 * pad;
            // The header never stands alone at the foot of a page: it goes with the first row, and repeats after a break.
            if (first || Y + height > PageHeight - Bottom)
            {
                if (!first || Y + headerHeight + height > PageHeight - Bottom) NewPage();
                HeaderRow();
                first = false;
            }
            if (shade) G.DrawRectangle(new XSolidBrush(Band), Left, Y, Width, height);
            shade = !shade;
            var x = Left;
            for (var i = 0; i < columns.Count; i++)
            {
                var y = Y + pad;
                if (i < row.Count && row[i].Fill is { } fill)
                    G.DrawRectangle(new XSolidBrush(fill), x + 1, Y + 1, widths[i] - 2, height - 2);
                foreach (var (text, font, color) in laid[i])
                {
                    G.DrawString(text, font, new XSolidBrush(color), new XRect(x + pad, y, widths[i] - 2 * pad, LineHeight(font)), XStringFormats.TopLeft);
                    y += LineHeight(font);
                }
                x += widths[i];
            }
            Y += height;
            G.DrawLine(new XPen(Rule, 0.5), Left, Y, Left + Width, Y);
        }
        Y += 8;
    }

    public static double LineHeight(XFont font) => font.Size * 1.32;

    /// <summary>Breaks text into lines that fit <paramref name="width"/>: at spaces, and inside words too long for a line (hashes, URLs).</summary>
    public List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Measure(candidate, font) <= width)
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0) lines.Add(line);
                line = word;
                while (Measure(line, font) > width && line.Length > 1)
                {
                    var cut = line.Length - 1;
                    while (cut > 1 && Measure(line[..cut], font) > width) cut--;
                    lines.Add(line[..cut]);
                    line = line[cut..];
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    public double Measure(string text, XFont font) => G.MeasureString(text, font).Width;

    /// <summary>Stamps every page but the first <paramref name="skip"/> with the header, and every page with the footer and "Page X of Y".</summary>
    public void Finish(string headerLeft, string headerRight, string footerLeft, int skip = 1)
    {
        _g?.Dispose();
        _g = null;
        var font = Font(7.5);
        var brush = new XSolidBrush(Muted);
        for (var i = 0; i < _pages.Count; i++)
        {
            using var g = XGraphics.FromPdfPage(_pages[i], XGraphicsPdfPageOptions.Append);
            if (i >= skip)
            {
                g.DrawString(headerLeft, font, brush, new XRect(Margin, 34, Width * 0.7, 12), XStringFormats.TopLeft);
                g.DrawString(headerRight, font, brush, new XRect(Margin, 34, Width, 12), XStringFormats.TopRight);
                g.DrawLine(new XPen(Rule, 0.6), Margin, 48, PageWidth - Margin, 48);
            }
            g.DrawLine(new XPen(Rule, 0.6), Margin, PageHeight - 44, PageWidth - Margin, PageHeight - 44);
            g.DrawString(footerLeft, font, brush, new XRect(Margin, PageHeight - 38, Width * 0.75, 12), XStringFormats.TopLeft);
            g.DrawString($"Page {i + 1} of {_pages.Count}", font, brush, new XRect(Margin, PageHeight - 38, Width, 12), XStringFormats.TopRight);
        }
    }

    public byte[] Save(DateOnly? date)
    {
        if (date is { } d) Document.Info.CreationDate = d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        using var stream = new MemoryStream();
        Document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    public sealed record Column(string Title, double Width);

    /// <summary>A table cell: text runs stacked top to bottom, with an optional background.</summary>
    public sealed record Cell(IReadOnlyList<Run> Runs, XColor? Fill = null)
    {
        public static implicit operator Cell(string text) => new([new Run(text)]);
    }

    public sealed record Run(string Text, XFont? Font = null, XColor? Color = null);
}
