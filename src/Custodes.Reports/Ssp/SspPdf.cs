using System.Globalization;
using Custodes.Assessments;
using Custodes.Reports.Pdf;
using PdfSharp.Drawing;
using static Custodes.Reports.Pdf.PdfComposer;

namespace Custodes.Reports.Ssp;

/// <summary>The system security plan as a PDF: system identification, description, boundary, and how each requirement is implemented.</summary>
public static class SspPdf
{
    public static byte[] Write(SspContent ssp)
    {
        var data = ssp.Data;
        var a = data.Assessment;
        var pdf = new PdfComposer($"System Security Plan: {ssp.SystemName}", "System Security Plan", a.Organization);
        pdf.NewPage();
        var g = pdf.G;
        g.DrawRectangle(new XSolidBrush(Accent), 0, 0, PageWidth, 220);
        g.DrawString("SYSTEM SECURITY PLAN", Font(10, bold: true), XBrushes.White, new XRect(Margin, 80, pdf.Width, 14), XStringFormats.TopLeft);
        pdf.Y = 104;
        foreach (var line in pdf.Wrap(ssp.SystemName, Font(24, bold: true), pdf.Width))
        {
            g.DrawString(line, Font(24, bold: true), XBrushes.White, new XRect(Margin, pdf.Y, pdf.Width, 30), XStringFormats.TopLeft);
            pdf.Y += 30;
        }
        g.DrawString(a.Organization, Font(12), XBrushes.White, new XRect(Margin, 185, pdf.Width, 16), XStringFormats.TopLeft);
        pdf.Y = 260;
        pdf.Heading("1. System identification");
        pdf.Facts(
        [
            ("System name", ssp.SystemName),
            ("Organization", a.Organization),
            ("Framework", $"{data.Catalog.Title} ({data.Catalog.Framework})"),
            ("Security sensitivity", "Moderate (Controlled Unclassified Information)"),
            ("Implementation status as of", a.AssessedOn is { } on ? on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "Not recorded"),
            ("Requirements implemented", $"{data.Score.Counts.Met + data.Score.Counts.NotApplicable} of {data.Rows.Count} (including {data.Score.Counts.NotApplicable} not applicable)"),
        ], labelWidth: 170);
        pdf.Heading("2. System description", before: 12);
        pdf.Paragraph(ssp.Description);
        pdf.Heading("3. Authorization boundary", before: 12);
        pdf.Paragraph(ssp.Boundary);
        pdf.NewPage();
        pdf.Heading("4. Requirement implementation");
        pdf.Paragraph(ssp.Statements.Requirements.Count > 0
            ? $"Implementation statements are the organization's ({ssp.Statements.Requirements.Count} requirements); where none is given, the text is derived from the assessment."
            : "No implementation statements were supplied; each text below is derived from the assessment. Supply them with --implementation (see docs/reports.md).", pdf.Small, Muted);
        foreach (var family in data.Families)
        {
            pdf.Subheading($"{family.Family.Id}  {family.Family.Name}");
            pdf.Table(
                [new Column("Requirement", 0.34), new Column("Implementation", 0.47), new Column("Status", 0.19)],
                ssp.Requirements.Where(r => r.Requirement.FamilyId == family.Family.Id).Select(r => (IReadOnlyList<Cell>)
                [
                    new Cell([new Run(r.Requirement.Id, pdf.Bold), new Run(r.Requirement.Title is { } t ? $"{t}. {r.Requirement.Text}" : r.Requirement.Text, Font(8), Muted)]),
                    new Cell(r.Responsible is { } who
                        ? [new Run(r.Text), new Run($"Responsible: {who}", Font(8), Accent)]
                        : [new Run(r.Text, r.FromOrganization ? pdf.Body : Font(9.5, italic: true), r.FromOrganization ? Ink : Muted)]),
                    new Cell([new Run(r.StatusLabel, Font(8.5, bold: true), Color(r.Status))]),
                ]));
        }
        pdf.Finish($"System Security Plan: {ssp.SystemName}", a.Organization, $"Controlled Unclassified Information may be described in this plan. Prepared for {a.Organization}.");
        return pdf.Save(a.AssessedOn);
    }

    private static XColor Color(Status status) => status switch
    {
        Status.Met => Green,
        Status.NotApplicable => Slate,
        Status.NotMet => Red,
        _ => Amber,
    };
}
