using BenchmarkDotNet.Attributes;
using Custodes.Assessment;
using Custodes.Assessment.Scoring;
using Custodes.Catalogs;
using Custodes.Reports;
using Custodes.Reports.Oscal;
using Custodes.Reports.Pdf;
using Custodes.Reports.Spreadsheets;

namespace Custodes.Bench;

/// <summary>Reports on a full assessment (110 requirements, all 320 objectives with evidence, notes and methods), against scoring it as the baseline.</summary>
/// <remarks>Targets: OSCAL assessment results ≤ 100 ms, PDF report ≤ 2 s, XLSX write and import ≤ 1 s.</remarks>
[MemoryDiagnoser]
public class ReportsBenchmarks
{
    private Assessment.Assessment _assessment = null!;
    private ReportData _data = null!;
    private byte[] _workbook = null!;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = CatalogSet.NistR2;
        var objectives = new Dictionary<string, Finding>(StringComparer.Ordinal);
        var i = 0;
        foreach (var requirement in catalog.Requirements)
            foreach (var objective in requirement.Objectives)
            {
                var status = requirement.Points == 1 && objective.EndsWith("[a]", StringComparison.Ordinal) ? Status.NotMet : Status.Met;
                objectives[objective] = new Finding
                {
                    Status = status,
                    Evidence = [EvidenceReference.For(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i++)))],
                    Methods = [AssessmentMethod.Examine, AssessmentMethod.Test],
                    Note = $"Determined from the configuration export and an interview with the system administrator ({objective}).",
                };
            }
        _assessment = new Assessment.Assessment
        {
            Framework = Frameworks.NistR2,
            Organization = "Benchmark MSP LLC",
            Scope = "Enterprise",
            AssessedOn = new DateOnly(2026, 10, 1),
            Ssp = true,
            Assessor = "Independent Assessors LLC",
            System = "A managed service provider's corporate network and RMM platform.",
            Objectives = objectives,
            Poam = catalog.Requirements.Where(r => r.Points == 1).Select(r => new PoamItem { Id = r.Id, PlannedCompletion = new DateOnly(2027, 1, 15), Milestones = "Remediate and re-test" }).ToArray(),
        };
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
