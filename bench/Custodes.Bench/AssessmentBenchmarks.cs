using BenchmarkDotNet.Attributes;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Testing;

namespace Custodes.Bench;

/// <summary>Scoring a full 110-requirement / 320-objective assessment (target ≥ 100,000 assessments/s on one core), against parsing the file.</summary>
[ShortJob, MemoryDiagnoser]
public class AssessmentBenchmarks
{
    private byte[] _file = [];
    private Custodes.Assessments.Assessment _assessment = null!;
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
