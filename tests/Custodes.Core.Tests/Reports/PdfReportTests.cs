using System.Text.RegularExpressions;
using Custodes.Reports;
using Custodes.Reports.Pdf;
using static Custodes.Core.Tests.Reports.ReportFixtures;

namespace Custodes.Core.Tests.Reports;

public sealed partial class PdfReportTests
{
    /// <summary>Writes the PDF, reads its text with pdftotext and renders page 1 with pdftoppm (so a broken PDF fails here, not in a reader's hands).</summary>
    internal static (string Text, int Pages) Inspect(byte[] pdf, string? keepAs = null)
    {
        var dir = TempDir();
        try
        {
            var file = Path.Combine(dir, "report.pdf");
            File.WriteAllBytes(file, pdf);
            var text = Run("pdftotext", ["-layout", file, "-"]);
            var info = Run("pdfinfo", [file]);
            var pages = int.Parse(PagesLine().Match(info).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Run("pdftoppm", ["-png", "-r", "40", "-f", "1", "-l", "1", file, Path.Combine(dir, "page")]);
            Assert.NotEmpty(Directory.GetFiles(dir, "page*.png"));
            if (Environment.GetEnvironmentVariable("CUSTODES_KEEP_PDF") is { Length: > 0 } keep && keepAs is not null)
            {
                Directory.CreateDirectory(keep);
                File.Copy(file, Path.Combine(keep, keepAs), overwrite: true);
            }
            return (text, pages);
        }
        finally { Directory.Delete(dir, true); }
    }

    [GeneratedRegex(@"Pages:\s+(\d+)")]
    private static partial Regex PagesLine();

    [Fact]
    public void The_assessment_report_shows_organization_score_status_findings_and_page_numbers()
    {
        var (text, pages) = Inspect(AssessmentReportPdf.Write(SampleData), "assessment-report.pdf");
        Assert.True(pages >= 8, $"{pages} pages");
        Assert.Contains("Example MSP LLC", text);
        Assert.Contains("101 of 110", text);
        Assert.Contains($"Page 1 of {pages}", text);
        Assert.Contains($"Page {pages} of {pages}", text);
        Assert.Contains("Executive summary", text);
        Assert.Contains("partial credit", text);
        Assert.Contains("3.13.11", text);
        Assert.Contains("Plan of action and milestones", text);
        Assert.Contains("3.5.3 is worth 5 points", text);
        Assert.Contains("Evidence index", text);
        Assert.Contains("Signatures", text);
    }

    [Fact]
    public void A_report_renders_for_every_framework_and_an_empty_assessment()
    {
        foreach (var framework in Custodes.Catalogs.Frameworks.All)
        {
            var (text, pages) = Inspect(AssessmentReportPdf.Write(ReportData.From(Core.Tests.Assessments.SampleAssessments.AllMet(framework))));
            Assert.Contains("Example MSP LLC", text);
            Assert.Contains($"Page {pages} of {pages}", text);
        }
        var empty = new Custodes.Assessments.Assessment { Framework = Custodes.Catalogs.Frameworks.NistR2, Organization = "Empty Co" };
        Assert.Contains("No score", Inspect(AssessmentReportPdf.Write(ReportData.From(empty))).Text);
    }
}
