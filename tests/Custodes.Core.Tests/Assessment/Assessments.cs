using Custodes.Assessment;
using Custodes.Catalogs;

namespace Custodes.Core.Tests.Assessment;

/// <summary>Builds assessments in code for tests: everything met, then the overrides a test is about.</summary>
internal static class Assessments
{
    public static Custodes.Assessment.Assessment AllMet(string framework = Frameworks.NistR2, bool? ssp = true, params (string Id, Status Status)[] overrides) =>
        With(framework, ssp, overrides.Select(o => (o.Id, Finding.Of(o.Status))).ToArray());

    public static Custodes.Assessment.Assessment With(string framework, bool? ssp, params (string Id, Finding Finding)[] overrides)
    {
        var requirements = CatalogSet.Get(framework).Requirements.ToDictionary(r => r.Id, _ => Finding.Of(Status.Met));
        foreach (var (id, finding) in overrides)
        {
            if (finding.Status == Status.Unassessed) requirements.Remove(id);
            else requirements[id] = finding;
        }
        return new Custodes.Assessment.Assessment
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
