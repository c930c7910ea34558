using BenchmarkDotNet.Attributes;
using Custodes.Assessment;
using Custodes.Assessment.Scoring;

namespace Custodes.Bench;

/// <summary>Scoring a full 110-requirement / 320-objective assessment (target ≥ 100,000 assessments/s on one core), against parsing the file.</summary>
[ShortJob, MemoryDiagnoser]
public class AssessmentBenchmarks
{
    private byte[] _file = [];
    private Custodes.Assessment.Assessment _assessment = null!;
    private Resolution _resolution = null!;

    [GlobalSetup]
    public void Setup()
    {
        var full = FullAssessment.Create();
        _file = AssessmentFile.ToJson(full);
        _assessment = AssessmentFile.Parse(_file, "bench").Assessment;
        _resolution = Resolution.Resolve(_assessment);
    }

    [Benchmark(Baseline = true, Description = "score (resolved statuses)")]
    public ScoreReport Score() => ScoreAssessment.Score(_resolution, _assessment.Ssp, _assessment.AssessedOn);

    [Benchmark(Description = "resolve objectives + score")]
    public ScoreReport ResolveAndScore() => ScoreAssessment.Score(_assessment);

    [Benchmark(Description = "parse + validate file")]
    public ParsedAssessment Parse() => AssessmentFile.Parse(_file, "bench");
}

/// <summary>A full assessment: all 110 requirements through their 320 objectives, a few gaps, evidence and notes.</summary>
public static class FullAssessment
{
    public static Custodes.Assessment.Assessment Create()
    {
        var catalog = Catalogs.CatalogSet.NistR2;
        var objectives = new Dictionary<string, Finding>();
        var i = 0;
        foreach (var requirement in catalog.Requirements)
            foreach (var objective in requirement.Objectives)
                objectives[objective] = new Finding
                {
                    Status = i++ % 53 == 7 ? Status.NotMet : Status.Met,
                    Methods = [AssessmentMethod.Examine, AssessmentMethod.Interview],
                    Note = $"Reviewed {objective} with the IT manager.",
                    Evidence = [$"sha256:{i:x64}"],
                };
        objectives["3.12.4[a]"] = objectives["3.12.4[a]"] with { Status = Status.Met };
        return new Custodes.Assessment.Assessment
        {
            Framework = Catalogs.Frameworks.NistR2,
            Organization = "Granite Peak Managed IT LLC",
            Scope = "Corporate network and RMM platform",
            AssessedOn = new DateOnly(2026, 10, 1),
            Ssp = true,
            Objectives = objectives,
            Requirements = new Dictionary<string, Finding>(),
        };
    }
}
