using Custodes.Assessments;
using Custodes.Catalogs;

namespace Custodes.Core.Tests.Assessments;

/// <summary>Builds assessments in code for tests: everything met, then the overrides a test is about.</summary>
internal static class SampleAssessments
{
    public static Custodes.Assessments.Assessment AllMet(string framework = Frameworks.NistR2, bool? ssp = true, params (string Id, Status Status)[] overrides) =>
        With(framework, ssp, overrides.Select(o => (o.Id, Finding.Of(o.Status))).ToArray());

    public static Custodes.Assessments.Assessment With(string framework, bool? ssp, params (string Id, Finding Finding)[] overrides)
    {
        var requirements = CatalogSet.Get(framework).Requirements.ToDictionary(r => r.Id, _ => Finding.Of(Status.Met));
        foreach (var (id, finding) in overrides)
        {
            if (finding.Status == Status.Unassessed) requirements.Remove(id);
            else requirements[id] = finding;
        }
        return new Custodes.Assessments.Assessment
        {
            Framework = framework,
            Organization = "Example MSP LLC",
            Scope = "Corporate network, RMM platform",
            AssessedOn = new DateOnly(2026, 10, 1),
            Ssp = ssp,
            Requirements = requirements,
        };
    }

    public static (string, Status) NotMet(string id) => (id, Status.NotMet);

    public static (string, Finding) Partial(string id, string value) => (id, new Finding { Status = Status.NotMet, Partial = value });
}
