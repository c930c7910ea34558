using Custodes.Assessments;
using Custodes.Catalogs;

namespace Custodes.SupplyChain;

/// <summary>What scoring needs of an assessment, in about 250 bytes: effective statuses and partial flags in catalog order, SSP, date.</summary>
/// <remarks>Keeps tens of thousands of customers' assessments in memory for <see cref="RecomputeAfterLetterChange"/>; scoring it gives the same result as scoring the full assessment.</remarks>
public sealed class CompactAssessment
{
    private static readonly Finding[] Bare = [Finding.Of(Status.Unassessed), Finding.Of(Status.Met), Finding.Of(Status.NotMet), Finding.Of(Status.NotApplicable)];

    private CompactAssessment(Catalog catalog, string organization, Status[] statuses, bool[] partial, bool? ssp, DateOnly? assessedOn)
    {
        Catalog = catalog;
        Organization = organization;
        Statuses = statuses;
        Partial = partial;
        Ssp = ssp;
        AssessedOn = assessedOn;
    }

    public Catalog Catalog { get; }
    public string Organization { get; }
    internal Status[] Statuses { get; }
    internal bool[] Partial { get; }
    public bool? Ssp { get; }
    public DateOnly? AssessedOn { get; }

    public static CompactAssessment From(Assessment assessment)
    {
        var resolution = Resolution.Resolve(assessment);
        return new CompactAssessment(resolution.Catalog, assessment.Organization, resolution.Statuses.ToArray(), resolution.Partial.ToArray(), assessment.Ssp, assessment.AssessedOn);
    }

    /// <summary>Builds one from statuses in catalog order (for generated portfolios and storage that keeps statuses only).</summary>
    public static CompactAssessment Of(string framework, string organization, ReadOnlySpan<Status> statuses, bool? ssp = true, DateOnly? assessedOn = null)
    {
        var catalog = CatalogSet.Get(framework);
        if (statuses.Length != catalog.Requirements.Count) throw new ArgumentException($"expected {catalog.Requirements.Count} statuses for {framework}", nameof(statuses));
        return new CompactAssessment(catalog, organization, statuses.ToArray(), new bool[statuses.Length], ssp, assessedOn);
    }

    public Status StatusOf(string requirementId) => Statuses[Catalog.OrdinalOf(requirementId)];

    /// <summary>
    /// The statuses as text, one letter per requirement in catalog order: <c>M</c> met, <c>N</c> not met, <c>P</c> not met with partial
    /// credit, <c>A</c> not applicable, <c>U</c> unassessed. Storage keeps it with each assessment so that recomputing thousands of
    /// customers reads one short value per customer instead of every determination.
    /// </summary>
    public string ToCodes() => string.Create(Statuses.Length, this, static (codes, a) =>
    {
        for (var i = 0; i < codes.Length; i++)
            codes[i] = a.Statuses[i] switch
            {
                Status.Met => 'M',
                Status.NotMet => a.Partial[i] ? 'P' : 'N',
                Status.NotApplicable => 'A',
                _ => 'U',
            };
    });

    /// <summary>Reads <see cref="ToCodes"/> back; null when the text does not fit the framework's catalog (one letter per requirement).</summary>
    public static CompactAssessment? FromCodes(string framework, string organization, string codes, bool? ssp, DateOnly? assessedOn)
    {
        if (CatalogSet.Find(framework) is not { } catalog || codes.Length != catalog.Requirements.Count) return null;
        var statuses = new Status[codes.Length];
        var partial = new bool[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            switch (codes[i])
            {
                case 'M': statuses[i] = Status.Met; break;
                case 'N': statuses[i] = Status.NotMet; break;
                case 'P': statuses[i] = Status.NotMet; partial[i] = true; break;
                case 'A': statuses[i] = Status.NotApplicable; break;
                case 'U': statuses[i] = Status.Unassessed; break;
                default: return null;
            }
        }
        return new CompactAssessment(catalog, organization, statuses, partial, ssp, assessedOn);
    }

    /// <summary>A requirement-level <see cref="Assessment"/> with these (or other) statuses, for <see cref="Assessments.Scoring.ScoreAssessment"/>.</summary>
    internal Assessment ToAssessment(ReadOnlySpan<Status> statuses, ReadOnlySpan<bool> partial)
    {
        var requirements = new Dictionary<string, Finding>(statuses.Length, StringComparer.Ordinal);
        for (var i = 0; i < statuses.Length; i++)
        {
            if (statuses[i] == Status.Unassessed) continue;
            var id = Catalog.Requirements[i].Id;
            requirements[id] = partial[i] && statuses[i] == Status.NotMet
                ? new Finding { Status = Status.NotMet, Partial = PartialValues.For(id) }
                : Bare[(int)statuses[i]];
        }
        return new Assessment { Framework = Catalog.Framework, Organization = Organization, Ssp = Ssp, AssessedOn = AssessedOn, Requirements = requirements };
    }

    public Assessment ToAssessment() => ToAssessment(Statuses, Partial);
}
