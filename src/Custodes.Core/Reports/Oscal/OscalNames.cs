using Custodes.Assessments;
using Custodes.Catalogs;

namespace Custodes.Reports.Oscal;

/// <summary>The OSCAL conventions of Custodes exports: version, property namespace, control/statement/objective ids per framework.</summary>
/// <remarks>
/// r3 ids are those of NIST's OSCAL catalog of SP 800-171 Rev 3 (<c>SP_800_171_03.01.01</c>, statement part <c>statement_03.01.01</c>).
/// NIST publishes no OSCAL catalog of Rev 2, so r2 and CMMC ids follow the same pattern with the Rev 2 number (<c>SP_800_171_3.1.1</c>;
/// r2 numbers are never zero-padded, so they cannot collide with r3 ids), with NIST's 800-53 part suffixes for the statement
/// (<c>SP_800_171_3.1.1_smt</c>) and SP 800-171A objectives (<c>SP_800_171_3.1.1_obj.a</c> for 3.1.1[a]). OSCAL tokens must start with a
/// letter, so the bare "3.1.1" some tools write is not a valid control id; import accepts it anyway.
/// </remarks>
public static class OscalNames
{
    public const string OscalVersion = "1.2.1";
    /// <summary>The <c>ns</c> of every property Custodes defines (OSCAL's own properties carry no ns).</summary>
    public const string Ns = "urn:custodes:oscal";
    public const string ControlPrefix = "SP_800_171_";

    public const string Sp800171R3CatalogUrl = "https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-171/rev3/json/NIST_SP800-171_rev3_catalog.json";
    public const string Sp800171R2Url = "https://csrc.nist.gov/pubs/sp/800/171/r2/upd1/final";
    public const string Sp800171AUrl = "https://csrc.nist.gov/pubs/sp/800/171/a/final";

    public static string ControlId(Requirement requirement) => ControlPrefix + requirement.Id;

    /// <summary>The statement part a requirement-level finding targets.</summary>
    public static string StatementId(Catalog catalog, Requirement requirement) =>
        catalog.Framework == Frameworks.NistR3 ? "statement_" + requirement.Id : ControlId(requirement) + "_smt";

    /// <summary>The objective part of an SP 800-171A objective: 3.1.1[a] → SP_800_171_3.1.1_obj.a.</summary>
    public static string ObjectiveId(Objective objective) =>
        ControlPrefix + objective.RequirementId + "_obj." + objective.Id[(objective.Id.IndexOf('[') + 1)..^1];

    /// <summary>A requirement id from an OSCAL control id in any of the spellings seen in the wild: SP_800_171_3.1.1, sp_800_171_03.01.01, 3.1.1, AC.L2-3.1.1.</summary>
    public static Requirement? FindRequirement(Catalog catalog, string controlId)
    {
        var id = controlId.StartsWith(ControlPrefix, StringComparison.OrdinalIgnoreCase) ? controlId[ControlPrefix.Length..] : controlId;
        var found = catalog.Find(id) ?? catalog.Find(id.ToUpperInvariant());
        // A CMMC practice id (AC.L2-3.1.22) names the NIST requirement after the dash, whatever the level written.
        var dash = id.IndexOf("-", StringComparison.Ordinal);
        return found ?? (dash > 0 && id.Length > 5 && id[2] == '.' ? catalog.Find(id[(dash + 1)..]) : null);
    }

    /// <summary>Resolves a finding target (statement or objective part id) to a requirement and, for objectives, the objective.</summary>
    public static (Requirement Requirement, Objective? Objective)? ResolveTarget(Catalog catalog, string targetId)
    {
        if (targetId.StartsWith("statement_", StringComparison.Ordinal))
            return catalog.Find(targetId["statement_".Length..]) is { } r3 ? (r3, null) : null;
        var obj = targetId.LastIndexOf("_obj", StringComparison.Ordinal);
        if (obj > 0)
        {
            var requirement = FindRequirement(catalog, targetId[..obj]);
            if (requirement is null) return null;
            var rest = targetId[(obj + 4)..];
            if (rest.Length == 0) return (requirement, null);
            if (rest[0] != '.') return null;
            var objective = catalog.FindObjective($"{requirement.Id}[{rest[1..]}]");
            return objective is null ? null : (requirement, objective);
        }
        var smt = targetId.EndsWith("_smt", StringComparison.Ordinal) ? targetId[..^4] : targetId;
        return FindRequirement(catalog, smt) is { } found ? (found, null) : null;
    }

    public static string Method(AssessmentMethod method) => method switch
    {
        AssessmentMethod.Examine => "EXAMINE",
        AssessmentMethod.Interview => "INTERVIEW",
        _ => "TEST",
    };

    /// <summary>OSCAL implementation-status state for an effective status: implemented, not-applicable, partial (partial credit, or some objectives met), planned (otherwise not met); none when unassessed.</summary>
    /// <remarks>OSCAL has no "not implemented" state; the exact Custodes status travels in the <c>assessment-status</c> property.</remarks>
    public static string? ImplementationState(Status status, bool partlyImplemented) => status switch
    {
        Status.Met => "implemented",
        Status.NotApplicable => "not-applicable",
        Status.NotMet when partlyImplemented => "partial",
        Status.NotMet => "planned",
        _ => null,
    };

    /// <summary>A date as an OSCAL date-time (the pattern requires an offset): midnight UTC.</summary>
    public static string DateTime(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T00:00:00Z";

    /// <summary>True when a value may be an OSCAL string (prop value): non-empty, one line, no surrounding whitespace.</summary>
    public static bool IsOscalString(string? value) =>
        !string.IsNullOrEmpty(value) && !char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1]) && value.IndexOfAny(['\n', '\r']) < 0;
}
