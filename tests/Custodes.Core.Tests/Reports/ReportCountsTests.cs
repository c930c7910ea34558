using System.Text.RegularExpressions;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;
using Custodes.Core.Tests.Assessments;
using Custodes.Reports;
using Custodes.Reports.Pdf;

namespace Custodes.Core.Tests.Reports;

/// <summary>The report PDF prints the score's own counts: <c>counts.met</c> excludes not applicable (contracts §3), so "met" means the same number everywhere.</summary>
public sealed partial class ReportCountsTests
{
    [Fact]
    public void The_report_pdf_says_as_many_requirements_met_as_the_score_and_names_not_applicable_apart()
    {
        var assessment = SampleAssessments.AllMet(Frameworks.NistR2, true,
            ("3.1.22", Status.NotApplicable), ("3.10.6", Status.NotApplicable),
            ("3.1.2", Status.NotMet), ("3.5.3", Status.NotMet), ("3.6.3", Status.NotMet), ("3.11.3", Status.NotMet));
        var counts = ScoreAssessment.Score(assessment).Counts;
        Assert.Equal((104, 2), (counts.Met, counts.NotApplicable));

        var text = Collapse(PdfReportTests.Inspect(AssessmentReportPdf.Write(ReportData.From(assessment))).Text);
        Assert.Contains("REQUIREMENTS MET", text);
        Assert.Contains($"{counts.Met} of 110 · {counts.NotApplicable} not applicable", text);
        Assert.Contains($"Of 110 requirements, {counts.Met} are met, {counts.NotApplicable} not applicable", text);
        // The number that used to be printed (met plus not applicable) appears nowhere as a "met" count.
        Assert.DoesNotMatch($@"{counts.Met + counts.NotApplicable} of 110", text);
    }

    /// <summary>pdftotext -layout spreads a label and its value over columns; and wraps sentences; one space between words keeps the assertion about words.</summary>
    private static string Collapse(string text) => Spaces().Replace(text, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
