using Custodes.Assessments;
using Custodes.Catalogs;

namespace Custodes.Testing;

/// <summary>A full SP 800-171 r2 assessment for benchmarks: all 110 requirements through all 320 objectives, each with evidence, methods and
/// a note; the 1-point requirements not met (objective [a]) with a POA&amp;M item.</summary>
public static class FullAssessment
{
    public static Assessment Create()
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
        return new Assessment
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
    }
}
