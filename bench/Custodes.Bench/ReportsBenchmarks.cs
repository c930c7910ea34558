using BenchmarkDotNet.Attributes;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;
using Custodes.Reports;
using Custodes.Reports.Oscal;
using Custodes.Reports.Pdf;
using Custodes.Reports.Spreadsheets;
using Custodes.Testing;

namespace Custodes.Bench;

/// <summary>Reports on a full assessment (110 requirements, all 320 objectives with evidence, notes and methods), against scoring it as the baseline.</summary>
/// <remarks>Targets: OSCAL assessment results ≤ 100 ms, PDF report ≤ 2 s, XLSX write and import ≤ 1 s.</remarks>
[MemoryDiagnoser]
public class ReportsBenchmarks
{
    private Assessment _assessment = null!;
    private ReportData _data = null!;
    private byte[] _workbook = null!;

    [GlobalSetup]
    public void Setup()
    {
        _assessment = FullAssessment.Create();
        _data = ReportData.From(_assessment);
        _workbook = AssessmentWorkbook.Write(_data);
    }

    [Benchmark(Baseline = true, Description = "Score (baseline)")]
    public int? Score() => ScoreAssessment.Score(_assessment).Score;

    [Benchmark(Description = "OSCAL assessment results")]
    public int OscalAssessmentResults() => OscalAssessmentResultsExport.Write(ReportData.From(_assessment)).Length;

    [Benchmark(Description = "PDF assessment report")]
    public int PdfReport() => AssessmentReportPdf.Write(ReportData.From(_assessment)).Length;

    [Benchmark(Description = "XLSX write + import")]
    public int XlsxRoundTrip() => WorkbookImport.Read(AssessmentWorkbook.Write(ReportData.From(_assessment)), "bench.xlsx").Objectives.Count;

    [Benchmark(Description = "XLSX import")]
    public int XlsxImport() => WorkbookImport.Read(_workbook, "bench.xlsx").Objectives.Count;
}
